#pragma once
// The ATen ops this thread calls, through LibTorch's own RecordFunction
// callbacks (what torch.profiler is built on): each op's start and end on the
// steady clock, its nesting depth, and for ops a TorchScript interpreter runs,
// the line of the generated source it came from. Internal to backends/torch/.
#include <cstdint>
#include <string>
#include <vector>

namespace fb::torch_trace {

struct OpEvent {
  std::string name;  // "aten::conv2d", "prepacked::conv2d_clamp_run"
  double start_s = 0, end_s = 0;
  int depth = 0;      // 0: called by the network's code; 1+: called inside another op
  int64_t line = -1;  // 0-based line of the TorchScript source; -1 when not from TorchScript
};

enum class Detail {
  TopLevel,  // depth-0 ops only, no source lines: what a timed profiling run records
  Full,      // every op at every depth, with source lines: what naming the steps needs
};

// Records while alive, on the thread that created it (the calling thread of
// a forward; the intra-op workers' parallel chunks are inside their op).
class OpTrace {
 public:
  explicit OpTrace(Detail detail);
  ~OpTrace();
  OpTrace(const OpTrace&) = delete;
  OpTrace& operator=(const OpTrace&) = delete;
  size_t size() const;
  // The events so far, in start order; a running op has end_s 0.
  const std::vector<OpEvent>& events() const;

 private:
  uint64_t handle_ = 0;
};

// What a step's time is spent in: from top-level event `top`, the nested op
// holding most of its time, followed down while it holds at least half of
// its parent's (aten::conv2d -> ... -> aten::mkldnn_convolution); an op that
// only allocates (aten::empty_like) is never followed.
std::string dominant_op(const std::vector<OpEvent>& events, size_t top);

// What a step made of events [begin, end) spends its time in: the dominant
// op of its longest top-level event; "(no ATen op)" where it has none.
std::string longest_op(const std::vector<OpEvent>& events, size_t begin, size_t end);

}  // namespace fb::torch_trace
