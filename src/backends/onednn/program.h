#pragma once
// The compiled network: a flat list of oneDNN primitives with their
// arguments bound at compile time, one stream, one activation arena.
// run() sets the two user pointers and executes; it allocates nothing and
// looks nothing up.
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/backend.h"

namespace fb::onednn {

struct BoundPrimitive {
  dnnl::primitive primitive;
  std::unordered_map<int, dnnl::memory> args;
};

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
using AlignedBytes = std::unique_ptr<std::byte, FreeDeleter>;
AlignedBytes allocate_aligned(size_t bytes);  // zero-filled, 64-byte aligned

class Program final : public Executable {
 public:
  void run(const float* input, float* output) override;
  // The header, every step record rendered, then the footer.
  std::string explain() const override;
  const std::vector<StepRecord>& steps() const override { return records; }
  // Each primitive timed alone: executed, then waited for. Not run()'s path.
  std::vector<double> run_profiled(const float* input, float* output) override;
  std::optional<double> last_profiled_run_seconds() const override { return last_profiled_s; }
  std::string step_timing() const override;
  CompiledFacts compiled_facts() const override { return {winograd_convs, compile_phases_ms, tuning}; }
  // The run's threads and the caller's input and output buffers.
  void bind(const float* input, float* output);

  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  std::vector<BoundPrimitive> primitives;
  std::vector<StepRecord> records;  // one per primitive, same order
  std::optional<double> last_profiled_s;  // the last profiled run, bind to the last wait
  dnnl::memory user_input, user_output;  // handles set on every run
  AlignedBytes arena, scratch;
  std::vector<dnnl::memory> constants;  // packed weights, owned here
  // EngineOptions::observe only: each plan value's memory and the primitive
  // after which it holds its result, in primitive order (int8 calibration).
  struct Observed {
    size_t after = 0;
    ValueId value = -1;
    dnnl::memory mem;
  };
  std::vector<Observed> observed;
  int threads = 1;
  int winograd_convs = 0;  // convolutions compiled to oneDNN's Winograd algorithm
  std::vector<std::pair<std::string, double>> compile_phases_ms;  // CompiledFacts::phases_ms
  CompiledFacts::Tuning tuning;  // CompiledFacts::tuning
  std::string header, footer;  // explain's text around the steps
};

}  // namespace fb::onednn
