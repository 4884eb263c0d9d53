#pragma once
// OpenCV's DNN module as a peer engine: the model's ONNX export, read from
// memory by OpenCV's importer and run in this process on its CPU path. This
// header has no OpenCV types.
#include <memory>

#include "backends/backend.h"

namespace fb {

// "opencv": cv::dnn with DNN_BACKEND_OPENCV on DNN_TARGET_CPU.
std::unique_ptr<Backend> make_opencv_backend();

}  // namespace fb
