#!/usr/bin/env bash
# The main job. For now: the cost of each design pattern at the study's depth
# extremes, from formbench describe. Later issues make this the quick study.
set -euo pipefail
formbench=${1:?usage: study.sh path/to/formbench}
"$formbench" list
for p in standard factorized bottleneck dw_separable dw_bottleneck grouped; do
  for d in 10 50; do
    "$formbench" describe "pattern:$p depth=$d width=32" | tail -n 2 | sed "s/^/pattern:$p depth=$d width=32  /"
  done
done
