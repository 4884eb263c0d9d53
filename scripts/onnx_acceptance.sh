#!/usr/bin/env bash
# Acceptance check of the ONNX importer (docs/onnx.md): torchvision's
# ResNet-50, MobileNetV2 and Inception-v3, exported by PyTorch (opset 13,
# constant folding, random weights), imported by formbench and run on
# reference, onednn and torch on PyTorch's input; each output is compared
# with PyTorch's through .npy files. Not part of `make test`: it needs
# Debian's python3-torch, python3-torchvision and python3-numpy.
#   scripts/onnx_acceptance.sh [FORMBENCH] [WORK_DIR] [NETWORK...]
set -euo pipefail
bin=${1:-build/release/formbench}
dir=${2:-$(mktemp -d)}
shift $(( $# < 2 ? $# : 2 ))
networks=("$@")
[ ${#networks[@]} -gt 0 ] || networks=(resnet50 mobilenet_v2 inception_v3)
py=/usr/bin/python3  # Debian's, where python3-torch lives
"$py" -c 'import torch, torchvision, numpy' 2>/dev/null ||
  { echo "SKIPPED: $py lacks torch, torchvision or numpy (apt-get install python3-torch python3-torchvision python3-numpy)"; exit 77; }
"$py" "$(dirname "$0")/onnx_acceptance_export.py" "$dir" "${networks[@]}"
status=0
for name in "${networks[@]}"; do
  "$bin" describe "onnx:$dir/$name.onnx" | grep -E "^total"
  for backend in reference onednn torch; do
    "$bin" run "onnx:$dir/$name.onnx" --backend "$backend" --threads 2 --input "$dir/${name}_input.npy" \
      --save-output "$dir/${name}_$backend.npy" | grep -E '^(time|output)'
    echo "== $name on $backend vs PyTorch:"
    "$bin" compare "$dir/${name}_$backend.npy" "$dir/${name}_torch.npy" --bound 1e-4 || status=1
  done
done
exit $status
