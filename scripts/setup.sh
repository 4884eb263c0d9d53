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
  ocl-icd-opencl-dev                 # dnnl-config.cmake requires OpenCL: Debian builds oneDNN with its GPU runtime
  valgrind linux-perf                # cache simulation, hardware counters
  gnuplot-nox                        # report figures
  clang-14 libclang-rt-14-dev        # fuzz tests: clang, libFuzzer and the sanitizer runtimes
  libonnx-dev                        # ONNX import and export: the ONNX protobuf definitions and checker
  libopencv-dnn-dev                  # the opencv peer backend: OpenCV's DNN module (and its core)
)

# The ort backend's runtime: ONNX Runtime is not in Debian; it comes from the
# npm registry (below), so Node.js and npm are needed, from Debian if absent.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# LibTorch calls BLAS through libblas.so.3 / liblapack.so.3; make sure those
# are OpenBLAS (OpenMP flavour, so it shares LibTorch's thread pool), not the
# reference BLAS. Only acts when another one is selected.
arch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
for lib in libblas.so.3 liblapack.so.3; do
  want=/usr/lib/$arch/openblas-openmp/$lib
  [ -e "$want" ] || continue
  if [ "$(readlink -f "/usr/lib/$arch/$lib")" != "$(readlink -f "$want")" ]; then
    echo "setup: selecting $want for $lib"
    "${sudo_cmd[@]}" update-alternatives --set "$lib-$arch" "$want"
  fi
done

# ONNX Runtime for the ort backend: the npm package onnxruntime-node at the
# version src/backends/ort/runner/package.json pins, installed beside the
# runner from its package-lock.json. Only when it is absent or another
# version. --ignore-scripts: the package's post-install step only fetches
# optional GPU files from outside the registry; the CPU runtime is in the
# package itself.
ort_dir=$(cd "$(dirname "$0")/../src/backends/ort/runner" && pwd)
ort_pinned=$(cd "$ort_dir" && node -p "require('./package.json').dependencies['onnxruntime-node']")
ort_installed=$(cd "$ort_dir" && node -p "try { require('./node_modules/onnxruntime-node/package.json').version } catch (e) { '' }")
if [ "$ort_installed" != "$ort_pinned" ]; then
  echo "setup: installing onnxruntime-node $ort_pinned in $ort_dir (npm ci)"
  (cd "$ort_dir" && npm ci --ignore-scripts --no-audit --no-fund)
fi
