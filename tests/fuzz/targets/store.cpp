// The store opener: arbitrary bytes written to a file, opened as a store
// without creating one, then read the ways the commands read it.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz_target.h"
#include "study/store.h"

namespace {

// One scratch file per process, with the journal files SQLite may add.
struct ScratchStore {
  std::string path = (std::filesystem::temp_directory_path() / ("fb-fuzz-store-" + std::to_string(getpid()) + ".sqlite")).string();
  ScratchStore(std::string_view bytes) {
    remove_all();
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  ~ScratchStore() { remove_all(); }
  void remove_all() const {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path + suffix);
  }
};

}  // namespace

FB_FUZZ_TARGET(store) {
  ScratchStore file(input);
  fb::study::Store s(file.path, /*create=*/false);
  s.schema_version();
  s.sweeps();
  s.statuses("m1");
  s.for_each([](const fb::study::Measurement&) {});
  s.count();  // may differ from the rows for_each saw: a corrupt index is not formbench's to detect
  std::ostringstream csv, json;
  fb::study::export_csv(s, csv);
  fb::study::export_json(s, json);
}
