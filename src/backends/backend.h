#pragma once
// The backend interface. A Backend turns a Graph and its Weights into an
// Executable: compile() does all shape-dependent work (lowering, layout
// choice, weight packing, allocation); run() only computes. Backends know
// nothing of studies, stores or measurement policy.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/meminfo.h"
#include "common/precision.h"
#include "backends/step_record.h"
#include "backends/tuning_cache.h"
#include "graph/cost.h"
#include "graph/ir.h"
#include "graph/tensor.h"
#include "graph/weights.h"

namespace fb {

// The most threads a configuration may ask for: beyond any machine formbench
// runs on, so a typo (threads=1000000) is refused rather than spawned.
inline constexpr int kMaxThreads = 4096;
// int8 calibration images: 16 by default (the largest |x| of a tensor
// settles within a few images of a seeded uniform input); at most 4096.
inline constexpr int kDefaultCalibrationInputs = 16;
inline constexpr int kMaxCalibrationInputs = 4096;
// Calibration image i comes from this seed + i, on every backend that runs
// int8: far from the evaluation inputs' seeds (measure/precision_accuracy.h),
// so the scales are never fitted to the inputs the accuracy is judged on.
inline constexpr uint64_t kCalibrationSeed = 0x5eedca1bull;

struct BackendOptions {
  int threads = 1;
  // What follows ':' in "onednn:nofuse"; each backend parses its own, and
  // rejects what it does not know with a UsageError.
  std::string variant;
  // Highest instruction set the backend may use ("avx2", "avx512_core", ...);
  // empty = whatever the machine has. Process-wide in oneDNN, so the
  // measurement layer gives every configuration its own process.
  std::string isa;
  // The arithmetic inside the engine (input and output stay fp32). A backend
  // refuses, in check_options and compile, a precision it does not run.
  Precision precision = Precision::fp32;
  // int8: how many seeded images calibrate the activation scales (one
  // batch-1 fp32 inference each, at compile time).
  int calibration_inputs = kDefaultCalibrationInputs;
  // Compile-time tuning (onednn): timings found here are not made again, and
  // new ones are saved (null: every compile times afresh); the most
  // milliseconds timing may take (nullopt: the backend's stated default).
  std::shared_ptr<TuningCache> tuning_cache;
  std::optional<double> tuning_budget_ms;
};

// What compile() chose that changes the arithmetic actually done, recorded
// with each measurement ("compiled"): a Winograd convolution does fewer
// multiplications than the direct count the cost model reports.
struct CompiledFacts {
  int winograd_convs = 0;
  // Where compile()'s own time went, in order, milliseconds (the user waits
  // for it too): e.g. lower, each pass, primitives and weights, tuning.
  // Empty where the backend does not say.
  std::vector<std::pair<std::string, double>> phases_ms;
  // What compile-time tuning did, in distinct candidates: timed in this
  // compile, found in the tuning cache, and left untimed because the tuning
  // budget was spent (the backend's fixed rule kept for those), and the
  // whole programs compiled to decide (1 where every alternative's time was
  // in the cache). All zero where nothing is tuned.
  struct Tuning {
    int timed = 0, cached = 0, skipped = 0, programs_compiled = 0;
  } tuning;
};

class Executable {
 public:
  virtual ~Executable() = default;
  // input: the graph's input shape, NCHW fp32; output: the graph's output shape.
  virtual void run(const float* input, float* output) = 0;
  // Human-readable compiled plan (formbench explain); empty if nothing to say.
  virtual std::string explain() const { return {}; }
  virtual CompiledFacts compiled_facts() const { return {}; }
  // One record per executed step, in order (backends/step_record.h); empty
  // when the backend keeps none.
  virtual const std::vector<StepRecord>& steps() const;
  // One run in profiling mode: each step timed alone (the backend waits for
  // it before the next starts); seconds, one per steps() entry. run() stays
  // the measured path. Only for backends whose has_profiler() is true.
  virtual std::vector<double> run_profiled(const float* input, float* output);
  // The whole of the last profiled run, start to end with the profiler on,
  // where the backend times it: what tells a profiler's own cost (the steps
  // sum to it) from time no step holds. nullopt where it does not say.
  virtual std::optional<double> last_profiled_run_seconds() const { return std::nullopt; }
  // For `profile`'s summary: what one step's time holds, and what run()'s
  // end-to-end latency holds that no step does.
  virtual std::string step_timing() const { return {}; }
  // Engines in a process of their own (ort): that process's id, whose CPU
  // time is this measurement's own, not interference; 0 for in-process ones.
  virtual int helper_pid() const { return 0; }
  // Where the engine times itself (a peer across a process boundary): the
  // seconds of the last run() inside the engine, without the copies across
  // the boundary; nullopt where the caller's clock around run() is the time.
  virtual std::optional<double> last_engine_seconds() const { return std::nullopt; }
};

using Facts = std::vector<std::pair<std::string, std::string>>;

// Adds terms (name, bytes, factor) with checked arithmetic; UsageError on overflow.
MemoryEstimate sum_memory(const std::vector<std::tuple<std::string, int64_t, int64_t>>& terms);

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;
  virtual std::unique_ptr<Executable> compile(const Graph& g, const Weights& w,
                                              const BackendOptions& opts) const = 0;
  // Facts the measurement layer records (library versions, BLAS, threads...).
  virtual Facts environment(const BackendOptions&) const { return {}; }
  // UsageError for options this backend cannot take (a variant, an isa=),
  // without compiling anything: a spec is checked with it when it is loaded.
  virtual void check_options(const BackendOptions& o) const = 0;
  // Whether compiled programs keep step records and time them (`profile`).
  virtual bool has_profiler() const { return false; }
  // False for an engine that computes in a process of its own (ort): the
  // cache simulator and the hardware counters see this process only, so
  // neither can describe it.
  virtual bool in_process() const { return true; }
  // Memory for `cost` (a graph at its batch) under these options.
  virtual MemoryEstimate estimate_memory(const GraphCost& cost, const BackendOptions& o) const = 0;
};

