// `formbench run MODEL --backend B`: one inference, its checksum, and with
// --check the agreement with the reference backend. For orientation and
// correctness, not measurement (that is the measure layer's job).
#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/model_args.h"
#include "cli/number_options.h"
#include "common/error.h"
#include "graph/cost.h"
#include "graph/weights.h"

namespace fb::cli {
namespace {

// The plain-loop reference runs at roughly 0.15 GMAC/s (double accumulation,
// one thread); beyond this it would take minutes, so --check skips it and
// says why.
constexpr double kReferenceMacLimit = 5e9;
// fp32 through tens of layers, compared with double accumulation.
constexpr double kRelativeBound = 1e-4;

struct Options {
  std::string backend = "reference";
  int64_t batch = 1;
  int threads = 1;
  bool check = false;
  uint64_t seed = 1;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void print_check(const Tensor& got, const Tensor& ref) {
  double max_diff = 0, max_ref = 0;
  bool finite = true;
  for (size_t i = 0; i < got.data.size(); ++i) {
    finite = finite && std::isfinite(got.data[i]);
    max_diff = std::max(max_diff, std::abs(double(got.data[i]) - double(ref.data[i])));
    max_ref = std::max(max_ref, std::abs(double(ref.data[i])));
  }
  const double rel = max_ref > 0 ? max_diff / max_ref : max_diff;
  const bool pass = finite && max_ref > 0 && rel <= kRelativeBound;
  fmt::print("check:     max |out - ref| = {:.3g}, max |ref| = {:.4g}, relative error = {:.3g} (bound {:g}): {}\n",
             max_diff, max_ref, rel, kRelativeBound, pass ? "PASS" : "FAIL");
  if (!finite) fmt::print("           the output contains NaN or infinity\n");
  if (max_ref == 0) fmt::print("           the reference output is all zeros, so agreement proves nothing\n");
  if (!pass) throw Error("output disagrees with the reference backend");
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run one inference on a backend; --check compares it with the reference");
  auto args = std::make_shared<ModelArgs>();
  auto o = std::make_shared<Options>();
  args->add_to(*cmd);
  cmd->add_option("--backend", o->backend, "backend, see `formbench list`")->capture_default_str();
  add_int_option(*cmd, "--batch", o->batch, 1, kMaxBatch, "batch size");
  add_int_option(*cmd, "--threads", o->threads, 1, kMaxThreads, "threads the backend may use");
  cmd->add_flag("--check", o->check, "also run the reference backend and compare the outputs");
  add_int_option(*cmd, "--seed", o->seed, 0, std::numeric_limits<int64_t>::max(), "seed of weights and input");
  cmd->callback([args, o] {
    ModelSpec spec = args->model();
    BackendChoice choice = choose_backend(o->backend, o->threads);
    choice.backend->check_options(choice.options);
    Graph g = spec.build(o->batch);
    const GraphCost cost = cost_of(g);
    require_memory(choice, cost);  // before weights, input or a compile allocate anything
    Weights w = spec.weights(g, o->seed);
    Tensor input = make_input(g.input_shape(), o->seed);
    auto t0 = std::chrono::steady_clock::now();
    auto exe = choice.backend->compile(g, w, choice.options);  // bad variants fail here, before any output
    const double compile_s = seconds_since(t0);
    fmt::print("model:     {} batch={}\n", spec.str(), o->batch);
    fmt::print("backend:   {} threads={}\n", choice.str(), o->threads);
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

    if (!o->check) return;
    const double macs = static_cast<double>(cost.total.macs);
    if (macs > kReferenceMacLimit) {
      fmt::print("check:     reference skipped: {:.1f} GMACs is too slow for the plain-loop reference "
                 "(limit {:.0f}); use a smaller res/depth/width/batch\n", macs / 1e9, kReferenceMacLimit / 1e9);
      return;
    }
    const BackendChoice reference = choose_backend("reference", 1);
    require_memory(reference, cost);
    print_check(out, run_once(reference, g, w, input));
  });
}

}  // namespace fb::cli
