#include "interop/onnx_constant.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "common/checked.h"
#include "common/error.h"

namespace fb::onnx_io {
namespace {

// Folding never makes a constant larger than this: shape arithmetic is
// tiny, and a hostile ConstantOfShape must not allocate the machine away.
constexpr int64_t kMaxFoldedElements = int64_t{1} << 26;

[[noreturn]] void fail(const std::string& what, const std::string& why) { throw UsageError(what + ": " + why); }

template <class T>
void read_raw(const std::string& raw, int64_t count, std::vector<T>& out, const std::string& what) {
  if (static_cast<int64_t>(raw.size()) != count * static_cast<int64_t>(sizeof(T)))
    fail(what, "raw data holds " + std::to_string(raw.size()) + " bytes, the shape needs " +
                   std::to_string(count * static_cast<int64_t>(sizeof(T))));
  out.resize(static_cast<size_t>(count));
  if (count > 0) std::memcpy(out.data(), raw.data(), raw.size());  // ONNX raw data is little-endian, as is x86
}

template <class Src, class Dst>
void convert(const Src& from, std::vector<Dst>& to) {
  to.assign(from.begin(), from.end());
}

std::vector<int64_t> strides_of(const std::vector<int64_t>& dims) {
  std::vector<int64_t> s(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * dims[i];
  return s;
}

void check_size(int64_t count, const std::string& what) {
  if (count > kMaxFoldedElements)
    fail(what, "folding would make a constant of " + std::to_string(count) + " elements (at most " +
                   std::to_string(kMaxFoldedElements) + ")");
}

// A constant of `dims` whose element i is src's element index[i].
Constant take(const Constant& src, const std::vector<int64_t>& index, std::vector<int64_t> dims) {
  Constant out;
  out.dims = std::move(dims);
  out.integer = src.integer;
  if (src.integer)
    for (int64_t i : index) out.ints.push_back(src.ints.at(static_cast<size_t>(i)));
  else
    for (int64_t i : index) out.reals.push_back(src.reals.at(static_cast<size_t>(i)));
  return out;
}

Constant reshaped(const Constant& src, std::vector<int64_t> dims, const std::string& what) {
  if (element_count(dims, what) != src.numel())
    fail(what, "cannot reshape " + src.str() + " to " + std::to_string(element_count(dims, what)) + " elements");
  Constant out = src;
  out.dims = std::move(dims);
  return out;
}

int64_t normalise_axis(int64_t axis, int64_t rank, const std::string& what) {
  if (axis < -rank || axis >= rank)
    fail(what, "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

const Constant& need(const std::vector<const Constant*>& in, size_t i, const std::string& what) {
  if (i >= in.size() || in[i] == nullptr) fail(what, "input " + std::to_string(i) + " is missing");
  return *in[i];
}

std::vector<int64_t> int_values(const Constant& c, const std::string& what, const std::string& name) {
  if (!c.integer) fail(what, name + " must be an integer tensor, got " + c.str());
  return c.ints;
}

// Axes from the attribute (older opsets) or the second input (newer ones).
std::vector<int64_t> axes_of(const onnx::NodeProto& n, const std::vector<const Constant*>& in, const std::string& what) {
  if (in.size() > 1 && in[1]) return int_values(*in[1], what, "axes");
  return attr_ints(n, "axes", what);
}

Constant fold_gather(const onnx::NodeProto& n, const Constant& data, const Constant& indices, const std::string& what) {
  const int64_t rank = static_cast<int64_t>(data.dims.size());
  if (rank == 0) fail(what, "Gather on a scalar");
  const int64_t axis = normalise_axis(attr_int(n, "axis", 0, what), rank, what);
  const auto idx = int_values(indices, what, "indices");
  std::vector<int64_t> dims(data.dims.begin(), data.dims.begin() + axis);
  dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
  dims.insert(dims.end(), data.dims.begin() + axis + 1, data.dims.end());
  check_size(element_count(dims, what), what);
  const auto st = strides_of(data.dims);
  int64_t outer = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= data.dims[static_cast<size_t>(i)];
  const int64_t d = data.dims[static_cast<size_t>(axis)], inner = st[static_cast<size_t>(axis)];
  std::vector<int64_t> index;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t k : idx) {
      if (k < -d || k >= d) fail(what, "index " + std::to_string(k) + " is out of range for a dimension of " + std::to_string(d));
      const int64_t kk = k < 0 ? k + d : k;
      for (int64_t i = 0; i < inner; ++i) index.push_back(o * d * inner + kk * inner + i);
    }
  return take(data, index, dims);
}

Constant fold_concat(const onnx::NodeProto& n, const std::vector<const Constant*>& in, const std::string& what) {
  if (in.empty()) fail(what, "Concat of nothing");
  const Constant& first = need(in, 0, what);
  const int64_t rank = static_cast<int64_t>(first.dims.size());
  const int64_t axis = normalise_axis(attr_int(n, "axis", 0, what), rank, what);
  Constant out;
  out.integer = first.integer;
  out.dims = first.dims;
  out.dims[static_cast<size_t>(axis)] = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const Constant& c = need(in, i, what);
    if (c.integer != first.integer || c.dims.size() != first.dims.size())
      fail(what, "cannot concatenate " + c.str() + " with " + first.str());
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && c.dims[static_cast<size_t>(d)] != first.dims[static_cast<size_t>(d)])
        fail(what, "cannot concatenate " + c.str() + " with " + first.str());
    out.dims[static_cast<size_t>(axis)] += c.dims[static_cast<size_t>(axis)];
  }
  check_size(element_count(out.dims, what), what);
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= first.dims[static_cast<size_t>(d)];
  for (int64_t o = 0; o < outer; ++o)
    for (const Constant* c : in) {
      const int64_t chunk = outer == 0 ? 0 : c->numel() / outer;
      for (int64_t i = 0; i < chunk; ++i) {
        if (out.integer) out.ints.push_back(c->ints[static_cast<size_t>(o * chunk + i)]);
        else out.reals.push_back(c->reals[static_cast<size_t>(o * chunk + i)]);
      }
    }
  return out;
}

Constant fold_reshape(const onnx::NodeProto& n, const Constant& data, const Constant& shape, const std::string& what) {
  auto target = int_values(shape, what, "shape");
  const bool allowzero = attr_int(n, "allowzero", 0, what) != 0;
  int64_t known = 1, infer = -1;
  for (size_t i = 0; i < target.size(); ++i) {
    if (target[i] == 0 && !allowzero) {
      if (i >= data.dims.size()) fail(what, "shape entry 0 copies a dimension the input does not have");
      target[i] = data.dims[i];
    }
    if (target[i] == -1) {
      if (infer >= 0) fail(what, "shape has two -1 entries");
      infer = static_cast<int64_t>(i);
      continue;
    }
    if (target[i] < 0) fail(what, "shape entry " + std::to_string(target[i]) + " is negative");
    known = checked_mul(known, target[i], what + ": the shape");
  }
  if (infer >= 0) {
    if (known == 0 || data.numel() % known != 0) fail(what, "cannot infer the -1 entry of the shape");
    target[static_cast<size_t>(infer)] = data.numel() / known;
  }
  return reshaped(data, target, what);
}

Constant fold_slice(const onnx::NodeProto& n, const std::vector<const Constant*>& in, const std::string& what) {
  const Constant& data = need(in, 0, what);
  std::vector<int64_t> starts, ends, axes, steps;
  if (in.size() >= 3) {
    starts = int_values(need(in, 1, what), what, "starts");
    ends = int_values(need(in, 2, what), what, "ends");
    if (in.size() > 3 && in[3]) axes = int_values(*in[3], what, "axes");
    if (in.size() > 4 && in[4]) steps = int_values(*in[4], what, "steps");
  } else {
    starts = attr_ints(n, "starts", what);
    ends = attr_ints(n, "ends", what);
    axes = attr_ints(n, "axes", what);
  }
  const int64_t rank = static_cast<int64_t>(data.dims.size());
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    fail(what, "starts, ends, axes and steps differ in length");
  // Per axis: the source positions it keeps.
  std::vector<std::vector<int64_t>> keep(static_cast<size_t>(rank));
  for (int64_t d = 0; d < rank; ++d)
    for (int64_t i = 0; i < data.dims[static_cast<size_t>(d)]; ++i) keep[static_cast<size_t>(d)].push_back(i);
  for (size_t k = 0; k < starts.size(); ++k) {
    const int64_t axis = normalise_axis(axes[k], rank, what), dim = data.dims[static_cast<size_t>(axis)];
    const int64_t step = std::max(steps[k], -std::numeric_limits<int64_t>::max());  // so -step exists
    if (step == 0) fail(what, "a step of 0");
    auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0) v = v < -dim ? lo : v + dim;  // v + dim cannot overflow here
      return std::clamp(v, lo, hi);
    };
    std::vector<int64_t> kept;
    if (step > 0) {
      for (int64_t i = clamp(starts[k], 0, dim), e = clamp(ends[k], 0, dim); i < e; i = e - i > step ? i + step : e)
        kept.push_back(i);
    } else {
      for (int64_t i = clamp(starts[k], -1, dim - 1), e = clamp(ends[k], -1, dim - 1); i > e; i = i - e > -step ? i + step : e)
        kept.push_back(i);
    }
    keep[static_cast<size_t>(axis)] = kept;
  }
  std::vector<int64_t> dims;
  for (const auto& k : keep) dims.push_back(static_cast<int64_t>(k.size()));
  const int64_t count = element_count(dims, what);
  check_size(count, what);
  const auto st = strides_of(data.dims);
  std::vector<int64_t> index;
  std::vector<int64_t> pos(static_cast<size_t>(rank), 0);
  for (int64_t e = 0; e < count; ++e) {
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d) src += keep[static_cast<size_t>(d)][static_cast<size_t>(pos[static_cast<size_t>(d)])] * st[static_cast<size_t>(d)];
    index.push_back(src);
    for (int64_t d = rank; d-- > 0;) {
      if (++pos[static_cast<size_t>(d)] < dims[static_cast<size_t>(d)]) break;
      pos[static_cast<size_t>(d)] = 0;
    }
  }
  return take(data, index, dims);
}

