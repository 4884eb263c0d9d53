#include "backends/ort/ort_steps.h"

#include <cctype>
#include <map>
#include <optional>

#include <fmt/core.h>

#include "backends/op_steps.h"
#include "common/error.h"
#include "interop/onnx_export.h"

namespace fb {

namespace {

// The graph op an ONNX op type computes, where it names one.
std::optional<OpKind> op_of(const std::string& op_type) {
  static const std::map<std::string, OpKind> ops = {
      {"Conv", OpKind::Conv},          {"FusedConv", OpKind::Conv},       {"BatchNormalization", OpKind::BatchNorm},
      {"Relu", OpKind::Activation},    {"Clip", OpKind::Activation},      {"Add", OpKind::Add},
      {"Sum", OpKind::Add},            {"Concat", OpKind::Concat},        {"MaxPool", OpKind::MaxPool},
      {"AveragePool", OpKind::AvgPool}, {"GlobalAveragePool", OpKind::GlobalAvgPool},
      {"Flatten", OpKind::Flatten},    {"Gemm", OpKind::Linear},          {"FusedGemm", OpKind::Linear},
      {"Pad", OpKind::Pad},            {"Slice", OpKind::Slice}};
  const auto it = ops.find(op_type);
  if (it == ops.end()) return std::nullopt;
  return it->second;
}

// The graph node whose export name (`names`, onnx_node_names) `ort_node`
// is, or begins with before a separator.
ValueId named_node(const std::vector<std::string>& names, const std::string& ort_node) {
  ValueId best = -1;
  size_t best_length = 0;
  for (size_t i = 1; i < names.size(); ++i) {
    const std::string& name = names[i];
    if (name.empty() || name.size() > ort_node.size() || ort_node.compare(0, name.size(), name) != 0) continue;
    const bool whole = name.size() == ort_node.size();
    if (whole) return static_cast<ValueId>(i);
    const char next = ort_node[name.size()];
    if (!std::isalnum(static_cast<unsigned char>(next)) && name.size() > best_length) {
      best = static_cast<ValueId>(i);
      best_length = name.size();
    }
  }
  return best;
}

// Up to this many nodes up the first inputs: conv, BN, ReLU is the longest
// chain ONNX Runtime fuses into one kernel here.
constexpr int kFusedChain = 3;

bool is_reorder(const KernelTime& k) { return k.op_type.rfind("Reorder", 0) == 0; }

ValueId node_of(const Graph& g, const std::vector<std::string>& names, const KernelTime& k) {
  const ValueId named = named_node(names, k.node);
  const std::optional<OpKind> op = op_of(k.op_type);
  if (named < 0 || !op) return named;
  ValueId at = named;
  for (int up = 0; up <= kFusedChain && at > 0; ++up) {
    if (g.node(at).op == *op) return at;
    at = g.node(at).inputs.empty() ? -1 : g.node(at).inputs[0];
  }
  return named;
}

// What identifies a kernel across profiling sessions: its op type and the
// graph node it computes, not its name (ONNX Runtime numbers the nodes it
// makes anew in each session: ReorderOutput_token_18 in one is _token_19 in
// the next).
std::string kernel_key(const Graph& g, const std::vector<std::string>& names, const KernelTime& k) {
  return is_reorder(k) ? k.op_type : k.op_type + " @" + std::to_string(node_of(g, names, k));
}

}  // namespace

ValueId graph_node_of(const Graph& g, const KernelTime& k) { return node_of(g, onnx_io::onnx_node_names(g), k); }

OrtSteps ort_steps(const Graph& g, const std::vector<KernelTime>& run) {
  const std::vector<std::string> names = onnx_io::onnx_node_names(g);
  std::vector<EngineOp> ops;
  OrtSteps out;
  for (const KernelTime& k : run) {
    const bool layout = is_reorder(k);
    ops.push_back({k.op_type, k.op_type, layout ? ValueId{-1} : node_of(g, names, k), layout});
  }
  OpSteps steps = map_op_steps(
      g, ops,
      {"layout conversion inserted by ONNX Runtime's NCHWc transformer",
       "a kernel of no graph node (a node ONNX Runtime's graph optimisation made)",
       "no kernel of its own: fused into another node by ONNX Runtime's graph optimisation"});
  out.records = std::move(steps.records);
  std::vector<size_t> step_of_kernel(run.size());
  for (size_t s = 0; s < steps.ops.size(); ++s)
    for (size_t k : steps.ops[s]) step_of_kernel[k] = s;
  for (size_t k = 0; k < run.size(); ++k) out.steps_of_key[kernel_key(g, names, run[k])].push_back(step_of_kernel[k]);
  out.kernels = run.size();
  return out;
}

std::vector<double> step_seconds(const Graph& g, const OrtSteps& steps, const std::vector<KernelTime>& run) {
  if (run.size() != steps.kernels)
    throw Error(fmt::format("ort: a profiled run executed {} kernels, not the {} its steps were named from", run.size(),
                            steps.kernels));
  const std::vector<std::string> names = onnx_io::onnx_node_names(g);
  std::vector<double> seconds(steps.records.size(), 0.0);
  std::map<std::string, size_t> seen;
  for (const KernelTime& k : run) {
    const std::string key = kernel_key(g, names, k);
    const auto it = steps.steps_of_key.find(key);
    const size_t i = seen[key]++;
    if (it == steps.steps_of_key.end() || i >= it->second.size())
      throw Error("ort: a profiled run executed a kernel its steps were not named from: " + k.node + " (" + k.op_type +
                  ")");
    seconds[it->second[i]] += k.seconds;
  }
  return seconds;
}

}  // namespace fb
