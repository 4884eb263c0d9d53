#pragma once
// ONNX Runtime's kernels of one profiled run (runner_client.h) as step
// records: each kernel mapped back to the graph node whose ONNX node it
// ran (by name: the export names ONNX nodes after graph nodes; ONNX Runtime
// keeps or extends the name of a node it fuses or converts), the layout
// conversions its NCHWc transformer inserts as reorders.
#include <map>
#include <string>
#include <vector>

#include "backends/ort/runner_client.h"
#include "backends/step_record.h"
#include "graph/ir.h"

namespace fb {

struct OrtSteps {
  std::vector<StepRecord> records;
  // For each kernel key (op type and graph node, ort_steps.cpp), the step of each of its kernels, in
  // the order the named run executed them.
  std::map<std::string, std::vector<size_t>> steps_of_key;
  size_t kernels = 0;
};

// The graph node an ONNX Runtime kernel computes: the node of its name (as
// the export named it, unique: onnx_node_names), else the one whose name is
// the longest prefix of it followed by a separator ("stem.conv_nchwc" ->
// stem.conv); then, since a fused node takes
// the name of the last node it absorbed (conv + BN + ReLU is
// "stem.relu_nchwc", op type Conv), the nearest node up its first inputs
// whose op is the kernel's op type. -1 for none.
ValueId graph_node_of(const Graph& g, const KernelTime& k);

OrtSteps ort_steps(const Graph& g, const std::vector<KernelTime>& run);

// The seconds of each step in another profiled run of the same session's
// model. Kernels are matched by key, not position: another session may order
// independent branches differently; kernels of one key (the reorders of one
// op type) are matched in the order they ran. Error where the run's kernels
// are not the named run's.
std::vector<double> step_seconds(const Graph& g, const OrtSteps& steps, const std::vector<KernelTime>& run);

}  // namespace fb
