#include "backends/ort/ort_backend.h"

#include <fmt/core.h>

#include "backends/ort/model_file.h"
#include "backends/ort/ort_install.h"
#include "backends/ort/ort_options.h"
#include "backends/ort/runner_client.h"
#include "common/error.h"
#include "interop/onnx_export.h"

namespace fb {
namespace {

class OrtExecutable final : public Executable {
 public:
  OrtExecutable(const Graph& g, const Weights& w, const OrtInstall& install, const OrtOptions& options)
      : install_(install), options_(options), input_(g.input_shape()), output_(g.output_shape()) {
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
  OrtInstall install_;
  OrtOptions options_;
  Shape input_, output_;
  std::string model_path_;
  int64_t model_bytes_ = 0;
  int model_nodes_ = 0;
  std::unique_ptr<RunnerClient> runner_;
  std::optional<double> last_seconds_;
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
  // its planned buffers. Weights four times: the caller's, and in the runner
  // the parsed model, the session's initializers and the kernels' prepacked
  // copies (resnet50: 102 MB of weights, the runner's peak resident size
  // 360 MB, 80 MB of it node and ONNX Runtime before any model). Runtime:
  // those 80 MB with room for thread stacks and the arena's own growth.
  MemoryEstimate estimate_memory(const GraphCost& c, const BackendOptions&) const override {
    return sum_memory({{"peak live activations + ORT arena", c.peak_activation_bytes, 2},
                       {"weights", c.total.weight_bytes, 4},
                       {"runtime (node + ONNX Runtime)", int64_t{128} << 20, 1}});
  }
};

}  // namespace

std::unique_ptr<Backend> make_ort_backend() { return std::make_unique<OrtBackend>(); }

}  // namespace fb
