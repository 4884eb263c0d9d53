#include "backends/reference/reference_ops.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fb::ref {
namespace {

// Index into an NCHW tensor.
inline int64_t at4(const Shape& s, int64_t n, int64_t c, int64_t h, int64_t w) {
  return ((n * s.c() + c) * s.h() + h) * s.w() + w;
}

}  // namespace

void conv(const ConvAttrs& a, const Tensor& x, const Tensor& weight, const Tensor* bias, Tensor& out) {
  const Shape& xs = x.shape;
  const Shape& os = out.shape;
  const int64_t in_per_group = xs.c() / a.groups;
  const int64_t out_per_group = os.c() / a.groups;
  for (int64_t n = 0; n < os.n(); ++n)
    for (int64_t oc = 0; oc < os.c(); ++oc) {
      const int64_t g = oc / out_per_group;
      for (int64_t oh = 0; oh < os.h(); ++oh)
        for (int64_t ow = 0; ow < os.w(); ++ow) {
          double acc = bias ? bias->data[static_cast<size_t>(oc)] : 0.0;
          for (int64_t icg = 0; icg < in_per_group; ++icg) {
            const int64_t ic = g * in_per_group + icg;
            for (int kh = 0; kh < a.kernel_h; ++kh) {
              const int64_t ih = oh * a.stride_h - a.pad.top + kh * a.dilation_h;
              if (ih < 0 || ih >= xs.h()) continue;
              for (int kw = 0; kw < a.kernel_w; ++kw) {
                const int64_t iw = ow * a.stride_w - a.pad.left + kw * a.dilation_w;
                if (iw < 0 || iw >= xs.w()) continue;
                const int64_t wi = ((oc * in_per_group + icg) * a.kernel_h + kh) * a.kernel_w + kw;
                acc += static_cast<double>(x.data[static_cast<size_t>(at4(xs, n, ic, ih, iw))]) *
                       weight.data[static_cast<size_t>(wi)];
              }
            }
          }
          out.data[static_cast<size_t>(at4(os, n, oc, oh, ow))] = static_cast<float>(acc);
        }
    }
}

void batch_norm(const BatchNormAttrs& a, const Tensor& x, const Tensor& gamma, const Tensor& beta,
                const Tensor& mean, const Tensor& var, Tensor& out) {
  const Shape& s = x.shape;
  const int64_t plane = s.h() * s.w();
  for (int64_t n = 0; n < s.n(); ++n)
    for (int64_t c = 0; c < s.c(); ++c) {
      const auto ci = static_cast<size_t>(c);
      const double scale = gamma.data[ci] / std::sqrt(static_cast<double>(var.data[ci]) + a.eps);
      const double shift = beta.data[ci] - mean.data[ci] * scale;
      const int64_t base = at4(s, n, c, 0, 0);
      for (int64_t i = 0; i < plane; ++i) {
        const auto k = static_cast<size_t>(base + i);
        out.data[k] = static_cast<float>(x.data[k] * scale + shift);
      }
    }
}

void activation(const ActivationAttrs& a, const Tensor& x, Tensor& out) {
  const float hi = a.kind == ActKind::ReLU6 ? 6.0f : std::numeric_limits<float>::infinity();
  for (size_t i = 0; i < x.data.size(); ++i) out.data[i] = std::min(std::max(x.data[i], 0.0f), hi);
}

void add(const Tensor& a, const Tensor& b, Tensor& out) {
  for (size_t i = 0; i < a.data.size(); ++i) out.data[i] = a.data[i] + b.data[i];
}

void concat(const std::vector<const Tensor*>& xs, Tensor& out) {
  const Shape& os = out.shape;
  const int64_t plane = os.h() * os.w();
  for (int64_t n = 0; n < os.n(); ++n) {
    int64_t c0 = 0;
    for (const Tensor* x : xs) {
      const int64_t count = x->shape.c() * plane;
      std::copy_n(x->data.begin() + at4(x->shape, n, 0, 0, 0), count,
                  out.data.begin() + at4(os, n, c0, 0, 0));
      c0 += x->shape.c();
    }
  }
}

