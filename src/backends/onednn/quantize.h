#pragma once
// int8 post-training static quantisation (precision=int8): the ranges a
// calibration measured and the scales the int8 lowering derives from them.
// Symmetric, no zero points: a tensor's int8 value is round(x * scale).
//   activations: one scale per tensor, from the largest |x| over a seeded
//     calibration set; u8 (scale 255 / max) where the tensor never went
//     below zero (a ReLU's output), s8 (127 / max) otherwise;
//   weights: one scale per output channel, 127 / max |w|;
//   bias: in the accumulator's scale, b * src_scale * weight_scale (oneDNN
//     2.x adds the bias to the s32 sum before the output scale);
//   output scale: dst_scale / (src_scale * weight_scale), per channel.
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "backends/onednn/engine_options.h"
#include "backends/onednn/plan.h"
#include "backends/onednn/program.h"

namespace fb::onednn {

struct ValueRange {
  float min = 0, max_abs = 0;
};

struct Calibration {
  std::map<ValueId, ValueRange> ranges;  // the plan's values: the input and every step's output
  int images = 0;                        // calibration inputs, one image each
};

struct Quant {
  dnnl::memory::data_type type;  // u8 or s8
  float scale = 1;               // int8 value = round(x * scale)
};
// The int8 form of a calibrated range: u8 if it never went below zero, else s8.
Quant quant_for(const ValueRange& r);
// The scale `type` gives a range of largest |x| `max_abs` (fp32 types: 1).
float scale_for(dnnl::memory::data_type type, float max_abs);

// Per-output-channel scales of a conv weight (oihw, or goihw as [oc, ic/g,
// kh, kw]) or a linear weight (oi): dim 0 is the output channel.
std::vector<float> weight_scales(const Tensor& w);
// The bias in the accumulator's scale: b[oc] * src_scale * weight_scale[oc].
Tensor accumulator_bias(const Tensor& b, float src_scale, const std::vector<float>& w_scales);

// What the int8 attributes of one primitive need: the output scales per
// channel, the destination's scale (a fused clip's bound is in its units)
// and a fused sum's scale (dst_scale / operand_scale).
struct QuantAttrs {
  std::vector<float> output_scales;
  float dst_scale = 1, sum_scale = 1;
};

// The plan at batch 1 (activation shapes only change): calibration needs
// one image at a time, and every activation kept (no memory reuse).
Plan at_batch_one(Plan p);

// Runs `prog` (an fp32 program of a batch-1 plan compiled with
// EngineOptions::observe) on `images` seeded inputs, primitive by
// primitive, and records the range of every value it observes.
Calibration calibrate(Program& prog, const Shape& input_shape, const Shape& output_shape, int images);

// The whole calibration of plan `p` (after the passes) under switches `eo`:
// compiled at batch 1 in fp32 with every activation kept, then calibrate().
Calibration calibrate_plan(const Plan& p, const Shape& input_shape, const Shape& output_shape, const EngineOptions& eo,
                           int threads, int images);

}  // namespace fb::onednn
