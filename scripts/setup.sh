#!/usr/bin/env bash
# Installs what formbench needs from Debian, idempotently: packages already
# present are left alone, so a second run does nothing and needs no network.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libgtest-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libtomlplusplus-dev libboost-math-dev
  libsqlite3-dev
  libtorch-dev libopenblas0-openmp   # native framework; an optimised BLAS under it
  libdnnl-dev                        # the kernels under the accelerated engine
  valgrind linux-perf                # cache simulation, hardware counters
  gnuplot-nox                        # report figures
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
