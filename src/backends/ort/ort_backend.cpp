#include "backends/ort/ort_backend.h"

#include <fmt/core.h>

#include <algorithm>
#include <optional>

#include "backends/ort/model_file.h"
#include "backends/ort/ort_install.h"
#include "backends/ort/ort_options.h"
#include "backends/ort/ort_steps.h"
#include "backends/ort/runner_client.h"
#include "common/error.h"
#include "interop/onnx_export.h"

namespace fb {
namespace {

class OrtExecutable final : public Executable {
 public:
  OrtExecutable(const Graph& g, const Weights& w, const OrtInstall& install, const OrtOptions& options)
      : graph_(g), install_(install), options_(options), input_(g.input_shape()), output_(g.output_shape()) {
    TemporaryModelFile file(g, w);
    model_path_ = file.path();
    model_bytes_ = file.bytes();
    model_nodes_ = file.nodes();
    runner_ = std::make_unique<RunnerClient>(install, file.path(), options, input_);
    // The session holds the model now: the file goes at once, so no kill -9
    // of formbench can leave it behind in /tmp.
    file.remove();
    if (runner_->handshake().output_dims != output_)
      throw Error("ort: the session's output is " + runner_->handshake().output_dims.str() + ", the graph's " +
                  output_.str());
  }

  void run(const float* input, float* output) override {
    last_seconds_ = runner_->run(input, static_cast<size_t>(input_.numel()), output, static_cast<size_t>(output_.numel()));
  }

  // Steps from ONNX Runtime's own profiler: a batch of profiled runs in a
  // session of the runner's own (ProfiledRuns), consumed one run per call.
  const std::vector<StepRecord>& steps() const override {
    if (!steps_) {
      const Tensor zeros(input_);
      Tensor out(output_);
      fetch_batch(zeros.ptr(), out.ptr());
      steps_ = ort_steps(graph_, batch_.runs.front());
    }
    return steps_->records;
  }

  std::vector<double> run_profiled(const float* input, float* output) override {
    const std::vector<StepRecord>& records = steps();
    const size_t n = static_cast<size_t>(input_.numel());
    if (next_run_ >= batch_.runs.size() || !std::equal(input, input + n, batch_input_.begin()))
      fetch_batch(input, output);
    last_profiled_s_ = batch_.run_seconds[next_run_];
    std::vector<double> seconds = step_seconds(graph_, *steps_, batch_.runs[next_run_++]);
    if (seconds.size() != records.size()) throw Error("internal: ort's steps changed between runs");
    std::copy(batch_output_.begin(), batch_output_.end(), output);
    return seconds;
  }

  std::string step_timing() const override {
    return fmt::format(
        "A step is one ONNX Runtime kernel as its own profiler times it (the node's _kernel_time event, in whole "
        "microseconds), in a "
        "session of the runner's own with profiling on: {} profiled runs per batch after one to warm up, each "
        "call taking the next run; profiling adds its own clock reads to every kernel, so on a network of many small "
        "kernels the steps can sum to more than the end-to-end latency. The end-to-end latency is the measured session's run() on the runner's clock "
        "(last_engine_seconds): it also holds the executor's work between kernels and the binding's input wrap and "
        "output copy, which no step does.",
        kProfiledRunsPerBatch);
  }

  // The profiled session's model_run event of that run.
  std::optional<double> last_profiled_run_seconds() const override { return last_profiled_s_; }

  int helper_pid() const override { return runner_->pid(); }
  std::optional<double> last_engine_seconds() const override { return last_seconds_; }

  std::string explain() const override {
    const RunnerHandshake& h = runner_->handshake();
    return fmt::format(
        "ort: ONNX Runtime {} (npm onnxruntime-node, CPU execution provider) in a runner process, pid {}\n"
        "  runner: {} {} (node {})\n"
        "  session: graph optimisation {}, intra-op threads {}, inter-op threads {}, execution mode {}\n"
        "  session options as the runner passed them: {}\n"
        "  model: the graph exported to ONNX (opset {}, {} nodes, {:.1f} MB with its weights) as {}, "
        "removed once the session had loaded it\n"
        "  input '{}' {} -> output '{}' {}\n"
        "  timed (last_engine_seconds): the runner's clock around `await session.run(feeds)`: the binding wraps "
        "the input buffer (no copy), ONNX Runtime runs the graph, the binding copies the output into a JS buffer\n"
        "  not timed: the input's and output's copies across the pipes, the request and response framing\n",
        h.ort_version, runner_->pid(), install_.node, install_.runner, h.node_version, options_.graph_optimization,
        options_.intra_op_threads, options_.inter_op_threads, options_.execution_mode, h.options,
        onnx_io::kExportOpset, model_nodes_, static_cast<double>(model_bytes_) / 1e6, model_path_, h.input_name,
        h.input_dims.str(), h.output_name, h.output_dims.str());
  }