Constant fold_transpose(const onnx::NodeProto& n, const Constant& data, const std::string& what) {
  const int64_t rank = static_cast<int64_t>(data.dims.size());
  auto perm = attr_ints(n, "perm", what);
  if (perm.empty())
    for (int64_t d = rank; d-- > 0;) perm.push_back(d);
  std::vector<int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t d = 0; d < rank; ++d)
    if (static_cast<int64_t>(sorted.size()) != rank || sorted[static_cast<size_t>(d)] != d)
      fail(what, "perm is not a permutation of the " + std::to_string(rank) + " axes");
  const auto st = strides_of(data.dims);
  std::vector<int64_t> dims;
  for (int64_t p : perm) dims.push_back(data.dims[static_cast<size_t>(p)]);
  std::vector<int64_t> index, pos(static_cast<size_t>(rank), 0);
  for (int64_t e = 0; e < data.numel(); ++e) {
    int64_t src = 0;
    for (int64_t d = 0; d < rank; ++d) src += pos[static_cast<size_t>(d)] * st[static_cast<size_t>(perm[static_cast<size_t>(d)])];
    index.push_back(src);
    for (int64_t d = rank; d-- > 0;) {
      if (++pos[static_cast<size_t>(d)] < dims[static_cast<size_t>(d)]) break;
      pos[static_cast<size_t>(d)] = 0;
    }
  }
  return take(data, index, dims);
}

