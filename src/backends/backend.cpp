#include "backends/backend.h"

#include <fmt/core.h>

#include "common/checked.h"
#include "common/error.h"

namespace fb {

const std::vector<StepRecord>& Executable::steps() const {
  static const std::vector<StepRecord> none;
  return none;
}

std::vector<double> Executable::run_profiled(const float*, float*) {
  throw Error("internal: this backend has no profiling mode");
}

std::string BackendChoice::str() const {
  return backend->name() + (options.variant.empty() ? "" : ":" + options.variant);
}

void require_precision(const std::string& backend, const BackendOptions& o, const std::vector<Precision>& runs,
                       const std::string& why_not) {
  for (Precision p : runs)
    if (p == o.precision) return;
  std::string list;
  for (Precision p : runs) list += (list.empty() ? "" : ", ") + std::string(precision_name(p));
  throw UsageError("backend '" + backend + "' runs " + list + (runs.size() == 1 ? " only" : "") + ", not precision=" +
                   precision_name(o.precision) + (why_not.empty() ? "" : " (" + why_not + ")") +
                   "; onednn runs fp32, bf16 and int8");
}

void require_no_options(const std::string& backend, const BackendOptions& o, const std::vector<Precision>& runs,
                        const std::string& why_not) {
  require_precision(backend, o, runs, why_not);
  if (!o.variant.empty())
    throw UsageError("backend '" + backend + "' has no variants (got '" + backend + ":" + o.variant + "')");
  if (!o.isa.empty())
    throw UsageError("backend '" + backend + "' cannot cap its instruction set (got isa=" + o.isa +
                     "); only onednn takes isa=");
}

namespace {

std::string gib(int64_t bytes) { return fmt::format("{:.2f} GiB", static_cast<double>(bytes) / 1073741824.0); }

}  // namespace

MemoryEstimate sum_memory(const std::vector<std::tuple<std::string, int64_t, int64_t>>& terms) {
  MemoryEstimate e;
  for (const auto& [name, bytes, factor] : terms) {
    const int64_t b = checked_mul(bytes, factor, "the memory estimate's " + name);
    e.bytes = checked_add(e.bytes, b, "the memory estimate");
    e.how += (e.how.empty() ? "" : " + ") + name + (factor == 1 ? "" : " x" + std::to_string(factor)) + " " + gib(b);
  }
  return e;
}

MemoryEstimate estimate_memory(const BackendChoice& choice, const GraphCost& cost, bool cache_sim) {
  MemoryEstimate e = choice.backend->estimate_memory(cost, choice.options);
  if (cache_sim) {
    e.bytes = checked_mul(e.bytes, 2, "the memory estimate under valgrind");
    e.how = "(" + e.how + ") x2 under valgrind";
  }
  return e;
}

void require_memory(const BackendChoice& choice, const GraphCost& cost, bool cache_sim) {
  const std::string why = memory_refusal(estimate_memory(choice, cost, cache_sim), mem_available_bytes());
  if (!why.empty()) throw UsageError(choice.str() + ": " + why);
}

Tensor run_once(const BackendChoice& choice, const Graph& g, const Weights& w, const Tensor& input) {
  if (input.shape != g.input_shape())
    throw UsageError("input shape " + input.shape.str() + " does not match the network's " + g.input_shape().str());
  auto exe = choice.backend->compile(g, w, choice.options);
  Tensor out(g.output_shape());
  exe->run(input.ptr(), out.ptr());
  return out;
}

}  // namespace fb
