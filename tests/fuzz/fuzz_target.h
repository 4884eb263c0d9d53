#pragma once
// One harness source serves two builds (docs/testing.md):
//  - the clang libFuzzer build (FB_LIBFUZZER defined): FB_FUZZ_TARGET(name)
//    defines LLVMFuzzerTestOneInput;
//  - the normal g++ test suite: it registers the harness under its name, so
//    fb_fuzz_replay_tests replays every corpus file without clang.
// An input formbench rejects with fb::Error (or UsageError) is a pass. Any
// other exception, a crash or a sanitizer report is a finding; a harness
// states a broken promise with fb::fuzz::violated(), which throws a
// std::logic_error that nothing catches.
#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/error.h"

namespace fb::fuzz {

using Harness = void (*)(std::string_view input);

// Runs a harness on one input: fb::Error is the expected answer to bad input.
inline void run_one(Harness h, std::string_view input) {
  try {
    h(input);
  } catch (const fb::Error&) {
  }
}

[[noreturn]] inline void violated(const std::string& what) { throw std::logic_error("fuzz property violated: " + what); }

inline std::map<std::string, Harness>& registry() {
  static std::map<std::string, Harness> all;
  return all;
}

inline bool register_harness(const char* name, Harness h) { return registry().emplace(name, h).second; }

}  // namespace fb::fuzz

#ifdef FB_LIBFUZZER
#define FB_FUZZ_TARGET(name)                                                                   \
  static void fb_fuzz_##name(std::string_view input);                                          \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {                    \
    fb::fuzz::run_one(&fb_fuzz_##name, std::string_view(reinterpret_cast<const char*>(data), size)); \
    return 0;                                                                                  \
  }                                                                                            \
  static void fb_fuzz_##name(std::string_view input)
#else
#define FB_FUZZ_TARGET(name)                                                                          \
  static void fb_fuzz_##name(std::string_view input);                                                 \
  [[maybe_unused]] static const bool fb_fuzz_registered_##name = fb::fuzz::register_harness(#name, &fb_fuzz_##name); \
  static void fb_fuzz_##name(std::string_view input)
#endif
