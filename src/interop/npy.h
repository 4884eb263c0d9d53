#pragma once
// NumPy's .npy format for network inputs and outputs: float32, little-endian,
// C order (what numpy.save writes for a float32 array), so another tool's
// tensors can be fed to formbench and its outputs compared.
#include <cstdint>
#include <string>
#include <string_view>

#include "graph/tensor.h"

namespace fb {

// The header is checked strictly: anything but '<f4', C order and a shape of
// non-negative dimensions whose element count matches the data exactly is a
// UsageError that names `what` and says what was wrong.
Tensor parse_npy(std::string_view bytes, const std::string& what);
Tensor read_npy(const std::string& path);

// The network input of a model that takes `shape`: the .npy file at `path`
// (UsageError "WHAT 'PATH' has shape ..." unless it has that shape), or drawn
// from `seed` (graph/weights.h) when `path` is empty. run, profile and measure
// all take their input through this.
Tensor network_input(const std::string& path, const Shape& shape, uint64_t seed, const std::string& what);

std::string npy_bytes(const Tensor& t);
// Written whole or not at all (common/atomic_file.h); never over `inputs`.
void write_npy(const std::string& path, const Tensor& t, const std::vector<std::string>& inputs = {});

}  // namespace fb
