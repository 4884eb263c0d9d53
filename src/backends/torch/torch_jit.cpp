// "torch-jit": LibTorch's own best effort. The Graph becomes a TorchScript
// module (generated source, exact weights as attributes), which LibTorch then
// freezes (constants inlined, conv-BN folded) and optimises for inference
// (oneDNN layouts and prepacked weights where it judges them profitable).
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/utils.h>

#include "backends/torch/torch_backend.h"
#include "backends/torch/torch_util.h"
#include "backends/torch/torchscript_source.h"
#include "common/error.h"

namespace fb {
namespace {

class JitExecutable final : public TorchExecutable {
 public:
  JitExecutable(const Graph& g, const Weights& w, int threads)
      : in_(g.input_shape()), out_(g.output_shape()), threads_(threads) {
    torchscript::Source src = torchscript::write_forward(g);
    torch::jit::Module m("FormbenchNet");
    for (const auto& a : src.attributes) {
      at::Tensor t = torch_util::to_aten(w.at(a.node, a.index));
      params_ += t.numel();
      if (a.buffer) m.register_buffer(a.name, t);
      else m.register_parameter(a.name, t, /*is_buffer=*/false);
    }
    source_ = src.forward;
    try {
      m.define(source_);
    } catch (const c10::Error& e) {
      throw Error("torch-jit: TorchScript rejected the generated source:\n" + source_ + "\n" + e.what_without_backtrace());
    }
    m.eval();
    torch::NoGradGuard no_grad;
    torch::jit::Module frozen = torch::jit::freeze(m);
    module_ = torch::jit::optimize_for_inference(frozen);
  }

  void run(const float* input, float* output) override {
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    at::Tensor y = module_.forward({torch_util::wrap_input(input, in_)}).toTensor();
    torch_util::copy_output(y, out_, output);
  }

  std::string explain() const override {
    return "TorchScript source:\n" + source_ + "\nafter freeze + optimize_for_inference:\n" +
           module_.get_method("forward").graph()->toString();
  }

  int64_t parameter_count() const override { return params_; }

 private:
  torch::jit::Module module_;
  std::string source_;
  Shape in_, out_;
  int threads_;
  int64_t params_ = 0;
};

class TorchJitBackend final : public Backend {
 public:
  std::string name() const override { return "torch-jit"; }
  std::string summary() const override {
    return "LibTorch TorchScript after torch::jit::freeze + optimize_for_inference (BN folding, oneDNN)";
  }
  std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, const BackendOptions& o) const override {
    require_no_options(name(), o);
    torch_util::use_threads(o.threads);
    return std::make_unique<JitExecutable>(g, w, o.threads);
  }
  Facts environment(const BackendOptions& o) const override { return torch_util::environment(o); }
  void check_options(const BackendOptions& o) const override { require_no_options(name(), o); }
  MemoryEstimate estimate_memory(const GraphCost& c, const BackendOptions&) const override {
    return torch_util::estimate_memory(c);
  }
};

}  // namespace

std::unique_ptr<Backend> make_torch_jit_backend() { return std::make_unique<TorchJitBackend>(); }

}  // namespace fb
