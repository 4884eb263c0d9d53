// `formbench profile MODEL --backend B`: where the time goes, step by step
// (measure/step_profile.h), in text or JSON.
#include <fmt/core.h>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/model_args.h"
#include "cli/number_options.h"
#include "common/error.h"
#include "common/json_dump.h"
#include "graph/cost.h"
#include "graph/weights.h"
#include "measure/environment.h"
#include "measure/machine_probe.h"
#include "measure/step_profile.h"

namespace fb::cli {
namespace {

struct Options {
  std::string backend = "onednn";
  int64_t batch = 1;
  int threads = 1;
  std::string isa;
  bool json = false;
};

// UsageError for a backend without a per-step profiler, naming those with one.
void require_profiler(const BackendChoice& choice) {
  if (choice.backend->has_profiler()) return;
  std::string with;
  for (const auto& b : backend_registry())
    if (b->has_profiler()) with += (with.empty() ? "" : ", ") + b->name();
  throw UsageError("backend '" + choice.backend->name() + "' has no per-step profiler yet; profile works on: " + with);
}

}  // namespace

void add_profile_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("profile", "Time each step of a compiled model: where the time goes, and why");
  auto args = std::make_shared<ModelArgs>();
  auto o = std::make_shared<Options>();
  args->add_to(*cmd);
  cmd->add_option("--backend", o->backend, "backend[:variant] with a profiler (onednn, torch, torch-jit)")->capture_default_str();
  add_int_option(*cmd, "--batch", o->batch, 1, kMaxBatch, "batch size");
  add_int_option(*cmd, "--threads", o->threads, 1, kMaxThreads, "threads the backend may use");
  cmd->add_option("--isa", o->isa, "highest ISA the backend may use (avx2, avx512_core, ...)");
  cmd->add_flag("--json", o->json, "print the profile as JSON");
  cmd->callback([args, o] {
    ModelSpec spec = args->model();
    BackendChoice choice = choose_backend(o->backend, o->threads);
    choice.options.isa = o->isa;
    choice.backend->check_options(choice.options);
    require_profiler(choice);
    Graph g = spec.build(o->batch);
    require_memory(choice, cost_of(g));  // before weights, input or a compile allocate anything
    const Weights w = make_weights(g, 1);
    const Tensor input = make_input(g.input_shape(), 2);
    Tensor output(g.output_shape());
    auto exe = choice.backend->compile(g, w, choice.options);
    StepProfile p = profile_steps(*exe, input, output, profile_policy(), load_machine_limits(cpu_model(), o->threads));
    p.model = spec.str();
    p.backend = choice.str();
    p.batch = static_cast<int>(o->batch);
    p.threads = o->threads;
    if (o->json) fmt::print("{}\n", dump_json(to_json(p), 2));
    else fmt::print("{}", render_text(p));
  });
}

}  // namespace fb::cli