Constant fold_arithmetic(const std::string& op, const Constant& a, const Constant& b, const std::string& what) {
  if (a.integer != b.integer) fail(what, op + " of " + a.str() + " and " + b.str() + " (types differ)");
  const size_t rank = std::max(a.dims.size(), b.dims.size());
  auto padded = [rank](const std::vector<int64_t>& d) {
    std::vector<int64_t> p(rank - d.size(), 1);
    p.insert(p.end(), d.begin(), d.end());
    return p;
  };
  const auto da = padded(a.dims), db = padded(b.dims);
  std::vector<int64_t> dims(rank);
  for (size_t i = 0; i < rank; ++i) {
    if (da[i] != db[i] && da[i] != 1 && db[i] != 1)
      fail(what, "cannot broadcast " + a.str() + " with " + b.str());
    dims[i] = da[i] == 1 ? db[i] : da[i];
  }
  const int64_t count = element_count(dims, what);
  check_size(count, what);
  const auto sa = strides_of(da), sb = strides_of(db);
  Constant out;
  out.dims = dims;
  out.integer = a.integer;
  std::vector<int64_t> pos(rank, 0);
  for (int64_t e = 0; e < count; ++e) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) {
      if (da[d] != 1) ia += pos[d] * sa[d];
      if (db[d] != 1) ib += pos[d] * sb[d];
    }
    if (a.integer) {
      const int64_t x = a.ints[static_cast<size_t>(ia)], y = b.ints[static_cast<size_t>(ib)];
      int64_t r = 0;
      bool overflow = false;
      if (op == "Add") overflow = __builtin_add_overflow(x, y, &r);
      else if (op == "Sub") overflow = __builtin_sub_overflow(x, y, &r);
      else if (op == "Mul") overflow = __builtin_mul_overflow(x, y, &r);
      else {
        if (y == 0) fail(what, "integer division by zero");
        if (x == std::numeric_limits<int64_t>::min() && y == -1) overflow = true;
        else r = x / y;
      }
      if (overflow) fail(what, op + " of " + std::to_string(x) + " and " + std::to_string(y) + " overflows int64");
      out.ints.push_back(r);
    } else {
      const float x = a.reals[static_cast<size_t>(ia)], y = b.reals[static_cast<size_t>(ib)];
      out.reals.push_back(op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : x / y);
    }
    for (size_t d = rank; d-- > 0;) {
      if (++pos[d] < dims[d]) break;
      pos[d] = 0;
    }
  }
  return out;
}

