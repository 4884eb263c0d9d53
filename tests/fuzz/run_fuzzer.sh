#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time over the repository's corpus.
#   run_fuzzer.sh SOURCE_DIR FUZZ_BUILD_DIR NAME SECONDS [libFuzzer flags...]
# New inputs go to FUZZ_BUILD_DIR/corpus/NAME (the repository's corpus is
# only read); a crash is written to FUZZ_BUILD_DIR/artifacts/. A finding exits
# 1: libFuzzer's default, 77, is ctest's code for skipped.
set -euo pipefail
src=$1 out=$2 name=$3 seconds=$4
shift 4
exe="$out/$name"
[ -x "$exe" ] || { echo "SKIPPED: $exe is not built (see the output of Fuzz.Build)"; exit 77; }
mkdir -p "$out/corpus/$name" "$out/artifacts"
exec "$exe" -max_total_time="$seconds" -error_exitcode=1 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$out/artifacts/$name-" "$@" "$out/corpus/$name" "$src/tests/fuzz/corpus/$name"
