#pragma once
// toml++ for the spec loader, with its parser's own checks kept as errors.
//
// toml++ 3.3 (Debian 12) states some of its parser's assumptions as
// TOML_ASSERT_ASSUME. With NDEBUG (every release build, Debian's compiled
// library too) they become __builtin_assume, so a malformed spec that breaks
// one is undefined behaviour: the spec fuzzer found `depth = [38, 20,}40]` and
// `[[[[g` (tests/fuzz/corpus/spec/crash-toml-*). So the parser is compiled
// here, header-only, with those checks kept and turned into a UsageError.
// Include only this header for toml++, and only from one layer (study).
#include <stdexcept>

namespace fb::study {
// Thrown from inside the parser; the spec loader turns it into a UsageError
// naming the file.
struct TomlCheckFailed : std::runtime_error {
  using std::runtime_error::runtime_error;
};
[[noreturn]] inline void toml_check_failed(const char* check) { throw TomlCheckFailed(check); }
}  // namespace fb::study

#ifdef NDEBUG
#define FB_TOML_RESTORE_NDEBUG
#undef NDEBUG
#endif
#define TOML_HEADER_ONLY 1
#define TOML_ASSERT(expr) ((expr) ? static_cast<void>(0) : ::fb::study::toml_check_failed(#expr))
#include <toml++/toml.h>
#ifdef FB_TOML_RESTORE_NDEBUG
#define NDEBUG
#undef FB_TOML_RESTORE_NDEBUG
#endif
