#pragma once
// torch's int8 network (torch_int8.h says what it is and why): fusion as
// fuse_modules does it, calibrated quint8 activations, per-channel qint8
// weights, LibTorch's quantised ops. Built once, then run eagerly (torch) or
// written as TorchScript (torch-jit). Internal to backends/torch/.
#include <ATen/ATen.h>
#include <ATen/native/quantized/PackedParams.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "graph/ir.h"
#include "graph/weights.h"

namespace fb::torch_quant {

using ConvParams = c10::intrusive_ptr<ConvPackedParamsBase<2>>;
using LinearParams = c10::intrusive_ptr<LinearPackedParamsBase>;

struct QParams {
  double scale = 1;
  int64_t zero_point = 0;
};

struct Range {
  float min = std::numeric_limits<float>::infinity(), max = -std::numeric_limits<float>::infinity();
};

// One quantised op: the node it computes, and the nodes fused into it.
struct QStep {
  ValueId head = -1;
  std::vector<ValueId> fused;  // a folded BN, a fused ReLU
  bool relu = false;
  std::optional<Padding> pre_pad;  // asymmetric padding, applied first
  QParams out;                     // where the op requantises its output
  ConvParams conv;
  LinearParams linear;
  at::Tensor gamma, beta, mean, var;  // a BN that stays alone
  bool in_fp32 = false;               // no quantised form: dequantise, fp32, quantise
  ValueId result() const { return fused.empty() ? head : fused.back(); }
};

class QuantizedNet {
 public:
  // `ranges`: every node's fp32 output range over the calibration images.
  QuantizedNet(const Graph& g, const Weights& w, const std::vector<Range>& ranges, bool reduce_range);

  // `after_step(k)` is called after step k: 0 the input's quantise, 1..n
  // the quantised ops, n+1 the output's dequantise.
  template <class AfterStep>
  at::Tensor forward_each(const at::Tensor& input, AfterStep&& after_step) const {
    std::vector<at::Tensor> v(g_.nodes.size());
    v[0] = at::quantize_per_tensor(input, input_q_.scale, input_q_.zero_point, at::kQUInt8);
    after_step(0);
    for (size_t k = 0; k < steps_.size(); ++k) {
      const QStep& s = steps_[k];
      v[static_cast<size_t>(s.result())] = compute(s, v);
      for (ValueId in : g_.node(s.head).inputs)
        if (last_use_[static_cast<size_t>(in)] == static_cast<ValueId>(k) && in != g_.output)
          v[static_cast<size_t>(in)].reset();
      after_step(k + 1);
    }
    at::Tensor y = v[static_cast<size_t>(g_.output)].dequantize();
    after_step(steps_.size() + 1);
    return y;
  }

  at::Tensor forward(const at::Tensor& input) const { return forward_each(input, [](size_t) {}); }

  const Graph& graph() const { return g_; }
  const std::vector<QStep>& steps() const { return steps_; }
  const QParams& input_qparams() const { return input_q_; }

 private:
  void prepare(QStep& s, const Weights& w) const;
  at::Tensor compute(const QStep& s, const std::vector<at::Tensor>& v) const;

  Graph g_;
  std::vector<QStep> steps_;
  std::vector<ValueId> last_use_;  // the step that last reads each value
  QParams input_q_;
};

// The quantised network and what building it took: shared by torch (run
// eagerly) and torch-jit (written as TorchScript, frozen).
struct Quantized {
  std::optional<QuantizedNet> net;
  int64_t params = 0;  // of the unfused fp32 network: what the cost model counts
  int images = 0;
  bool reduce_range = false;
  CompiledFacts facts;
};

// Builds the fp32 module, calibrates it on `o.calibration_inputs` seeded
// images and quantises it; each phase's time in `facts`.
Quantized quantize_network(const Graph& g, const Weights& w, const BackendOptions& o);

// explain's first line: how the network was quantised.
std::string quantisation_summary(const Quantized& q);

// "nchw:quint8 (scale 0.016, zero point 0)"
std::string qtype(const QParams& q);

}  // namespace fb::torch_quant