Constant fold_cast(const onnx::NodeProto& n, const Constant& x, const std::string& what) {
  const int64_t to = attr_int(n, "to", -1, what);
  const bool to_real = to == onnx::TensorProto::FLOAT || to == onnx::TensorProto::DOUBLE;
  const bool to_int = to == onnx::TensorProto::INT64 || to == onnx::TensorProto::INT32;
  if (!to_real && !to_int) fail(what, "Cast to data type " + std::to_string(to) + "; formbench folds casts to float, double, int32 and int64");
  Constant out;
  out.dims = x.dims;
  out.integer = to_int;
  if (to_int && !x.integer) {
    for (float v : x.reals) {
      if (!std::isfinite(v) || std::abs(v) >= 9.2e18f) fail(what, "cannot cast " + std::to_string(v) + " to an integer");
      out.ints.push_back(static_cast<int64_t>(v));
    }
  } else if (to_real && x.integer) {
    convert(x.ints, out.reals);
  } else {
    out.ints = x.ints;
    out.reals = x.reals;
  }
  return out;
}

Constant from_attribute_value(const onnx::NodeProto& n, const std::string& what) {
  for (const auto& a : n.attribute()) {
    Constant c;
    if (a.name() == "value") return from_proto(a.t(), what);
    if (a.name() == "value_float") return Constant{{}, false, {}, {a.f()}};
    if (a.name() == "value_floats") {
      c.reals.assign(a.floats().begin(), a.floats().end());
      c.dims = {c.numel()};
      return c;
    }
    if (a.name() == "value_int") return Constant{{}, true, {a.i()}, {}};
    if (a.name() == "value_ints") {
      c.integer = true;
      c.ints.assign(a.ints().begin(), a.ints().end());
      c.dims = {c.numel()};
      return c;
    }
  }
  fail(what, "Constant without a value, value_float(s) or value_int(s) attribute");
}

}  // namespace

