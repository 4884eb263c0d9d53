#pragma once
// "torch" at precision=int8: the network as PyTorch's eager-mode post-
// training static quantisation leaves it, built in C++ from what the
// Python workflow (fuse_modules, prepare, calibrate, convert) would produce:
//   fusion: conv -> BN -> ReLU into one quantised conv (BN folded into the
//     weights, as fuse_modules does), linear -> ReLU and add -> ReLU likewise;
//   observers: per-tensor affine quint8 activations from the min and max
//     over seeded calibration images (MinMaxObserver); per-output-channel
//     symmetric qint8 weights (PerChannelMinMaxObserver); the activation
//     range reduced to 7 bits where the CPU has no VNNI, as PyTorch's x86
//     qconfigs do (vpmaddubsw's 16-bit pair sums saturate otherwise);
//   convert: LibTorch's quantised ops (quantized::conv2d, linear, add, cat,
//     batch_norm2d) on its default quantised engine, the rest (pools, ReLU,
//     ReLU6 as hardtanh, pad, slice) on quantised tensors directly; only an
//     average pool with asymmetric padding that excludes the pad runs in
//     fp32 between a dequantise and a quantise (no quantised form).
// Input and output stay fp32: a quantise first, a dequantise last.
// Internal to backends/torch/ (it has torch types).
#include <memory>

#include "backends/torch/torch_backend.h"

namespace fb {

std::unique_ptr<TorchExecutable> make_int8_executable(const Graph& g, const Weights& w, const BackendOptions& o);

}  // namespace fb
