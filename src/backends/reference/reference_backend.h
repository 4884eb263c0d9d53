#pragma once
#include <memory>

#include "backends/backend.h"

namespace fb {

// "reference": plain loops in fp32 with double accumulation, written to be
// obviously correct rather than fast. The ground truth of every test.
std::unique_ptr<Backend> make_reference_backend();

}  // namespace fb