std::string Constant::str() const {
  std::string s = integer ? "int64[" : "float[";
  for (size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

int64_t element_count(const std::vector<int64_t>& dims, const std::string& what) {
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0) fail(what, "dimension " + std::to_string(d) + " is negative");
    count = checked_mul(count, d, what + ": the element count");
  }
  return count;
}

Constant from_proto(const onnx::TensorProto& t, const std::string& what) {
  if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0)
    fail(what, "tensor '" + t.name() + "' keeps its data in an external file; formbench reads self-contained ONNX files");
  Constant c;
  c.dims.assign(t.dims().begin(), t.dims().end());
  const int64_t count = element_count(c.dims, what + ": tensor '" + t.name() + "'");
  const std::string tw = what + ": tensor '" + t.name() + "'";
  auto expect = [&](int64_t have) {
    if (have != count)
      fail(tw, "holds " + std::to_string(have) + " values, its shape needs " + std::to_string(count));
  };
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      if (t.has_raw_data()) read_raw(t.raw_data(), count, c.reals, tw);
      else expect(t.float_data_size()), convert(t.float_data(), c.reals);
      break;
    case onnx::TensorProto::DOUBLE: {
      std::vector<double> d;
      if (t.has_raw_data()) read_raw(t.raw_data(), count, d, tw);
      else expect(t.double_data_size()), convert(t.double_data(), d);
      convert(d, c.reals);
      break;
    }
    case onnx::TensorProto::INT64:
      c.integer = true;
      if (t.has_raw_data()) read_raw(t.raw_data(), count, c.ints, tw);
      else expect(t.int64_data_size()), convert(t.int64_data(), c.ints);
      break;
    case onnx::TensorProto::INT32: {
      c.integer = true;
      std::vector<int32_t> d;
      if (t.has_raw_data()) read_raw(t.raw_data(), count, d, tw);
      else expect(t.int32_data_size()), convert(t.int32_data(), d);
      convert(d, c.ints);
      break;
    }
    default:
      fail(tw, "data type " + std::to_string(t.data_type()) +
                   " is not supported; formbench reads float, double, int32 and int64 tensors");
  }
  return c;
}

onnx::TensorProto to_proto(const std::string& name, const Constant& c) {
  onnx::TensorProto t;
  t.set_name(name);
  for (int64_t d : c.dims) t.add_dims(d);
  if (c.integer) {
    t.set_data_type(onnx::TensorProto::INT64);
    t.set_raw_data(std::string(reinterpret_cast<const char*>(c.ints.data()), c.ints.size() * sizeof(int64_t)));
  } else {
    t.set_data_type(onnx::TensorProto::FLOAT);
    t.set_raw_data(std::string(reinterpret_cast<const char*>(c.reals.data()), c.reals.size() * sizeof(float)));
  }
  return t;
}

