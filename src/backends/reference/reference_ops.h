#pragma once
// One plain function per op: NCHW in, NCHW out, no tricks. `out` is already
// shaped by shape inference.
#include <vector>

#include "graph/ir.h"
#include "graph/tensor.h"

namespace fb::ref {

void conv(const ConvAttrs& a, const Tensor& x, const Tensor& weight, const Tensor* bias, Tensor& out);
void batch_norm(const BatchNormAttrs& a, const Tensor& x, const Tensor& gamma, const Tensor& beta,
                const Tensor& mean, const Tensor& var, Tensor& out);
void activation(const ActivationAttrs& a, const Tensor& x, Tensor& out);
void add(const Tensor& a, const Tensor& b, Tensor& out);
void concat(const std::vector<const Tensor*>& xs, Tensor& out);
void max_pool(const PoolAttrs& a, const Tensor& x, Tensor& out);
void avg_pool(const PoolAttrs& a, const Tensor& x, Tensor& out);
void global_avg_pool(const Tensor& x, Tensor& out);
void linear(const Tensor& x, const Tensor& weight, const Tensor* bias, Tensor& out);
void pad(const PadAttrs& a, const Tensor& x, Tensor& out);
void slice(const SliceAttrs& a, const Tensor& x, Tensor& out);

}  // namespace fb::ref
