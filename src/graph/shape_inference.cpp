#include "graph/shape_inference.h"

#include "common/checked.h"
#include "common/error.h"

namespace fb {
namespace {

[[noreturn]] void fail(const Node& n, const std::string& what) {
  throw UsageError(n.name + ": " + what);
}

void expect_inputs(const Node& n, const std::vector<Shape>& in, size_t count) {
  if (in.size() != count)
    fail(n, std::string(op_name(n.op)) + " takes " + std::to_string(count) + " input(s), got " +
                std::to_string(in.size()));
}

void expect_rank4(const Node& n, const Shape& s) {
  if (s.rank() != 4) fail(n, "expects an NCHW feature map, got shape " + s.str());
}

Shape window_shape(const Node& n, const Shape& in, int64_t out_c, int kh, int kw, int sh, int sw,
                   const Padding& p, int dh, int dw) {
  if (kh < 1 || kw < 1) fail(n, "kernel must be at least 1x1");
  if (sh < 1 || sw < 1) fail(n, "stride must be at least 1");
  if (dh < 1 || dw < 1) fail(n, "dilation must be at least 1");
  if (p.top < 0 || p.left < 0 || p.bottom < 0 || p.right < 0) fail(n, "padding must not be negative");
  int64_t oh = window_out(in.h(), kh, sh, p.top, p.bottom, dh);
  int64_t ow = window_out(in.w(), kw, sw, p.left, p.right, dw);
  if (oh < 1 || ow < 1)
    fail(n, "a " + std::to_string(kh) + "x" + std::to_string(kw) + " window does not fit the " +
                std::to_string(in.h()) + "x" + std::to_string(in.w()) + " input (with padding)");
  return Shape{in.n(), out_c, oh, ow};
}

// Every shape's bytes (fp32) must fit in int64, so that sizes, costs and
// allocations downstream never wrap.
Shape checked(const Node& n, Shape s) {
  int64_t count = 1;
  for (int64_t d : s.dims) count = checked_mul(count, d, n.name + ": the " + s.str() + " output");
  checked_mul(count, 4, n.name + ": the bytes of the " + s.str() + " output");
  return s;
}

Shape infer(const Node& n, const std::vector<Shape>& in);

}  // namespace

Shape infer_shape(const Node& n, const std::vector<Shape>& in) { return checked(n, infer(n, in)); }

int64_t window_out(int64_t in, int kernel, int stride, int pad_before, int pad_after, int dilation) {
  int64_t span = static_cast<int64_t>(dilation) * (kernel - 1) + 1;
  int64_t room = in + pad_before + pad_after - span;
  if (room < 0) return 0;
  return room / stride + 1;
}

namespace {

Shape infer(const Node& n, const std::vector<Shape>& in) {
  switch (n.op) {
    case OpKind::Input:
      return n.shape;

    case OpKind::Conv: {
      expect_inputs(n, in, 1);
      expect_rank4(n, in[0]);
      const auto& a = n.as<ConvAttrs>();
      if (a.groups < 1) fail(n, "groups must be at least 1");
      if (a.out_channels < 1) fail(n, "output channels must be at least 1");
      if (in[0].c() % a.groups != 0)
        fail(n, std::to_string(in[0].c()) + " input channels not divisible by groups=" +
                    std::to_string(a.groups));
      if (a.out_channels % a.groups != 0)
        fail(n, std::to_string(a.out_channels) + " output channels not divisible by groups=" +
                    std::to_string(a.groups));
      return window_shape(n, in[0], a.out_channels, a.kernel_h, a.kernel_w, a.stride_h, a.stride_w,
                          a.pad, a.dilation_h, a.dilation_w);
    }

    case OpKind::BatchNorm:
    case OpKind::Activation:
      expect_inputs(n, in, 1);
      expect_rank4(n, in[0]);
      return in[0];

    case OpKind::Add:
      expect_inputs(n, in, 2);
      if (in[0] != in[1]) fail(n, "cannot add shapes " + in[0].str() + " and " + in[1].str());
      return in[0];

    case OpKind::Concat: {
      if (in.empty()) fail(n, "Concat needs at least one input");
      Shape out = in[0];
      expect_rank4(n, out);
      for (size_t i = 1; i < in.size(); ++i) {
        expect_rank4(n, in[i]);
        if (in[i].n() != out.n() || in[i].h() != out.h() || in[i].w() != out.w())
          fail(n, "cannot concatenate " + in[i].str() + " onto " + out.str() +
                      " (batch and spatial sizes must match)");
        out.dims[1] = checked_add(out.dims[1], in[i].c(), n.name + ": concatenated channels");
      }
      return out;
    }

    case OpKind::MaxPool:
    case OpKind::AvgPool: {
      expect_inputs(n, in, 1);
      expect_rank4(n, in[0]);
      const auto& a = n.as<PoolAttrs>();
      if (a.pad.top * 2 > a.kernel_h || a.pad.left * 2 > a.kernel_w)
        fail(n, "pool padding must be at most half the kernel");
      return window_shape(n, in[0], in[0].c(), a.kernel_h, a.kernel_w, a.stride_h, a.stride_w,
                          a.pad, 1, 1);
    }

    case OpKind::GlobalAvgPool:
      expect_inputs(n, in, 1);
      expect_rank4(n, in[0]);
      return Shape{in[0].n(), in[0].c(), 1, 1};

    case OpKind::Flatten:
      expect_inputs(n, in, 1);
      if (in[0].rank() < 2) fail(n, "cannot flatten shape " + in[0].str());
      return Shape{in[0][0], in[0].numel() / in[0][0]};

    case OpKind::Linear: {
      expect_inputs(n, in, 1);
      if (in[0].rank() != 2) fail(n, "Linear expects (N, features), got " + in[0].str() + "; add a Flatten");
      if (n.as<LinearAttrs>().out_features < 1) fail(n, "output features must be at least 1");
      return Shape{in[0][0], n.as<LinearAttrs>().out_features};
    }

    case OpKind::Pad: {
      expect_inputs(n, in, 1);
      expect_rank4(n, in[0]);
      const auto& p = n.as<PadAttrs>().pad;
      if (p.top < 0 || p.left < 0 || p.bottom < 0 || p.right < 0) fail(n, "padding must not be negative");
      return Shape{in[0].n(), in[0].c(), in[0].h() + p.top + p.bottom, in[0].w() + p.left + p.right};
    }

    case OpKind::Slice: {
      expect_inputs(n, in, 1);
      expect_rank4(n, in[0]);
      const auto& s = n.as<SliceAttrs>();
      if (s.top < 0 || s.left < 0 || s.height < 1 || s.width < 1 || s.top + s.height > in[0].h() ||
          s.left + s.width > in[0].w())
        fail(n, "crop [" + std::to_string(s.top) + "+" + std::to_string(s.height) + ", " +
                    std::to_string(s.left) + "+" + std::to_string(s.width) + "] lies outside the " +
                    std::to_string(in[0].h()) + "x" + std::to_string(in[0].w()) + " input");
      return Shape{in[0].n(), in[0].c(), s.height, s.width};
    }
  }
  fail(n, "unknown op");
}

}  // namespace
}  // namespace fb
