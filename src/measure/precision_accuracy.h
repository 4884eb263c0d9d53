#pragma once
// What a reduced precision costs in accuracy, measured with every bf16 and
// int8 record (record.h AccuracySection): the backend at the measured
// precision against the same backend at fp32, same seeded weights, the
// measured model at batch 1, on a seeded evaluation set. The evaluation
// seeds are not the int8 calibration seeds (onednn/quantize.h), so the
// scales are never fitted to the inputs they are judged on.
#include <cstdint>
#include <vector>

#include "backends/backend.h"
#include "measure/config.h"
#include "measure/record.h"

namespace fb {

// Evaluation inputs, and how many of them (those with the largest fp32
// top-1 margin) make the confident subset. 32 keeps nasnet_a_large, the
// slowest network, under two minutes at both precisions on 2 cores.
inline constexpr int kAccuracyInputs = 32;
inline constexpr int kConfidentInputs = 8;
// Evaluation input i is drawn from seed + kAccuracySeedOffset + i.
inline constexpr uint64_t kAccuracySeedOffset = 1000;

// The comparison of `got` with `fp32` (one row of logits per input): the
// section's numbers, without against/error. Public for the tests.
AccuracySection compare_logits(const std::vector<std::vector<float>>& got, const std::vector<std::vector<float>>& fp32,
                               int confident_inputs);

// A backend that cannot run the comparison gives a section with its error,
// not an exception: the timing already stands.
AccuracySection accuracy_against_fp32(const MeasureConfig& c, const BackendChoice& choice, uint64_t seed);

}  // namespace fb
