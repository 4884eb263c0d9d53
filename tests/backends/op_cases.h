#pragma once
// Small networks for the ops the design patterns do not use, shared by the
// backend tests that compare a backend with the reference op by op (torch,
// opencv): each a conv (so every op sees signed, non-trivial values) and
// the op under test.
#include <functional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "graph/builder.h"
#include "graph/ir.h"

namespace fb::test {

// Replaces a pool node's padding (the builder writes symmetric padding only)
// and re-runs shape inference.
inline Graph with_pool_pad(Graph g, ValueId pool, Padding p) {
  auto& a = std::get<PoolAttrs>(g.nodes[static_cast<size_t>(pool)].attrs);
  a.pad = p;
  validate(g);
  return g;
}

struct OpCase {
  std::string name;
  std::function<Graph()> build;
};

inline Graph net(const std::string& name, const std::function<ValueId(GraphBuilder&, ValueId)>& body) {
  GraphBuilder b(name, Shape{2, 6, 9, 9});
  // A conv first, so every op sees signed, non-trivial values.
  ValueId x = b.conv(b.input(), conv(8, 3).bias());
  return b.finish(body(b, x));
}

inline Graph asymmetric_pool(bool max, bool count_include_pad) {
  GraphBuilder b("pool", Shape{2, 6, 9, 9});
  ValueId x = b.conv(b.input(), conv(8, 3).bias());
  ValueId p = max ? b.max_pool(x, 3, 2, 0) : b.avg_pool(x, 3, 2, 0, count_include_pad);
  return with_pool_pad(b.finish(p), p, Padding{1, 0, 0, 1});
}

inline std::vector<OpCase> op_cases() {
  using B = GraphBuilder;
  return {
      {"conv_bias", [] { return net("conv_bias", [](B& b, ValueId x) { return b.conv(x, conv(5, 3).bias()); }); }},
      {"conv_dilated", [] { return net("dil", [](B& b, ValueId x) { return b.conv(x, conv(8, 3).dilation(2)); }); }},
      {"conv_asymmetric_pad",
       [] { return net("asym", [](B& b, ValueId x) { return b.conv(x, conv(8, 3).stride(2).pad(Padding{0, 1, 1, 0})); }); }},
      {"conv_1x7_grouped_bias",
       [] { return net("g", [](B& b, ValueId x) { return b.conv(x, conv(8, 1).kernel(1, 7).groups(4).bias()); }); }},
      {"depthwise_strided",
       [] { return net("dw", [](B& b, ValueId x) { return b.conv(x, conv(8, 3).stride(2).groups(8).pad(1)); }); }},
      {"concat", [] { return net("cat", [](B& b, ValueId x) {
         return b.concat({x, b.conv(x, conv(4, 1)), b.relu6(x)}); }); }},
      // ReLU6 on a channel count that is not a multiple of 16 (see torchscript_source.cpp).
      {"relu6_unaligned_channels", [] { return net("r6", [](B& b, ValueId x) {
         ValueId y = b.relu6(b.conv(x, conv(20, 1)));
         return b.concat({y, b.relu6(b.conv(y, conv(8, 1)))}); }); }},
      {"maxpool", [] { return net("mp", [](B& b, ValueId x) { return b.max_pool(x, 3, 2, 1); }); }},
      {"avgpool_include_pad", [] { return net("ap", [](B& b, ValueId x) { return b.avg_pool(x, 3, 1, 1, true); }); }},
      {"avgpool_exclude_pad", [] { return net("ap", [](B& b, ValueId x) { return b.avg_pool(x, 3, 2, 1, false); }); }},
      {"maxpool_asymmetric", [] { return asymmetric_pool(true, false); }},
      {"avgpool_asymmetric_include_pad", [] { return asymmetric_pool(false, true); }},
      {"avgpool_asymmetric_exclude_pad", [] { return asymmetric_pool(false, false); }},
      {"pad", [] { return net("pad", [](B& b, ValueId x) { return b.pad(x, Padding{1, 2, 0, 3}); }); }},
      {"slice", [] { return net("crop", [](B& b, ValueId x) { return b.slice(x, 1, 2, 5, 6); }); }},
      {"linear_head", [] { return net("head", [](B& b, ValueId x) {
         return b.linear(b.flatten(b.global_avg_pool(b.relu(b.batch_norm(x)))), 10); }); }},
  };
}

inline void PrintTo(const OpCase& c, std::ostream* os) { *os << c.name; }

}  // namespace fb::test
