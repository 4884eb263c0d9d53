#pragma once
// The report tests' fixture base: a folder of its own per test (named after
// the process and the test, so tests never share files), with the path of a
// results store in it. Set FB_KEEP_TEST_DIR to keep the folder and look at it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fb::test {

// A file's bytes, whole (empty when it cannot be read: the test's own checks then fail).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class StoreDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("fb_" + std::string(info->test_suite_name()) + "_" + std::to_string(::getpid()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "results.sqlite").string();
  }
  void TearDown() override {
    if (!std::getenv("FB_KEEP_TEST_DIR")) std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::string db_;
};

}  // namespace fb::test