void max_pool(const PoolAttrs& a, const Tensor& x, Tensor& out) {
  const Shape& xs = x.shape;
  const Shape& os = out.shape;
  for (int64_t n = 0; n < os.n(); ++n)
    for (int64_t c = 0; c < os.c(); ++c)
      for (int64_t oh = 0; oh < os.h(); ++oh)
        for (int64_t ow = 0; ow < os.w(); ++ow) {
          float best = -std::numeric_limits<float>::infinity();  // padding never wins
          for (int kh = 0; kh < a.kernel_h; ++kh)
            for (int kw = 0; kw < a.kernel_w; ++kw) {
              const int64_t ih = oh * a.stride_h - a.pad.top + kh;
              const int64_t iw = ow * a.stride_w - a.pad.left + kw;
              if (ih < 0 || ih >= xs.h() || iw < 0 || iw >= xs.w()) continue;
              best = std::max(best, x.data[static_cast<size_t>(at4(xs, n, c, ih, iw))]);
            }
          out.data[static_cast<size_t>(at4(os, n, c, oh, ow))] = best;
        }
}

void avg_pool(const PoolAttrs& a, const Tensor& x, Tensor& out) {
  const Shape& xs = x.shape;
  const Shape& os = out.shape;
  for (int64_t n = 0; n < os.n(); ++n)
    for (int64_t c = 0; c < os.c(); ++c)
      for (int64_t oh = 0; oh < os.h(); ++oh)
        for (int64_t ow = 0; ow < os.w(); ++ow) {
          double sum = 0;
          int64_t inside = 0, window = 0;
          for (int kh = 0; kh < a.kernel_h; ++kh)
            for (int kw = 0; kw < a.kernel_w; ++kw) {
              const int64_t ih = oh * a.stride_h - a.pad.top + kh;
              const int64_t iw = ow * a.stride_w - a.pad.left + kw;
              // The divisor with padding counts only the padded frame, not
              // positions beyond it (PyTorch's and oneDNN's convention).
              if (ih >= xs.h() + a.pad.bottom || iw >= xs.w() + a.pad.right) continue;
              ++window;
              if (ih < 0 || ih >= xs.h() || iw < 0 || iw >= xs.w()) continue;
              ++inside;
              sum += x.data[static_cast<size_t>(at4(xs, n, c, ih, iw))];
            }
          const int64_t divisor = a.count_include_pad ? window : inside;
          out.data[static_cast<size_t>(at4(os, n, c, oh, ow))] = static_cast<float>(sum / static_cast<double>(divisor));
        }
}

void global_avg_pool(const Tensor& x, Tensor& out) {
  const Shape& s = x.shape;
  const int64_t plane = s.h() * s.w();
  for (int64_t n = 0; n < s.n(); ++n)
    for (int64_t c = 0; c < s.c(); ++c) {
      double sum = 0;
      const int64_t base = at4(s, n, c, 0, 0);
      for (int64_t i = 0; i < plane; ++i) sum += x.data[static_cast<size_t>(base + i)];
      out.data[static_cast<size_t>(n * s.c() + c)] = static_cast<float>(sum / static_cast<double>(plane));
    }
}

void linear(const Tensor& x, const Tensor& weight, const Tensor* bias, Tensor& out) {
  const int64_t batch = x.shape[0], in_f = x.shape[1], out_f = out.shape[1];
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t o = 0; o < out_f; ++o) {
      double acc = bias ? bias->data[static_cast<size_t>(o)] : 0.0;
      for (int64_t i = 0; i < in_f; ++i)
        acc += static_cast<double>(x.data[static_cast<size_t>(n * in_f + i)]) *
               weight.data[static_cast<size_t>(o * in_f + i)];
      out.data[static_cast<size_t>(n * out_f + o)] = static_cast<float>(acc);
    }
}

void pad(const PadAttrs& a, const Tensor& x, Tensor& out) {
  std::fill(out.data.begin(), out.data.end(), 0.0f);
  const Shape& xs = x.shape;
  for (int64_t n = 0; n < xs.n(); ++n)
    for (int64_t c = 0; c < xs.c(); ++c)
      for (int64_t h = 0; h < xs.h(); ++h)
        for (int64_t w = 0; w < xs.w(); ++w)
          out.data[static_cast<size_t>(at4(out.shape, n, c, h + a.pad.top, w + a.pad.left))] =
              x.data[static_cast<size_t>(at4(xs, n, c, h, w))];
}

void slice(const SliceAttrs& a, const Tensor& x, Tensor& out) {
  const Shape& os = out.shape;
  for (int64_t n = 0; n < os.n(); ++n)
    for (int64_t c = 0; c < os.c(); ++c)
      for (int64_t h = 0; h < os.h(); ++h)
        for (int64_t w = 0; w < os.w(); ++w)
          out.data[static_cast<size_t>(at4(os, n, c, h, w))] =
              x.data[static_cast<size_t>(at4(x.shape, n, c, h + a.top, w + a.left))];
}

}  // namespace fb::ref