// All backends built into this binary, in registry order (reference first).
const std::vector<std::unique_ptr<Backend>>& backend_registry();

// "onednn:nofuse" -> the onednn backend with variant "nofuse". UsageError for
// an unknown name, listing the known ones.
struct BackendChoice {
  const Backend* backend = nullptr;
  BackendOptions options;
  std::string str() const;  // "onednn:nofuse"
};
BackendChoice choose_backend(const std::string& spec, int threads);

// The pre-flight of a per-step profile (`profile`, profile=1): UsageError
// for a backend without a profiler, naming those in the registry with one.
void require_profiler(const BackendChoice& choice);

// For backends that take neither a variant nor an ISA cap: rejects both, and
// a precision not in `runs` (with `why_not` said after), so that a
// configuration never claims a setting that was silently ignored.
void require_no_options(const std::string& backend, const BackendOptions& o,
                        const std::vector<Precision>& runs = {Precision::fp32}, const std::string& why_not = "");
// UsageError unless o.precision is in `runs`: "backend 'X' runs fp32 only ..., not bf16".
void require_precision(const std::string& backend, const BackendOptions& o, const std::vector<Precision>& runs,
                       const std::string& why_not = "");

// The pre-flight of one configuration in this process (run, bench, measure):
// UsageError with memory_refusal's reason against MemAvailable. Under the
// cache simulator (valgrind) the estimate doubles.
void require_memory(const BackendChoice& choice, const GraphCost& cost, bool cache_sim = false);
MemoryEstimate estimate_memory(const BackendChoice& choice, const GraphCost& cost, bool cache_sim = false);

// Compiles and runs once: the convenience path for checks and tests.
Tensor run_once(const BackendChoice& choice, const Graph& g, const Weights& w, const Tensor& input);

}  // namespace fb
