#include "backends/opencv/opencv_backend.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>

#include <string>

#include "backends/opencv/opencv_executable.h"
#include "common/error.h"

namespace fb {
namespace {

// OpenCV picks its kernels by the CPU it finds at start-up (its dispatcher
// has no cap we could set per configuration), so an isa= would be a claim
// that nothing honours.
void check_no_options(const BackendOptions& o) {
  require_precision("opencv", o, {Precision::fp32},
                    "formbench runs its fp32 path; OpenCV's own int8 (Net::quantize) is not wired in, and its "
                    "CPU path has no bf16");
  if (!o.variant.empty()) throw UsageError("backend 'opencv' has no variants (got 'opencv:" + o.variant + "')");
  if (!o.isa.empty())
    throw UsageError("backend 'opencv' cannot cap its instruction set (got isa=" + o.isa +
                     "): OpenCV's CPU dispatch is fixed when the library starts; only onednn takes isa=");
}

std::string yes_no(bool b) { return b ? "yes" : "no"; }

// "  Parallel framework:            TBB (ver 2021.8 interface 12080)" in the
// build information: 4.6 has no public call that names the framework.
std::string build_setting(const std::string& key) {
  const std::string info = cv::getBuildInformation();
  const auto at = info.find(key);
  if (at == std::string::npos) return "unknown";
  const auto begin = info.find_first_not_of(' ', at + key.size());
  return info.substr(begin, info.find('\n', begin) - begin);
}

class OpenCvBackend final : public Backend {
 public:
  std::string name() const override { return "opencv"; }
  std::string summary() const override {
    return "OpenCV " CV_VERSION " DNN module on its CPU path, running the model's ONNX export (peer engine)";
  }
  std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, const BackendOptions& o) const override {
    check_no_options(o);
    return opencv_engine::compile(g, w, o.threads);
  }
  void check_options(const BackendOptions& o) const override { check_no_options(o); }
  Facts environment(const BackendOptions& o) const override {
    opencv_engine::use_threads(o.threads);
    return {
        {"opencv.version", CV_VERSION},
        {"opencv.threads", std::to_string(cv::getNumThreads())},
        {"opencv.parallel", build_setting("Parallel framework:")},
        // The baseline, then the dispatched features ('*'; '?' where this
        // CPU lacks one); the DNN kernels dispatch to AVX2 or AVX512_SKX.
        {"opencv.cpu_features", cv::getCPUFeaturesLine()},
        {"opencv.avx2", yes_no(cv::checkHardwareSupport(CV_CPU_AVX2))},
        {"opencv.avx512_skx", yes_no(cv::checkHardwareSupport(CV_CPU_AVX512_SKX))},
        {"opencv.dnn_backend", "DNN_BACKEND_OPENCV"},
        {"opencv.dnn_target", "DNN_TARGET_CPU"},
    };
  }
  // Measured (peak RSS less the process's own): OpenCV reuses dead blobs,
  // +12 MB an image on ResNet-50 whose peak live is 9.6 MB, so peak live x2;
  // the weights are briefly held five times while compiling (the caller's,
  // the serialised export, OpenCV's parsed copy, its blobs and its packed
  // convolution weights): ResNeXt-101 peaks at 4.7x its weights.
  MemoryEstimate estimate_memory(const GraphCost& c, const BackendOptions&) const override {
    return sum_memory({{"peak live activations", c.peak_activation_bytes, 2}, {"weights", c.total.weight_bytes, 5},
                       {"runtime", int64_t{256} << 20, 1}});
  }
};

}  // namespace

std::unique_ptr<Backend> make_opencv_backend() { return std::make_unique<OpenCvBackend>(); }

}  // namespace fb
