// NASNet-A Large, 6@4032 (Zoph et al. 2018), at 331x331 as the public
// TF-slim model and its PyTorch port define it. Inference form: no auxiliary
// head, no drop-path, no dropout. BN eps 1e-3 throughout.
//
// The first reduction cell emulates TensorFlow's asymmetric "SAME" padding
// for stride-2 windows: zero-pad top/left by one, run the window, crop the
// first row and column ("pad/crop" below).
#include "common/error.h"
#include "models/zoo/zoo_family.h"

namespace fb::zoo {
namespace {

constexpr int kStemChannels = 96;
constexpr int kFilters = 168;  // 4032 / 24: the first stage's cell width

// The branches of a reduction-style cell either use plain windows or the
// pad/crop emulation.
enum class Window { Plain, PadCrop };

ValueId pad_top_left(GraphBuilder& b, ValueId x) { return b.pad(x, Padding{1, 1, 0, 0}, "pad"); }
ValueId crop_top_left(GraphBuilder& b, ValueId x) {
  return b.slice(x, 1, 1, static_cast<int>(b.shape(x).h()) - 1, static_cast<int>(b.shape(x).w()) - 1, "crop");
}

// ReLU -> (dw k, stride; pw -> out) -> BN -> ReLU -> (dw k; pw -> out) -> BN.
ValueId sep_branch(GraphBuilder& b, ValueId x, int out, int kernel, int stride, Window win, const std::string& name) {
  NameScope scope(b, name);
  const auto in = static_cast<int>(b.channels(x));
  ValueId y = b.relu(x);
  if (win == Window::PadCrop) y = pad_top_left(b, y);
  y = b.conv(y, conv(in, kernel).stride(stride).groups(in), "sep1.dw");
  if (win == Window::PadCrop) y = crop_top_left(b, y);
  y = b.batch_norm(b.conv(y, conv(out, 1), "sep1.pw"), "sep1.bn");
  y = b.conv(b.relu(y), conv(out, kernel).groups(out), "sep2.dw");
  return b.batch_norm(b.conv(y, conv(out, 1), "sep2.pw"), "sep2.bn");
}

ValueId max_pool_s2(GraphBuilder& b, ValueId x, Window win, const std::string& name) {
  if (win == Window::Plain) return b.max_pool(x, 3, 2, 1, name);
  NameScope scope(b, name);
  return crop_top_left(b, b.max_pool(pad_top_left(b, x), 3, 2, 1, "pool"));
}

ValueId avg_pool_s2(GraphBuilder& b, ValueId x, Window win, const std::string& name) {
  if (win == Window::Plain) return b.avg_pool(x, 3, 2, 1, false, name);
  NameScope scope(b, name);
  return crop_top_left(b, b.avg_pool(pad_top_left(b, x), 3, 2, 1, false, "pool"));
}

ValueId avg_pool_s1(GraphBuilder& b, ValueId x, const std::string& name) {
  return b.avg_pool(x, 3, 1, 1, false, name);
}

// The NASNet-A reduction cell on its two adapted inputs (`right` from the
// previous cell, `left` from the one before), `out` channels per branch; the
// two stem cells share it.
ValueId reduction_cell(GraphBuilder& b, ValueId right, ValueId left, int out, Window win) {
  ValueId c0 = b.add(sep_branch(b, right, out, 5, 2, win, "comb0.left"),
                     sep_branch(b, left, out, 7, 2, win, "comb0.right"), "comb0");
  ValueId c1 = b.add(max_pool_s2(b, right, win, "comb1.left"), sep_branch(b, left, out, 7, 2, win, "comb1.right"),
                     "comb1");
  ValueId c2 = b.add(avg_pool_s2(b, right, win, "comb2.left"), sep_branch(b, left, out, 5, 2, win, "comb2.right"),
                     "comb2");
  ValueId c3 = b.add(avg_pool_s1(b, c0, "comb3.right"), c1, "comb3");
  ValueId c4 = b.add(sep_branch(b, c0, out, 3, 1, win, "comb4.left"), max_pool_s2(b, right, win, "comb4.right"),
                     "comb4");
  return b.concat({c1, c2, c3, c4});
}

// The NASNet-A normal cell; `left` comes from the cell before the previous.
ValueId normal_cell(GraphBuilder& b, ValueId right, ValueId left, int out) {
  const Window p = Window::Plain;
  ValueId c0 = b.add(sep_branch(b, right, out, 5, 1, p, "comb0.left"), sep_branch(b, left, out, 3, 1, p, "comb0.right"),
                     "comb0");
  ValueId c1 = b.add(sep_branch(b, left, out, 5, 1, p, "comb1.left"), sep_branch(b, left, out, 3, 1, p, "comb1.right"),
                     "comb1");
  ValueId c2 = b.add(avg_pool_s1(b, right, "comb2.left"), left, "comb2");
  ValueId c3 = b.add(avg_pool_s1(b, left, "comb3.left"), avg_pool_s1(b, left, "comb3.right"), "comb3");
  ValueId c4 = b.add(sep_branch(b, right, out, 3, 1, p, "comb4.left"), right, "comb4");
  return b.concat({left, c0, c1, c2, c3, c4});
}

// Side of the first cell stage (after conv0 and the two stem cells).
int64_t stage_side(int res) { return ((((res - 3) / 2 + 1) - 1) / 2) / 2 + 1; }

Graph build(const ZooConfig& c, int64_t batch) {
  // The pad/crop reduction halves only an even side exactly; an odd one would
  // not meet the factorized path of the next cell.
  if (stage_side(c.res) % 2 != 0) {
    int lo = c.res, hi = c.res;
    while (lo > 43 && stage_side(lo) % 2 != 0) --lo;
    while (stage_side(hi) % 2 != 0) ++hi;
    throw UsageError("nasnet_a_large: res=" + std::to_string(c.res) + " gives an odd " +
                     std::to_string(stage_side(c.res)) + "x" + std::to_string(stage_side(c.res)) +
                     " first stage, which its pad/crop reduction cannot halve; use e.g. res=" + std::to_string(lo) +
                     " or res=" + std::to_string(hi));
  }
  GraphBuilder b("nasnet_a_large", Shape{batch, 3, c.res, c.res});
  b.set_batch_norm_eps(1e-3f);
  ValueId conv0 = b.conv_bn_act(b.input(), conv(kStemChannels, 3).stride(2).pad(0), std::nullopt, "conv0");

  ValueId stem0, stem1;
  {
    NameScope scope(b, "cell_stem_0");
    ValueId x1 = relu_conv_bn(b, conv0, kFilters / 4, "conv_1x1");
    stem0 = reduction_cell(b, x1, conv0, kFilters / 4, Window::Plain);
  }
  {
    NameScope scope(b, "cell_stem_1");
    ValueId x1 = relu_conv_bn(b, stem0, kFilters / 2, "conv_1x1");
    stem1 = reduction_cell(b, x1, factorized_reduce(b, conv0, kFilters / 2, "path"), kFilters / 2, Window::Plain);
  }

  ValueId prev = stem0, cur = stem1;
  int index = 0;
  for (int stage = 0; stage < 3; ++stage) {
    const int f = kFilters << stage;
    for (int i = 0; i < 6; ++i) {
      NameScope scope(b, "cell_" + std::to_string(index++));
      // The first cell of a stage meets an input of twice its side.
      ValueId left = i == 0 ? factorized_reduce(b, prev, f, "path") : relu_conv_bn(b, prev, f, "conv_prev_1x1");
      ValueId out = normal_cell(b, relu_conv_bn(b, cur, f, "conv_1x1"), left, f);
      prev = cur;
      cur = out;
    }
    if (stage < 2) {
      NameScope scope(b, "reduction_cell_" + std::to_string(stage));
      ValueId left = relu_conv_bn(b, prev, 2 * f, "conv_prev_1x1");
      ValueId right = relu_conv_bn(b, cur, 2 * f, "conv_1x1");
      // The next stage's first cell reads the reduction's own `prev`.
      cur = reduction_cell(b, right, left, 2 * f, stage == 0 ? Window::PadCrop : Window::Plain);
    }
  }
  return b.finish(classifier(b, b.relu(cur), c.classes));
}

}  // namespace

std::vector<ModelDef> nasnet_models() {
  return {zoo_def("nasnet_a_large", "NASNet-A Large 6@4032: searched normal/reduction cells (Zoph et al. 2018)", 331,
                  43, build)};
}

}  // namespace fb::zoo
