#include "backends/torch/op_trace.h"

#include <ATen/record_function.h>
#include <torch/csrc/jit/runtime/interpreter.h>

#include <chrono>
#include <optional>

#include "common/error.h"

namespace fb::torch_trace {
namespace {

struct State {
  Detail detail = Detail::TopLevel;
  int depth = 0;
  std::vector<OpEvent> events;
  std::vector<size_t> open;  // indices of the recorded events not yet ended, innermost last
};
// The callbacks are plain function pointers: the state they fill is this
// thread's, set only while an OpTrace lives on it.
thread_local State* tls_state = nullptr;

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int64_t source_line() {
  const auto stack = torch::jit::currentCallstack();
  if (stack.empty()) return -1;
  const auto& range = stack.back().range;
  if (!range.source()) return -1;
  return static_cast<int64_t>(range.source()->lineno_for_offset(range.start()));
}

std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
  State* s = tls_state;
  if (!s) return nullptr;
  const int depth = s->depth++;
  if (depth > 0 && s->detail == Detail::TopLevel) return nullptr;
  OpEvent e;
  e.name = fn.name();
  e.depth = depth;
  if (s->detail == Detail::Full) e.line = source_line();
  s->open.push_back(s->events.size());
  e.start_s = now_s();  // last: the bookkeeping above is not the op's time
  s->events.push_back(std::move(e));
  return nullptr;
}

// LibTorch calls the end callback of every started op, whatever start returned.
void on_end(const at::RecordFunction&, at::ObserverContext*) {
  const double t = now_s();
  State* s = tls_state;
  if (!s || s->depth == 0) return;
  const int depth = --s->depth;
  if (depth > 0 && s->detail == Detail::TopLevel) return;
  if (s->open.empty()) return;
  s->events[s->open.back()].end_s = t;
  s->open.pop_back();
}

// An op that only allocates a tensor: never what a step's time is spent in,
// even when a busy machine stalls it for longer than the kernel takes.
bool allocates_only(const std::string& name) {
  for (const char* s : {"aten::empty", "aten::_empty", "aten::resize_", "aten::zeros"})
    if (name.rfind(s, 0) == 0) return true;
  return false;
}

}  // namespace

OpTrace::OpTrace(Detail detail) {
  if (tls_state) throw Error("internal: an op trace is already recording on this thread");
  tls_state = new State{detail, 0, {}, {}};
  handle_ = at::addThreadLocalCallback(
      at::RecordFunctionCallback(on_start, on_end).scopes({at::RecordScope::FUNCTION}));
}

OpTrace::~OpTrace() {
  at::removeCallback(handle_);
  delete tls_state;
  tls_state = nullptr;
}

size_t OpTrace::size() const { return tls_state->events.size(); }
const std::vector<OpEvent>& OpTrace::events() const { return tls_state->events; }

std::string dominant_op(const std::vector<OpEvent>& events, size_t top) {
  size_t at = top;
  for (;;) {
    const OpEvent& parent = events[at];
    const double span = parent.end_s - parent.start_s;
    size_t best = at;
    double best_s = -1;
    // Its children: the following events one level deeper, until one at its level or above.
    for (size_t i = at + 1; i < events.size() && events[i].depth > parent.depth; ++i)
      if (events[i].depth == parent.depth + 1 && !allocates_only(events[i].name) &&
          events[i].end_s - events[i].start_s > best_s) {
        best = i;
        best_s = events[i].end_s - events[i].start_s;
      }
    if (best == at || best_s < 0.5 * span) return parent.name;
    at = best;
  }
}

std::string longest_op(const std::vector<OpEvent>& events, size_t begin, size_t end) {
  std::optional<size_t> longest;
  for (size_t e = begin; e < end; ++e)
    if (events[e].depth == 0 &&
        (!longest || events[e].end_s - events[e].start_s > events[*longest].end_s - events[*longest].start_s))
      longest = e;
  return longest ? dominant_op(events, *longest) : "(no ATen op)";
}

}  // namespace fb::torch_trace
