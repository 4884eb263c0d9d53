#pragma once
// All compile-time tuning (variant switch `notune` turns it off): Winograd
// against direct convolutions, and whole programs under each layout policy. Times are the minimum of a few runs after a warm-up, on
// buffers made for the purpose: good enough to rank candidates, never
// reported as the network's latency.
#include <oneapi/dnnl/dnnl.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "backends/onednn/engine_options.h"
#include "backends/onednn/plan.h"
#include "backends/onednn/program.h"

namespace fb::onednn {

// Candidate primitives already timed in this compile, by problem key, so 50
// identical blocks cost one timing.
struct TuneCache {
  std::map<std::string, double> ms;
  double spent_ms = 0;  // wall time spent timing candidates: the tuner's share of compile time
};

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
// `tuning_ms` how long timing the candidates took (the rest is compiling).
std::unique_ptr<Program> compile_tuned(const Plan& p, const Shape& input_shape, const Shape& output_shape,
                                       EngineOptions eo, int threads, std::string& report, double& tuning_ms);

}  // namespace fb::onednn
