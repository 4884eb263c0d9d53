// One test per crash the fuzzers found: the reproducer's bytes (kept in
// corpus/NAME/, so the fuzzers and FuzzReplay run them too) give a clear
// fb::UsageError or fb::Error, never a crash or another exception.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "common/error.h"
#include "models/catalog.h"
#include "study/grid.h"
#include "study/spec.h"
#include "study/store.h"

namespace fb {
namespace {

namespace fs = std::filesystem;

std::string reproducer(const std::string& target, const std::string& name) {
  std::ifstream in(fs::path(FB_FUZZ_CORPUS) / target / name, std::ios::binary);
  EXPECT_TRUE(in) << "no reproducer " << target << "/" << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The message of the fb::Error that `f` throws; fails the test if it throws
// nothing or anything else.
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw " << typeid(e).name() << " instead of fb::Error: " << e.what();
    return "";
  }
  ADD_FAILURE() << "accepted";
  return "";
}

// A reproducer written to a scratch file, as the store fuzzer does.
class StoreFile {
 public:
  explicit StoreFile(const std::string& bytes) {
    std::string tmpl = (fs::temp_directory_path() / "fb-fuzz-regression-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    path_ = (fs::path(dir_) / "store.sqlite").string();
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~StoreFile() { fs::remove_all(dir_); }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

// What the store fuzzer does with a file: open it, then read it every way.
void open_and_read(const std::string& path) {
  study::Store s(path, /*create=*/false);
  s.statuses("m1");
  s.for_each([](const study::Measurement&) {});
  std::ostringstream csv, json;
  study::export_csv(s, csv);
  study::export_json(s, json);
}

// schema_version is parsed with std::stoi: "abc" threw std::invalid_argument
// ("stoi"), "-1" read out of bounds. Fixed on the store branch.
TEST(FuzzRegression, StoreWithSchemaVersionNotANumberIsRefused) {
  StoreFile f(reproducer("store", "crash-schema-version-not-a-number"));
  const std::string msg = error_of([&] { open_and_read(f.path()); });
  EXPECT_NE(msg.find(f.path()), std::string::npos) << msg;
  EXPECT_NE(msg.find("schema"), std::string::npos) << msg;
}

TEST(FuzzRegression, StoreWithNegativeSchemaVersionIsRefused) {
  StoreFile f(reproducer("store", "crash-schema-version-minus-one"));
  const std::string msg = error_of([&] { open_and_read(f.path()); });
  EXPECT_NE(msg.find(f.path()), std::string::npos) << msg;
  EXPECT_NE(msg.find("schema"), std::string::npos) << msg;
}

// A descriptor that is not UTF-8 made export_json throw nlohmann's
// type_error from dump(). Any byte sequence from a store must be exportable.
TEST(FuzzRegression, StoreWithNonUtf8TextExports) {
  StoreFile f(reproducer("store", "crash-descriptor-not-utf8"));
  study::Store s(f.path(), /*create=*/false);
  std::ostringstream json;
  EXPECT_NO_THROW(study::export_json(s, json));
  EXPECT_NE(json.str().find("pattern"), std::string::npos);
}

// Debian's toml++ reached __builtin_unreachable on U+0394 (and every code
// point U+00A1..U+0499) where it looks for whitespace: UBSan's "execution
// reached an unreachable program point". Specs are ASCII now.
TEST(FuzzRegression, SpecWithNonAsciiCharacterIsRefusedWithItsLine) {
  EXPECT_EQ(error_of([] { study::parse_spec(reproducer("spec", "crash-non-ascii-greek-delta"), "s.toml"); }),
            "s.toml:1: non-ASCII character; a spec is ASCII text, comments included (see docs/study.md)");
  const std::string comment = "[[group]]\npatterns = [\"standard\"]\n# caf\xc3\xa9\nbackends = [\"torch\"]\n";
  EXPECT_NE(error_of([&] { study::parse_spec(comment, "s.toml"); }).find("s.toml:3: non-ASCII character"),
            std::string::npos);
}

// "[\x01\x1a[group]]": toml++'s parse_key assumed a key character after '['
// (an assertion under the fuzzer, undefined behaviour in a release build).
TEST(FuzzRegression, SpecWithControlCharacterIsRefusedWithItsLine) {
  EXPECT_EQ(error_of([] { study::parse_spec(reproducer("spec", "crash-control-character-in-table-header"), "s.toml"); }),
            "s.toml:10: control character (byte 1); a spec is plain text (see docs/study.md)");
}

// "[^^^...": the same assumption with a printable character.
TEST(FuzzRegression, SpecTableHeaderWithoutANameIsRefused) {
  EXPECT_NE(error_of([] { study::parse_spec(reproducer("spec", "crash-table-header-without-name"), "s.toml"); })
                .find("s.toml:1: '[^': a table header starts with a name, e.g. [measure] or [[group]]"),
            std::string::npos);
  // "[" then the line's end: toml++ looked for the name on the next line.
  EXPECT_NE(error_of([] { study::parse_spec(reproducer("spec", "crash-table-header-at-line-end"), "s.toml"); })
                .find(": '[': a table header starts with a name"),
            std::string::npos);
  // Nested arrays on their own lines are still values, not headers.
  const std::string nested = "[[group]]\nmodels = [\n  \"resnet18\",\n]\nbackends = [\n  \"torch\"]\n";
  EXPECT_EQ(study::parse_spec(nested, "s.toml").groups.size(), 1u);
}

}  // namespace
// toml++ 3.3 assumes (TOML_ASSERT_ASSUME, undefined behaviour under NDEBUG)
// that a value never starts with '}' and that '[[[' has a key after it; a
// typo breaks both. study/toml.h keeps those checks and makes them errors.
TEST(FuzzRegression, SpecThatBreaksAParserAssumptionIsRefused) {
  for (const char* name : {"crash-toml-brace-in-array-open", "crash-toml-nested-table-brackets-open"}) {
    const std::string error = error_of([&] { study::parse_spec(reproducer("spec", name), "s.toml"); });
    EXPECT_TRUE(error.starts_with("s.toml")) << name << ": " << error;
    EXPECT_NE(error.find("TOML"), std::string::npos) << name << ": " << error;
  }
  EXPECT_NE(error_of([] { study::parse_spec("[[group]]\ndepth = [38, 20,}40]\n", "s.toml"); }).find("s.toml"),
            std::string::npos);
}

}  // namespace fb
