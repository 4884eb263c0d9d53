#!/usr/bin/env bash
# The main job: the quick study (a small version of all three experiments,
# the ablation and a cache-simulation pair) and its report.
# Rerunning resumes: configurations already in the store are not measured again.
set -euo pipefail
formbench=${1:?usage: study.sh path/to/formbench}
store=${FORMBENCH_STORE:-results/quick.sqlite}
report=${FORMBENCH_REPORT:-report/quick}
threads=$(nproc)

mkdir -p "$(dirname "$store")"
# Peak GFLOP/s and bandwidth for the rooflines (cached after the first probe).
"$formbench" machine --threads "$threads"
"$formbench" study quick --db "$store"
"$formbench" report "$store" -o "$report"
echo "report written: $(cd "$report" && pwd)/index.html"
