#pragma once
// Compile-time timing of candidate implementations (variant switch `notune`
// turns it off). Times are the minimum of a few runs after a warm-up, on
// buffers made for the purpose: good enough to rank candidates, never
// reported as the network's latency.
#include <oneapi/dnnl/dnnl.hpp>

#include <map>
#include <string>

#include "backends/onednn/program.h"

namespace fb::onednn {

// Candidate primitives already timed in this compile, by problem key, so 50
// identical blocks cost one timing.
struct TuneCache {
  std::map<std::string, double> ms;
};

// One primitive on zeroed buffers of its own argument descriptors (every
// argument of `args_of` is allocated); milliseconds.
double time_primitive_ms(const dnnl::primitive& p, const dnnl::primitive_desc_base& pd, const std::vector<int>& args_of,
                         dnnl::engine& eng, dnnl::stream& s);

// A whole compiled program on a constant input; milliseconds per run.
double time_program_ms(Program& prog, size_t input_floats, size_t output_floats);

}  // namespace fb::onednn
