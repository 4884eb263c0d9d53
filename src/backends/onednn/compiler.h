#pragma once
// Turns a Plan (after the passes) into a Program: chooses each primitive's
// layouts (avoiding reference kernels), packs weights, inserts the reorders
// that remain, plans the activation arena and binds every argument. With a
// TuneSession, also times Winograd against direct kernels where both exist.
#include <memory>

#include "backends/onednn/engine_options.h"
#include "backends/onednn/plan.h"
#include "backends/onednn/program.h"
#include "backends/onednn/tuner.h"

namespace fb::onednn {

std::unique_ptr<Program> compile_plan(const Plan& plan, const Shape& input_shape, const EngineOptions& options,
                                      int threads, TuneSession* tune = nullptr);

}  // namespace fb::onednn
