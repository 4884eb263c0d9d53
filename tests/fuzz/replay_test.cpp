// Replays every file of every target's corpus (corpus/NAME/) through the
// target's harness in the normal g++ build: an input that once crashed a
// fuzzer stays a test here, with or without clang. One test per target.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fuzz_target.h"

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class Replay : public ::testing::Test {
 public:
  Replay(std::string name, fb::fuzz::Harness h) : name_(std::move(name)), harness_(h) {}
  void TestBody() override {
    const fs::path dir = fs::path(FB_FUZZ_CORPUS) / name_;
    ASSERT_TRUE(fs::is_directory(dir)) << "fuzz target '" << name_ << "' has no corpus folder " << dir;
    int files = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
      ++files;
      try {
        fb::fuzz::run_one(harness_, read_bytes(entry.path()));
      } catch (const std::exception& e) {
        ADD_FAILURE() << entry.path() << ": " << e.what();
      }
    }
    EXPECT_GT(files, 0) << dir << " is empty";
  }

 private:
  std::string name_;
  fb::fuzz::Harness harness_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (const auto& [name, harness] : fb::fuzz::registry())
    ::testing::RegisterTest("FuzzReplay", name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                            [name = name, harness = harness]() -> ::testing::Test* { return new Replay(name, harness); });
  return RUN_ALL_TESTS();
}
