#!/usr/bin/env bash
# Configures (once) and builds the libFuzzer targets under the build tree,
# incrementally; ctest runs it as the setup of the Fuzz.* tests.
#   build_fuzzers.sh SOURCE_DIR FUZZ_BUILD_DIR
# Exit 77 (ctest: skipped) with the reason when clang or its fuzzer runtime is missing.
set -euo pipefail
src=$1 out=$2

skip() { echo "SKIPPED: $*; run scripts/setup.sh (it installs clang-14 and libclang-rt-14-dev)"; exit 77; }

if [ ! -f "$out/CMakeCache.txt" ]; then
  cxx=$(command -v clang++-14 || command -v clang++ || true)
  [ -n "$cxx" ] || skip "clang++ not found"
  mkdir -p "$out"
  probe="$out/probe"
  printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' >"$probe.cpp"
  "$cxx" -fsanitize=fuzzer,address,undefined "$probe.cpp" -o "$probe" 2>"$probe.log" ||
    skip "$cxx cannot link -fsanitize=fuzzer,address,undefined ($(head -c 300 "$probe.log"))"
  rm -f "$probe" "$probe.cpp" "$probe.log"
  cmake -S "$src/tests/fuzz/libfuzzer" -B "$out" -DCMAKE_CXX_COMPILER="$cxx" >"$out/configure.log" ||
    { cat "$out/configure.log"; exit 1; }
fi
cmake --build "$out" -j 2
