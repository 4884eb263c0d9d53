#pragma once
// All compile-time tuning (variant switch `notune` turns it off): Winograd
// against direct convolutions, and whole programs under each layout policy.
// Times are the minimum of a few runs after a warm-up, on buffers made for
// the purpose: good enough to rank candidates, never reported as the
// network's latency. Timing stops when the tuning budget is spent; what was
// not timed keeps the library's rule (direct conv, the library layout policy).
#include <oneapi/dnnl/dnnl.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "backends/onednn/engine_options.h"
#include "backends/onednn/plan.h"
#include "backends/onednn/program.h"
#include "backends/tuning_cache.h"

namespace fb::onednn {

// The most wall time one compile spends tuning, by default: timing
// candidates and compiling the programs after the first. On this project's
// 2-thread Zen 4 machine resnet50 tunes fully in ~0.7 s at batch 1
// (inception_v3 too), while one alternative layout of nasnet_a_large costs
// 1.4 s: 1 s keeps the common networks fully tuned with room for a loaded
// machine, and leaves the long-running ones to a tuning cache.
inline constexpr double kTuningBudgetMs = 1000;

// The tuner's state for one compile: what it timed or found, where it keeps
// timings across compiles, the budget and what the budget left untimed.
class TuneSession {
 public:
  // `prefix` makes keys comparable across processes: library version, ISA, threads.
  TuneSession(TuningCache* shared, std::string prefix, double budget_ms)
      : shared_(shared), prefix_(std::move(prefix)), budget_ms_(budget_ms) {}

  // The time of candidate `key`, ms: timed already in this compile, found in
  // the shared cache, or timed now by `run` (charged to the budget, saved),
  // if the budget has `expected_cost_ms` left; nullopt when it has not.
  std::optional<double> time(const std::string& key, const std::function<double()>& run, double expected_cost_ms = 0);
  // Times `key` now, whatever is left (the caller afforded it), charges and saves it.
  double time_now(const std::string& key, const std::function<double()>& run);
  // The time of `key` if this compile or the shared cache already has it
  // (a hit costs no budget); nothing is timed.
  std::optional<double> recall(const std::string& key);
  // Whether a timing expected to cost `expected_cost_ms` fits in what is
  // left (or, with a cache, is the first thing this compile spends on).
  bool can_afford(double expected_cost_ms) const;
  // Counts a whole program compiled to decide. The first is what notune
  // compiles too, so it is free; each later one is tuning work and its
  // compile time is charged to the budget.
  void add_program(double compile_ms) {
    if (programs_compiled_++ > 0) spent_ms_ += compile_ms;
  }
  void skip(const std::string& key) { skipped_.insert(key); }  // left untimed for the budget

  double spent_ms() const { return spent_ms_; }  // the tuner's share of compile time: timings and extra compiles
  double budget_ms() const { return budget_ms_; }
  // Distinct candidates timed now, found in the shared cache, and not timed for the budget.
  int timed() const { return timed_; }
  int cached() const { return cached_; }
  int programs_compiled() const { return programs_compiled_; }
  int skipped() const { return static_cast<int>(skipped_.size()); }
  // "tuning: 7 candidates timed (612 ms of a 1000 ms budget), 2 from the tuning cache, 0 not timed"
  std::string summary() const;

 private:
  TuningCache* shared_;
  std::string prefix_;
  double budget_ms_;
  std::map<std::string, double> ms_;  // this compile's times, by key: 50 identical blocks cost one timing
  std::set<std::string> skipped_;
  double spent_ms_ = 0;
  int timed_ = 0, cached_ = 0, programs_compiled_ = 0;
};

// The key prefix that makes a timing comparable: the same library build, ISA,
// threads and precision (a bf16 kernel's time says nothing of the fp32 one).
std::string tuning_key_prefix(int threads, Precision precision);

// One primitive on zeroed buffers of its own argument descriptors (every
// argument of `args_of` is allocated); milliseconds.
double time_primitive_ms(const dnnl::primitive& p, const dnnl::primitive_desc_base& pd, const std::vector<int>& args_of,
                         dnnl::engine& eng, dnnl::stream& s);

// A whole compiled program on a constant input; milliseconds per run.
double time_program_ms(Program& prog, size_t input_floats, size_t output_floats);

class ValueTable;
// Winograd is a candidate for 3x3 stride-1 dense convs in the layouts the
// direct kernel got (`winograd` builds it; it may throw dnnl::error): timed
// against the direct kernel once per distinct problem, kept if faster.
dnnl::convolution_forward::primitive_desc tune_conv_algorithm(
    ValueTable& vt, const Step& s, const dnnl::convolution_forward::primitive_desc& direct,
    const std::function<dnnl::convolution_forward::primitive_desc()>& winograd);

// Compiles the plan under each activation layout policy and keeps the
// program that runs fastest; `report` says what each took and which won,
// and what the session timed, found and skipped. A policy whose time is in
// the cache is not compiled unless it wins.
std::unique_ptr<Program> compile_tuned(const Plan& p, const Shape& input_shape, const Shape& output_shape,
                                       const EngineOptions& eo, int threads, TuneSession& session,
                                       std::string& report);

}  // namespace fb::onednn
