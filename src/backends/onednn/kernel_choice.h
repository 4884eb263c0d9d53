#pragma once
// What every lowering shares: a primitive's attributes (user scratchpad,
// post-ops), readable post-op names, and the choice among layout candidates
// of the first one whose kernel is not a reference one.
#include <oneapi/dnnl/dnnl.hpp>

#include <string>
#include <vector>

#include "backends/onednn/layout.h"
#include "backends/onednn/plan.h"
#include "backends/onednn/quantize.h"

namespace fb::onednn {

template <class PD>
bool empty(const PD& pd) {
  return pd.get(true) == nullptr;
}

// `act_type`: the data type of a fused depthwise conv's weights and output.
// `q` (int8): per-channel output scales, a clip's bound in the destination's
// units and the sum's scale.
dnnl::primitive_attr make_attr(const std::vector<PostOp>& post,
                               dnnl::memory::data_type act_type = dnnl::memory::data_type::f32,
                               const QuantAttrs* q = nullptr);
std::string post_str(const std::vector<PostOp>& post);  // "relu+sum", "dw_k3s1p1+clip[0,6]"

// First candidate whose kernel is not a reference one; failing that, the
// first that exists, with a note; an empty descriptor when none exists.
template <class PD, class Cand, class Make>
PD pick(const std::vector<Cand>& cands, Make make, const std::string& what, std::vector<std::string>& notes) {
  PD fallback;
  std::string tried;
  for (const Cand& c : cands) {
    PD pd;
    try {
      pd = make(c);
    } catch (const dnnl::error&) {
      continue;
    }
    if (empty(pd)) continue;
    const std::string impl = pd.impl_info_str();
    if (!is_reference_impl(impl)) {
      if (!tried.empty()) notes.push_back(what + ": layout changed to avoid reference kernels (" + tried + ")");
      return pd;
    }
    tried += (tried.empty() ? "" : ", ") + impl;
    if (empty(fallback)) fallback = pd;
  }
  if (!empty(fallback)) notes.push_back(what + ": only a reference kernel exists (" + tried + ")");
  return fallback;
}

}  // namespace fb::onednn
