#pragma once
// Shared by the study tests: a scratch directory and small file helpers.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/record.h"
#include "study/sqlite.h"

namespace fb::study::testing {

// A fresh directory, removed with everything in it when the test ends.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "fb-study-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }

 private:
  std::string path_;
};

// A record built through its owner (measure/record.h), so a store the tests
// build holds the real key names: `ms` per image, its CI +-0.1 ms.
inline MeasurementRecord ok_record(const std::string& descriptor, double ms) {
  MeasurementRecord r;
  r.descriptor = descriptor;
  r.status = "ok";
  r.per_image_ms = PerImageMs{ms, ms - 0.1, ms + 0.1};
  return r;
}
inline std::string record_text(const MeasurementRecord& r) { return nlohmann::json(r).dump(); }

inline void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

inline std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The three files no command may take for a store or modify: an empty file,
// another program's SQLite database, random bytes.
inline std::vector<std::string> hostile_store_files(const ScratchDir& dir) {
  write_file(dir / "empty.sqlite", "");
  {
    Database other(dir / "other.sqlite", OpenMode::create);
    other.exec("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');");
  }
  std::string garbage;
  for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 7919 + 13) % 256);
  write_file(dir / "garbage.sqlite", garbage);
  return {dir / "empty.sqlite", dir / "other.sqlite", dir / "garbage.sqlite"};
}

// A sweep of 12 configurations on the reference backend (the one every build
// has); the CLI tests let the fake measurer stand in for `formbench measure`.
inline std::string twelve_configuration_spec(const std::string& name) {
  return "name = \"" + name + "\"\n" + R"([[group]]
patterns = ["standard", "bottleneck", "dw_separable"]
depth = [1, 2]
width = 8
res = 16
batch = [1, 2]
backends = ["reference"]
threads = [1]
)";
}

}  // namespace fb::study::testing
