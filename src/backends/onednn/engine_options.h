#pragma once
// The onednn backend's switches, parsed from the variant string
// ("onednn:nofuse,plain"). Every switch turns one optimisation off, so each
// configuration isolates what that optimisation buys.
#include <string>

namespace fb::onednn {

struct EngineOptions {
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

  std::string str() const;  // "nofuse,plain" (empty when all on)
};

const char* layout_policy_name(EngineOptions::Layout l);

// Throws UsageError naming the unknown switch and listing the valid ones.
EngineOptions parse_engine_options(const std::string& variant);

}  // namespace fb::onednn
