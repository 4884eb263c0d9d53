#pragma once
// OpenCV's exceptions carry a multi-line text (build path, line, error code,
// function, and for the ONNX importer the node it was parsing). A user needs
// the node and the reason; this keeps those and drops the rest.
#include <string>

namespace fb::opencv_message {

// "OpenCV(4.6.0) /build/.../onnx_importer.cpp:1073: error: (-2:Unspecified
// error) in function 'handleNode'\n> Node [Clip@ai.onnx]:(clip) parse error:
// ..." -> "Node [Clip@ai.onnx]:(clip) parse error: ...". One line, at most
// a few hundred characters.
std::string useful_line(const std::string& what);

}  // namespace fb::opencv_message
