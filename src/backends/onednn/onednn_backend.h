#pragma once
#include <memory>

#include "backends/backend.h"

namespace fb {

// "onednn": formbench's graph compiler on oneDNN primitives (docs/engine.md).
// Variants switch single optimisations off: "onednn:nofuse,plain", ...
std::unique_ptr<Backend> make_onednn_backend();

}  // namespace fb
