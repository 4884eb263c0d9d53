// `formbench profile MODEL --backend B`: where the time goes, step by step
// (measure/step_profile.h), in text or JSON.
#include <fmt/core.h>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/run_args.h"
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
  bool json = false;
};

}  // namespace

void add_profile_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("profile", "Time each step of a compiled model: where the time goes, and why");
  auto args = std::make_shared<RunArgs>();
  auto o = std::make_shared<Options>();
  args->add_to(*cmd);
  cmd->add_flag("--json", o->json, "print the profile as JSON");
  cmd->callback([args, o] {
    ModelSpec spec = args->model();
    BackendChoice choice = args->choice();
    require_profiler(choice);
    Graph g = spec.build(args->batch());
    require_memory(choice, cost_of(g));  // before weights, input or a compile allocate anything
    const Weights w = spec.weights(g, 1);
    const Tensor input = args->input(g.input_shape(), 2);
    Tensor output(g.output_shape());
    auto exe = choice.backend->compile(g, w, choice.options);
    StepProfile p = profile_steps(*exe, input, output, profile_policy(), load_machine_limits(cpu_model(), args->threads()));
    p.model = spec.str();
    // The precision with the backend: a bf16 profile must not read as fp32's.
    p.backend = choice.str() + (choice.options.precision == Precision::fp32
                                    ? ""
                                    : std::string(" precision=") + precision_name(choice.options.precision));
    p.batch = args->batch();
    p.threads = args->threads();
    if (o->json) fmt::print("{}\n", dump_json(to_json(p), 2));
    else fmt::print("{}", render_text(p));
  });
}

}  // namespace fb::cli
