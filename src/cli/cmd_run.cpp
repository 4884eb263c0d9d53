// `formbench run MODEL --backend B`: one inference, its checksum, and with
// --check the agreement with the reference backend (graph/compare.h); the
// input may come from and the output go to .npy files. For orientation and
// correctness, not measurement (that is the measure layer's job).
#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/number_options.h"
#include "cli/run_args.h"
#include "common/error.h"
#include "graph/compare.h"
#include "graph/cost.h"
#include "graph/weights.h"
#include "interop/npy.h"
#include "measure/output_check.h"

namespace fb::cli {
namespace {

// The plain-loop reference runs at roughly 0.15 GMAC/s (double accumulation,
// one thread); beyond this it would take minutes, so --check skips it and
// says why.
constexpr double kReferenceMacLimit = 5e9;

struct Options {
  bool check = false;
  uint64_t seed = 1;
  std::string save_output;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// fp32 against the double-accumulating reference: kAgreementBound; a
// reduced precision: what its rounding costs (measure/output_check.h).
void print_check(const Tensor& got, const Tensor& ref, Precision p) {
  const Agreement a = compare(got, ref);
  const double bound = p == Precision::fp32 ? kAgreementBound : check_bound(p);
  fmt::print("check:     {} (bound {:g}{}): {}\n", a.str(), bound,
             p == Precision::fp32 ? "" : std::string(" at ") + precision_name(p), a.passes(bound) ? "PASS" : "FAIL");
  if (!a.passes(bound)) throw Error("output disagrees with the reference backend");
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run one inference on a backend; --check compares it with the reference");
  auto args = std::make_shared<RunArgs>();
  auto o = std::make_shared<Options>();
  args->add_to(*cmd);
  cmd->add_flag("--check", o->check, "also run the reference backend and compare the outputs");
  add_int_option(*cmd, "--seed", o->seed, 0, std::numeric_limits<int64_t>::max(), "seed of weights and input");
  cmd->add_option("--save-output", o->save_output, "write the output as a float32 .npy file (whole or not at all)");
  cmd->callback([args, o] {
    ModelSpec spec = args->model();
    BackendChoice choice = args->choice();
    Graph g = spec.build(args->batch());
    const GraphCost cost = cost_of(g);
    require_memory(choice, cost);  // before weights, input or a compile allocate anything
    Weights w = spec.weights(g, o->seed);
    Tensor input = args->input(g.input_shape(), o->seed);
    auto t0 = std::chrono::steady_clock::now();
    auto exe = choice.backend->compile(g, w, choice.options);  // bad variants fail here, before any output
    const double compile_s = seconds_since(t0);
    fmt::print("model:     {} batch={}\n", spec.str(), args->batch());
    fmt::print("backend:   {} threads={}\n", choice.str(), args->threads());
    if (!args->input_path().empty()) fmt::print("input:     {}\n", args->input_path());
    for (const auto& [key, value] : choice.backend->environment(choice.options))
      fmt::print("           {} = {}\n", key, value);
    Tensor out(g.output_shape());
    t0 = std::chrono::steady_clock::now();
    exe->run(input.ptr(), out.ptr());
    const double first_s = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    exe->run(input.ptr(), out.ptr());
    const double second_s = seconds_since(t0);
    fmt::print("time:      compile {:.1f} ms, first run {:.2f} ms, second run {:.2f} ms (one sample each, not a measurement)\n",
               compile_s * 1e3, first_s * 1e3, second_s * 1e3);
    double sum = 0, abs_sum = 0;
    for (float x : out.data) sum += x, abs_sum += std::abs(x);
    fmt::print("output:    {}  checksum sum={:.9g} abs_sum={:.9g}\n", out.shape.str(), sum, abs_sum);
    if (!o->save_output.empty()) {
      std::vector<std::string> inputs;  // never written over: the --input file and an onnx:PATH model's file
      for (const std::string& f : {args->input_path(), spec.def->file})
        if (!f.empty()) inputs.push_back(f);
      write_npy(o->save_output, out, inputs);
      fmt::print("saved:     {}\n", o->save_output);
    }

    if (!o->check) return;
    const double macs = static_cast<double>(cost.total.macs);
    if (macs > kReferenceMacLimit) {
      fmt::print("check:     reference skipped: {:.1f} GMACs is too slow for the plain-loop reference "
                 "(limit {:.0f}); use a smaller res/depth/width/batch\n", macs / 1e9, kReferenceMacLimit / 1e9);
      return;
    }
    const BackendChoice reference = choose_backend("reference", 1);
    require_memory(reference, cost);
    print_check(out, run_once(reference, g, w, input), choice.options.precision);
  });
}

}  // namespace fb::cli
