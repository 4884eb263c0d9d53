#pragma once
// The onednn backend's switches, parsed from the variant string
// ("onednn:nofuse,plain"). Every switch turns one optimisation off, so each
// configuration isolates what that optimisation buys.
#include <string>

#include "common/precision.h"

namespace fb::onednn {

struct Calibration;  // quantize.h

struct EngineOptions {
  bool dedupe = true;         // nodedupe: a repeated activation of one value is computed each time
  bool fold_bn = true;        // nofold: BatchNorm stays a separate primitive
  bool fuse_act = true;       // nofuse: activations stay separate (implies nosum, nodwfuse)
  bool fuse_sum = true;       // nosum: residual Add stays a binary primitive
  bool fuse_dw = true;        // nodwfuse: no 1x1 + depthwise 3x3 fusion
  bool blocked = true;        // plain: activations in nhwc/nchw only, no blocked layouts
  bool prepack = true;        // noprepack: weights reordered on every run
  bool plan_memory = true;    // noplan: every activation gets its own buffer
  bool tune = true;           // notune: no timing of candidates, the fixed layout rule only

  // Which activation layout convolutions try first. Library: the producer's
  // layout in, nChw16c out where channels fill 16-blocks (the fixed rule);
  // the tuner also compiles Blocked8 and Nhwc and keeps the fastest program.
  enum class Layout { Library, Blocked8, Nhwc } layout = Layout::Library;

  // Not a switch: the run field precision= (BackendOptions), here so that
  // every lowering sees it. Activations and weights in this type, bias and
  // accumulation in fp32; the caller's input and output stay fp32.
  Precision precision = Precision::fp32;
  // Not switches either: the int8 calibration's fp32 program keeps a handle
  // on every value it computes (Program::observed), and the int8 program
  // reads the ranges that calibration found (quantize.h; owned by compile()).
  bool observe = false;
  const Calibration* calibration = nullptr;

  std::string str() const;  // "nofuse,plain" (empty when all on)
};

const char* layout_policy_name(EngineOptions::Layout l);

// Throws UsageError naming the unknown switch and listing the valid ones.
EngineOptions parse_engine_options(const std::string& variant);

}  // namespace fb::onednn
