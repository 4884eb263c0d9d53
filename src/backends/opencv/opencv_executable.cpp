#include "backends/opencv/opencv_executable.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/dnn.hpp>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "backends/opencv/opencv_message.h"
#include "backends/opencv/opencv_onnx_form.h"
#include "backends/opencv/opencv_plan.h"
#include "common/error.h"
#include "interop/onnx_export.h"

namespace fb::opencv_engine {
namespace {

Error cannot_run(const cv::Exception& e) {
  return Error("opencv: OpenCV " CV_VERSION " cannot run this model: " + opencv_message::useful_line(e.what()));
}

// Everything that calls into OpenCV goes through here, so no cv::Exception
// leaves the backend.
void guarded(const std::function<void()>& f) {
  try {
    f();
  } catch (const cv::Exception& e) {
    throw cannot_run(e);
  }
}

std::vector<int> mat_dims(const Shape& s) {
  if (s.dims.size() != 4) throw Error("opencv: the network input must be NCHW, got " + s.str());
  std::vector<int> d;
  for (int64_t x : s.dims) {
    if (x > INT32_MAX) throw UsageError("opencv: input dimension " + std::to_string(x) + " exceeds OpenCV's int sizes");
    d.push_back(static_cast<int>(x));
  }
  return d;
}

class OpenCvExecutable final : public Executable {
 public:
  OpenCvExecutable(std::string bytes, const Shape& input, const Shape& output, int threads)
      : in_dims_(mat_dims(input)), in_numel_(input.numel()), out_shape_(output), threads_(threads) {
    use_threads(threads_);
    guarded([&] {
      net_ = cv::dnn::readNetFromONNX(bytes.data(), bytes.size());
      std::string().swap(bytes);  // the weights' serialised copy, no longer needed before OpenCV packs its own
      net_.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
      net_.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
      const auto outs = net_.getUnconnectedOutLayersNames();
      if (outs.size() != 1) throw Error("opencv: the imported network has " + std::to_string(outs.size()) + " outputs");
      output_name_ = outs[0];
    });
    // The first forward allocates, fuses layers and packs weights; on zeros,
    // so a layer OpenCV cannot run fails here and not in a timed run.
    std::vector<float> zeros(static_cast<size_t>(in_numel_), 0.0f);
    run(zeros.data(), nullptr);
  }

  void run(const float* input, float* output) override {
    use_threads(threads_);
    guarded([&] {
      // setInput copies into OpenCV's own input blob (no allocation once the
      // shape is known); the Mat only wraps the caller's buffer.
      net_.setInput(cv::Mat(4, in_dims_.data(), CV_32F, const_cast<float*>(input)));
      out_ = net_.forward(output_name_);  // a header on OpenCV's output blob, no copy
    });
    if (out_.type() != CV_32F || !out_.isContinuous() || static_cast<int64_t>(out_.total()) != out_shape_.numel())
      throw Error("opencv: OpenCV produced " + std::to_string(out_.total()) + " elements of type " +
                  std::to_string(out_.type()) + ", expected " + out_shape_.str() + " fp32");
    if (output) std::memcpy(output, out_.ptr<float>(), out_.total() * sizeof(float));
  }

  std::string explain() const override {
    const std::string dump = net_.dump();
    const std::string layers = opencv_plan::readable(dump);
    return "OpenCV " CV_VERSION " dnn, backend OPENCV, target CPU, " + std::to_string(threads_) +
           " threads; the layers that run, with those OpenCV fused into them:\n" + (layers.empty() ? dump : layers);
  }

 private:
  std::vector<int> in_dims_;
  int64_t in_numel_;
  Shape out_shape_;
  int threads_;
  mutable cv::dnn::Net net_;
  std::string output_name_;
  cv::Mat out_;
};

}  // namespace

void use_threads(int threads) {
  if (cv::getNumThreads() != threads) cv::setNumThreads(threads);
}

std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, int threads) {
  // The export is at the graph's batch: OpenCV takes the input shape from
  // the file and sizes every blob from it.
  // Every copy of the weights made on the way is freed as soon as the next
  // one exists: the model's peak memory is a few times its weights.
  std::string bytes;
  {
    onnx::ModelProto model = onnx_io::export_model(g, w);
    adapt_for_opencv(model);
    bytes = model.SerializeAsString();
  }
  return compile_onnx(std::move(bytes), g.input_shape(), g.output_shape(), threads);
}

std::unique_ptr<Executable> compile_onnx(std::string onnx_bytes, const Shape& input, const Shape& output,
                                         int threads) {
  return std::make_unique<OpenCvExecutable>(std::move(onnx_bytes), input, output, threads);
}

}  // namespace fb::opencv_engine