 private:
  // How many profiled runs one profiling session makes (plus one to warm up).
  static constexpr int kProfiledRunsPerBatch = 16;

  void fetch_batch(const float* input, float* output) const {
    const size_t n = static_cast<size_t>(input_.numel()), m = static_cast<size_t>(output_.numel());
    batch_output_.assign(m, 0.0f);
    batch_ = runner_->profile(input, n, kProfiledRunsPerBatch, batch_output_.data(), m);
    batch_input_.assign(input, input + n);
    next_run_ = 0;
    std::copy(batch_output_.begin(), batch_output_.end(), output);
  }

  Graph graph_;
  OrtInstall install_;
  OrtOptions options_;
  Shape input_, output_;
  std::string model_path_;
  int64_t model_bytes_ = 0;
  int model_nodes_ = 0;
  std::unique_ptr<RunnerClient> runner_;
  std::optional<double> last_seconds_;
  mutable std::optional<OrtSteps> steps_;
  mutable ProfiledRuns batch_;
  mutable std::vector<float> batch_input_, batch_output_;
  mutable size_t next_run_ = 0;
  std::optional<double> last_profiled_s_;
};

class OrtBackend final : public Backend {
 public:
  std::string name() const override { return "ort"; }
  std::string summary() const override {
    return "ONNX Runtime (onnxruntime-node, CPU) on the ONNX export, in a runner process; variants: graph "
           "optimisation level";
  }

  std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, const BackendOptions& o) const override {
    const OrtOptions options = parse_ort_options(o);
    return std::make_unique<OrtExecutable>(g, w, locate_ort_install(), options);
  }

  void check_options(const BackendOptions& o) const override {
    parse_ort_options(o);
    locate_ort_install();
  }

  bool has_profiler() const override { return true; }

  // The engine computes in the runner, which neither the cache simulator nor
  // the hardware counters of the measuring process see.
  bool in_process() const override { return false; }

  Facts environment(const BackendOptions& o) const override {
    const OrtOptions options = parse_ort_options(o);
    const OrtInstall install = locate_ort_install();
    return {{"ort.version", install.package_version},
            {"ort.package", "onnxruntime-node"},
            {"ort.execution_provider", "cpu"},
            {"ort.graph_optimization", options.graph_optimization},
            {"ort.intra_op_threads", std::to_string(options.intra_op_threads)},
            {"ort.inter_op_threads", std::to_string(options.inter_op_threads)},
            {"ort.execution_mode", options.execution_mode},
            {"ort.node_version", node_version(install.node)},
            {"ort.runner", install.runner}};
  }

  // Peak live activations plus as much again for ONNX Runtime's arena and
  // its planned buffers. Weights five times: the caller's, and in the runner
  // the model's bytes (kept for a profiling session), the parsed model, the
  // session's initializers and the kernels' prepacked copies (resnet50:
  // 102 MB of weights, the runner's peak resident size 360 MB before it kept
  // the bytes, 80 MB of it node and ONNX Runtime before any model). Runtime:
  // those 80 MB with room for thread stacks and the arena's own growth.
  MemoryEstimate estimate_memory(const GraphCost& c, const BackendOptions&) const override {
    return sum_memory({{"peak live activations + ORT arena", c.peak_activation_bytes, 2},
                       {"weights", c.total.weight_bytes, 5},
                       {"runtime (node + ONNX Runtime)", int64_t{128} << 20, 1}});
  }
};

}  // namespace

std::unique_ptr<Backend> make_ort_backend() { return std::make_unique<OrtBackend>(); }

}  // namespace fb