bool foldable(const std::string& op) {
  static const std::vector<std::string> ops = {"Constant", "Identity", "Cast", "Gather", "Unsqueeze", "Squeeze",
                                               "Concat", "Reshape", "Slice", "Transpose", "Add", "Sub", "Mul",
                                               "Div", "ConstantOfShape"};
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

Constant fold(const onnx::NodeProto& n, const std::vector<const Constant*>& in, const std::string& what) {
  const std::string& op = n.op_type();
  if (op == "Constant") return from_attribute_value(n, what);
  if (op == "Identity") return need(in, 0, what);
  if (op == "Cast") return fold_cast(n, need(in, 0, what), what);
  if (op == "Gather") return fold_gather(n, need(in, 0, what), need(in, 1, what), what);
  if (op == "Concat") return fold_concat(n, in, what);
  if (op == "Reshape") return fold_reshape(n, need(in, 0, what), need(in, 1, what), what);
  if (op == "Slice") return fold_slice(n, in, what);
  if (op == "Transpose") return fold_transpose(n, need(in, 0, what), what);
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div")
    return fold_arithmetic(op, need(in, 0, what), need(in, 1, what), what);
  if (op == "Unsqueeze") {
    const Constant& x = need(in, 0, what);
    const auto axes = axes_of(n, in, what);
    const int64_t rank = static_cast<int64_t>(x.dims.size() + axes.size());
    std::vector<bool> inserted(static_cast<size_t>(rank), false);
    for (int64_t a : axes) {
      const int64_t ax = normalise_axis(a, rank, what);
      if (inserted[static_cast<size_t>(ax)]) fail(what, "axis " + std::to_string(a) + " is repeated");
      inserted[static_cast<size_t>(ax)] = true;
    }
    std::vector<int64_t> dims;
    size_t next = 0;
    for (int64_t d = 0; d < rank; ++d) dims.push_back(inserted[static_cast<size_t>(d)] ? 1 : x.dims.at(next++));
    return reshaped(x, dims, what);
  }
  if (op == "Squeeze") {
    const Constant& x = need(in, 0, what);
    const auto axes = axes_of(n, in, what);
    const int64_t rank = static_cast<int64_t>(x.dims.size());
    std::vector<bool> drop(static_cast<size_t>(rank), axes.empty());
    for (int64_t a : axes) drop[static_cast<size_t>(normalise_axis(a, rank, what))] = true;
    std::vector<int64_t> dims;
    for (int64_t d = 0; d < rank; ++d) {
      const int64_t v = x.dims[static_cast<size_t>(d)];
      if (drop[static_cast<size_t>(d)] && v == 1) continue;
      if (drop[static_cast<size_t>(d)] && !axes.empty()) fail(what, "cannot squeeze an axis of size " + std::to_string(v));
      dims.push_back(v);
    }
    return reshaped(x, dims, what);
  }
  if (op == "ConstantOfShape") {
    const auto dims = int_values(need(in, 0, what), what, "shape");
    const int64_t count = element_count(dims, what);
    check_size(count, what);
    Constant value{{}, false, {}, {0.0f}};
    if (const auto* a = find_attr(n, "value")) value = from_proto(a->t(), what);
    if (value.numel() != 1) fail(what, "ConstantOfShape's value must hold one element");
    Constant out;
    out.dims = dims;
    out.integer = value.integer;
    if (value.integer) out.ints.assign(static_cast<size_t>(count), value.ints[0]);
    else out.reals.assign(static_cast<size_t>(count), value.reals[0]);
    return out;
  }
  fail(what, "cannot fold " + op);
}

const onnx::AttributeProto* find_attr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t fallback, const std::string& what) {
  const auto* a = find_attr(n, name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::INT) fail(what, "attribute " + name + " must be an integer");
  return a->i();
}

float attr_float(const onnx::NodeProto& n, const std::string& name, float fallback, const std::string& what) {
  const auto* a = find_attr(n, name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::FLOAT) fail(what, "attribute " + name + " must be a float");
  return a->f();
}

std::vector<int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name, const std::string& what) {
  const auto* a = find_attr(n, name);
  if (!a) return {};
  if (a->type() != onnx::AttributeProto::INTS) fail(what, "attribute " + name + " must be a list of integers");
  return {a->ints().begin(), a->ints().end()};
}

std::string attr_string(const onnx::NodeProto& n, const std::string& name, const std::string& fallback,
                        const std::string& what) {
  const auto* a = find_attr(n, name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::STRING) fail(what, "attribute " + name + " must be a string");
  return a->s();
}

}  // namespace fb::onnx_io
