#include "interop/onnx_import.h"

#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include "common/error.h"
#include "graph/shape_inference.h"
#include "interop/onnx_constant.h"

namespace fb::onnx_io {
namespace {

constexpr const char* kSupported =
    "Conv, BatchNormalization, Relu, Clip (as ReLU or ReLU6), Add, Concat (channels), MaxPool, AveragePool, "
    "GlobalAveragePool, Flatten, Reshape to (batch, features), Gemm, MatMul, Pad (constant zero, spatial), "
    "Slice (spatial, step 1), Identity, Dropout, Constant; Add/Sub/Mul/Div by a per-channel constant; and "
    "Shape, Gather, Unsqueeze, Squeeze, Concat, Cast, Reshape, Slice, Transpose, ConstantOfShape and arithmetic "
    "on constants";

// Largest kernel, stride, dilation or padding accepted: far beyond any CNN,
// small enough for the IR's int fields.
constexpr int64_t kMaxWindow = int64_t{1} << 20;

// A named ONNX value: an activation (an IR node) or a constant.
struct Value {
  ValueId id = -1;
  std::shared_ptr<const Constant> constant;
};

class Importer {
 public:
  Importer(const onnx::ModelProto& m, const std::string& name) : m_(m) {
    g_.name = name;
    w_.seed = 0;
  }

  ImportedModel run() {
    read_opset();
    const auto& graph = m_.graph();
    for (const auto& t : graph.initializer())
      values_[t.name()] = Value{-1, std::make_shared<Constant>(from_proto(t, "initializer '" + t.name() + "'"))};
    read_input();
    for (const auto& n : graph.node())
      for (const auto& in : n.input()) ++uses_[in];
    for (const auto& o : graph.output()) ++uses_[o.name()];
    for (int i = 0; i < graph.node_size(); ++i) import_node(graph.node(i), i);
    if (graph.output_size() != 1)
      throw UsageError("the ONNX graph has " + std::to_string(graph.output_size()) +
                       " outputs; formbench imports models with one output");
    const std::string& out = graph.output(0).name();
    auto it = values_.find(out);
    if (it == values_.end()) throw UsageError("the ONNX graph's output '" + out + "' is produced by no node");
    if (it->second.id < 0) throw UsageError("the ONNX graph's output '" + out + "' is a constant, not computed from the input");
    return prune(it->second.id);
  }

 private:
  void read_opset() {
    std::optional<int64_t> v;
    for (const auto& o : m_.opset_import())
      if (o.domain().empty() || o.domain() == "ai.onnx") v = o.version();
    if (!v) throw UsageError("the ONNX model imports no version of the default operator set");
    if (*v < kMinOpset || *v > kMaxOpset)
      throw UsageError("the ONNX model uses opset " + std::to_string(*v) + "; formbench imports opsets " +
                       std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset));
    opset_ = *v;
  }

  void read_input() {
    const onnx::ValueInfoProto* input = nullptr;
    for (const auto& i : m_.graph().input()) {
      if (values_.count(i.name())) continue;  // an initializer listed as an input (IR version < 4)
      if (input)
        throw UsageError("the ONNX graph has more than one input ('" + input->name() + "', '" + i.name() +
                         "'); formbench imports models with one image input");
      input = &i;
    }
    if (!input) throw UsageError("the ONNX graph has no input");
    const std::string what = "the ONNX graph's input '" + input->name() + "'";
    if (!input->type().has_tensor_type() || input->type().tensor_type().elem_type() != onnx::TensorProto::FLOAT)
      throw UsageError(what + " is not a float tensor");
    const auto& shape = input->type().tensor_type().shape();
    if (shape.dim_size() != 4)
      throw UsageError(what + " has rank " + std::to_string(shape.dim_size()) + "; formbench imports NCHW images (rank 4)");
    std::vector<int64_t> dims;
    for (int d = 0; d < 4; ++d) {
      const auto& dim = shape.dim(d);
      if (dim.has_dim_value() && dim.dim_value() > 0) {
        dims.push_back(dim.dim_value());
      } else if (d == 0) {
        symbolic_batch_ = true;
        dims.push_back(1);
      } else {
        throw UsageError(what + ": dimension " + std::to_string(d) + " is " +
                         (dim.has_dim_param() ? "symbolic ('" + dim.dim_param() + "')" : "not a positive number") +
                         "; formbench needs fixed channels, height and width (only the batch may be symbolic)");
      }
    }
    Node n;
    n.name = input->name();
    n.op = OpKind::Input;
    n.attrs = InputAttrs{};
    n.shape = Shape(dims);
    n.shape = infer_shape(n, {});  // checks that its bytes fit
    g_.nodes.push_back(n);
    w_.per_node.emplace_back();
    values_[input->name()] = Value{0, nullptr};
  }

  // --- helpers -------------------------------------------------------------

  [[noreturn]] void fail(const std::string& why) const { throw UsageError(what_ + ": " + why); }

  const Value* input(int i) const {
    if (i >= node_->input_size() || node_->input(i).empty()) return nullptr;
    auto it = values_.find(node_->input(i));
    if (it == values_.end())
      fail("reads '" + node_->input(i) +
           "', which no earlier node, graph input or initializer defines (the graph must be in topological "
           "order, without cycles)");
    return &it->second;
  }
  ValueId activation(int i) const {
    const Value* v = input(i);
    if (!v) fail("input " + std::to_string(i) + " is missing");
    if (v->id < 0) fail("input " + std::to_string(i) + " ('" + node_->input(i) + "') must be computed from the image, not a constant");
    return v->id;
  }
  const Constant* optional_constant(int i, const std::string& role) const {
    const Value* v = input(i);
    if (!v) return nullptr;
    if (!v->constant) fail(role + " ('" + node_->input(i) + "') must be a constant (an initializer or folded); formbench does not take it from activations");
    return v->constant.get();
  }
  const Constant& constant(int i, const std::string& role) const {
    const Constant* c = optional_constant(i, role);
    if (!c) fail(role + " (input " + std::to_string(i) + ") is missing");
    return *c;
  }
  const Shape& shape(ValueId v) const { return g_.node(v).shape; }
  int to_int(int64_t v, int64_t lo, int64_t hi, const std::string& name) const {
    if (v < lo || v > hi)
      fail(name + " " + std::to_string(v) + " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
    return static_cast<int>(v);
  }
  std::vector<int64_t> ints(const std::string& name, size_t size, int64_t fallback) const {
    auto v = attr_ints(*node_, name, what_);
    if (v.empty()) return std::vector<int64_t>(size, fallback);
    if (v.size() != size)
      fail("attribute " + name + " has " + std::to_string(v.size()) + " values; formbench supports 2-D (" +
           std::to_string(size) + " values)");
    return v;
  }
  // Extra outputs (BatchNormalization's statistics, MaxPool's indices,
  // Dropout's mask) are fine only while nothing reads them.
  void require_unused_extra_outputs() const {
    for (int i = 1; i < node_->output_size(); ++i)
      if (!node_->output(i).empty() && uses_.count(node_->output(i)))
        fail("its output " + std::to_string(i) + " ('" + node_->output(i) + "') is used; formbench supports only the first output");
  }

  Tensor tensor(const Constant& c, const std::string& role, std::vector<int64_t> dims) const {
    if (c.integer) fail(role + " must be a float tensor, got " + c.str());
    if (element_count(dims, what_) != c.numel())
      fail(role + " has shape " + c.str() + "; expected " + Shape(dims).str() + " elements");
    Tensor t(Shape(std::move(dims)));
    t.data = c.reals;
    return t;
  }

  ValueId append(OpKind op, OpAttrs attrs, std::vector<ValueId> inputs, std::vector<Tensor> params = {}) {
    Node n;
    n.name = ir_name_;
    n.op = op;
    n.attrs = std::move(attrs);
    n.inputs = std::move(inputs);
    std::vector<Shape> in;
    for (ValueId v : n.inputs) in.push_back(shape(v));
    try {
      n.shape = infer_shape(n, in);
    } catch (const UsageError& e) {
      fail(e.what());
    }
    g_.nodes.push_back(std::move(n));
    w_.per_node.push_back(std::move(params));
    return static_cast<ValueId>(g_.nodes.size() - 1);
  }

  void define(const Value& v) {
    if (node_->output_size() < 1 || node_->output(0).empty()) fail("has no output");
    values_[node_->output(0)] = v;
  }
  void define(ValueId id) { define(Value{id, nullptr}); }
  void define(Constant c) { define(Value{-1, std::make_shared<Constant>(std::move(c))}); }

  // --- operators -----------------------------------------------------------

  void import_node(const onnx::NodeProto& n, int index) {
    node_ = &n;
    const std::string label = n.name().empty() ? "#" + std::to_string(index) : "'" + n.name() + "'";
    what_ = "ONNX node " + label + " (" + n.op_type() + ")";
    ir_name_ = n.name().empty() ? n.op_type() + "_" + std::to_string(index) : n.name();
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      fail("operator domain '" + n.domain() + "' is not supported; formbench imports the default ONNX domain");
    const std::string& op = n.op_type();

    // Constants in, constant out: fold.
    bool all_constant = true;
    std::vector<const Constant*> consts;
    for (int i = 0; i < n.input_size(); ++i) {
      const Value* v = input(i);
      if (v && !v->constant) all_constant = false;
      consts.push_back(v ? v->constant.get() : nullptr);
    }
    if (op == "Shape") return define(shape_of());
    if (all_constant && foldable(op)) {
      if (n.output_size() != 1) fail("has " + std::to_string(n.output_size()) + " outputs; a folded node has one");
      return define(fold(n, consts, what_));
    }

    if (op == "Conv") return define(conv());
    if (op == "BatchNormalization") return define(batch_norm());
    if (op == "Relu") return define(append(OpKind::Activation, ActivationAttrs{ActKind::ReLU}, {activation(0)}));
    if (op == "Clip") return define(clip());
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") return define(arithmetic());
    if (op == "Concat") return define(concat());
    if (op == "MaxPool" || op == "AveragePool") return define(pool(op == "MaxPool"));
    if (op == "GlobalAveragePool") return define(append(OpKind::GlobalAvgPool, GlobalPoolAttrs{}, {activation(0)}));
    if (op == "Flatten") return define(flatten());
    if (op == "Reshape") return define(reshape());
    if (op == "Gemm") return define(gemm());
    if (op == "MatMul") return define(matmul());
    if (op == "Pad") return define(pad());
    if (op == "Slice") return define(slice());
    if (op == "Identity") return define(*input(0));
    if (op == "Dropout") return define(dropout());
    fail(foldable(op) ? "formbench folds " + op + " only when all its inputs are constants; supported: " + kSupported
                      : "formbench does not support the " + op + " operator; supported: " + std::string(kSupported));
  }

  Constant shape_of() const {
    const Value* v = input(0);
    if (!v) fail("input 0 is missing");
    std::vector<int64_t> dims = v->constant ? v->constant->dims : shape(v->id).dims;
    const int64_t rank = static_cast<int64_t>(dims.size());
    int64_t start = attr_int(*node_, "start", 0, what_), end = attr_int(*node_, "end", rank, what_);
    auto clamp = [rank](int64_t x) { return std::clamp(x < 0 ? (x < -rank ? 0 : x + rank) : x, int64_t{0}, rank); };
    start = clamp(start);
    end = clamp(end);
    Constant c;
    c.integer = true;
    for (int64_t i = start; i < end; ++i) c.ints.push_back(dims[static_cast<size_t>(i)]);
    c.dims = {static_cast<int64_t>(c.ints.size())};
    return c;
  }

  // Padding from pads/auto_pad for a window of `kernel` (dilated span) and
  // `stride` over `in`, as {begin, end} per spatial axis.
  Padding padding(const Shape& in, int kh, int kw, int sh, int sw, int dh, int dw) const {
    const std::string auto_pad = attr_string(*node_, "auto_pad", "NOTSET", what_);
    if (auto_pad == "NOTSET") {
      const auto p = ints("pads", 4, 0);
      return Padding{to_int(p[0], 0, kMaxWindow, "pad"), to_int(p[1], 0, kMaxWindow, "pad"),
                     to_int(p[2], 0, kMaxWindow, "pad"), to_int(p[3], 0, kMaxWindow, "pad")};
    }
    if (auto_pad == "VALID") return Padding{};
    if (auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER")
      fail("auto_pad '" + auto_pad + "' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
    auto same = [](int64_t size, int k, int s, int d) {
      const int64_t out = (size + s - 1) / s;
      return std::max<int64_t>(0, (out - 1) * s + (int64_t{k} - 1) * d + 1 - size);
    };
    const int64_t ph = same(in.h(), kh, sh, dh), pw = same(in.w(), kw, sw, dw);
    const bool upper = auto_pad == "SAME_UPPER";
    const int64_t top = upper ? ph / 2 : ph - ph / 2, left = upper ? pw / 2 : pw - pw / 2;
    return Padding{to_int(top, 0, kMaxWindow, "pad"), to_int(left, 0, kMaxWindow, "pad"),
                   to_int(ph - top, 0, kMaxWindow, "pad"), to_int(pw - left, 0, kMaxWindow, "pad")};
  }

  ValueId conv() {
    const ValueId x = activation(0);
    const Constant& w = constant(1, "the weight");
    const Constant* b = optional_constant(2, "the bias");
    if (shape(x).rank() != 4) fail("formbench supports 2-D convolutions of NCHW feature maps, got input " + shape(x).str());
    if (w.dims.size() != 4) fail("the weight has shape " + w.str() + "; formbench supports 2-D convolutions (OIHW weights)");
    ConvAttrs a;
    a.groups = to_int(attr_int(*node_, "group", 1, what_), 1, kMaxWindow, "group");
    a.out_channels = to_int(w.dims[0], 1, std::numeric_limits<int>::max(), "output channels");
    a.kernel_h = to_int(w.dims[2], 1, kMaxWindow, "kernel height");
    a.kernel_w = to_int(w.dims[3], 1, kMaxWindow, "kernel width");
    const auto k = ints("kernel_shape", 2, 0);
    if (k[0] != 0 && (k[0] != a.kernel_h || k[1] != a.kernel_w))
      fail("kernel_shape disagrees with the weight's " + w.str());
    if (w.dims[1] * a.groups != shape(x).c())
      fail("the weight " + w.str() + " with group=" + std::to_string(a.groups) + " does not take " +
           std::to_string(shape(x).c()) + " input channels");
    const auto s = ints("strides", 2, 1), d = ints("dilations", 2, 1);
    a.stride_h = to_int(s[0], 1, kMaxWindow, "stride");
    a.stride_w = to_int(s[1], 1, kMaxWindow, "stride");
    a.dilation_h = to_int(d[0], 1, kMaxWindow, "dilation");
    a.dilation_w = to_int(d[1], 1, kMaxWindow, "dilation");
    a.pad = padding(shape(x), a.kernel_h, a.kernel_w, a.stride_h, a.stride_w, a.dilation_h, a.dilation_w);
    std::vector<Tensor> params{tensor(w, "the weight", w.dims)};
    if (b) {
      a.bias = true;
      params.push_back(tensor(*b, "the bias", {a.out_channels}));
    }
    return append(OpKind::Conv, a, {x}, std::move(params));
  }

  ValueId batch_norm() {
    const ValueId x = activation(0);
    if (attr_int(*node_, "training_mode", 0, what_) != 0) fail("training_mode=1; formbench imports inference graphs");
    if (attr_int(*node_, "spatial", 1, what_) != 1) fail("spatial=0 is not supported");
    require_unused_extra_outputs();
    if (shape(x).rank() != 4) fail("formbench supports batch norm of NCHW feature maps, got " + shape(x).str());
    const int64_t c = shape(x).c();
    std::vector<Tensor> params;
    const char* roles[] = {"the scale", "the bias", "the mean", "the variance"};
    for (int i = 0; i < 4; ++i) params.push_back(tensor(constant(i + 1, roles[i]), roles[i], {c}));
    for (float v : params[3].data)
      if (!(v >= 0)) fail("the variance holds " + std::to_string(v) + "; a variance is not negative");
    const float eps = attr_float(*node_, "epsilon", 1e-5f, what_);
    if (!(eps >= 0) || !std::isfinite(eps)) fail("epsilon " + std::to_string(eps) + " is not a finite non-negative number");
    return append(OpKind::BatchNorm, BatchNormAttrs{eps}, {x}, std::move(params));
  }

  ValueId clip() {
    const ValueId x = activation(0);
    float lo = -std::numeric_limits<float>::infinity(), hi = std::numeric_limits<float>::infinity();
    if (opset_ < 11) {
      lo = attr_float(*node_, "min", lo, what_);
      hi = attr_float(*node_, "max", hi, what_);
    } else {
      auto bound = [&](int i, const char* role, float& out) {
        if (const Constant* c = optional_constant(i, role)) {
          if (c->numel() != 1) fail(std::string(role) + " must be a scalar, got " + c->str());
          out = static_cast<float>(c->at(0));
        }
      };
      bound(1, "min", lo);
      bound(2, "max", hi);
    }
    const bool unbounded = hi >= std::numeric_limits<float>::max();
    if (lo == 0 && hi == 6) return append(OpKind::Activation, ActivationAttrs{ActKind::ReLU6}, {x});
    if (lo == 0 && unbounded) return append(OpKind::Activation, ActivationAttrs{ActKind::ReLU}, {x});
    fail("bounds [" + std::to_string(lo) + ", " + std::to_string(hi) +
         "]; formbench supports Clip(0, 6) (ReLU6) and Clip(0, inf) (ReLU)");
  }

  // y = x (op) c with c one value per channel: a BatchNorm that scales and
  // shifts (mean 0, variance 1, epsilon 0). A chain of them stays one node.
  ValueId arithmetic() {
    const std::string& op = node_->op_type();
    const Value* a = input(0);
    const Value* b = input(1);
    if (!a || !b) fail("takes two inputs");
    if (!a->constant && !b->constant) {
      if (op != "Add") fail(op + " of two activations; formbench supports Add of two activations of one shape");
      return append(OpKind::Add, AddAttrs{}, {a->id, b->id});
    }
    if (a->constant && (op == "Sub" || op == "Div"))
      fail("a constant " + std::string(op == "Sub" ? "minus" : "divided by") + " an activation is not supported");
    const Value& x = a->constant ? *b : *a;
    const Constant& c = a->constant ? *a->constant : *b->constant;
    const std::string& x_name = node_->input(a->constant ? 1 : 0);
    if (c.integer) fail("the constant " + c.str() + " is not a float tensor");
    const Shape& s = shape(x.id);
    if (s.rank() == 2 && op == "Add") return linear_bias(x.id, x_name, c);
    if (s.rank() != 4)
      fail(op + " by a constant on " + s.str() + "; formbench supports a per-channel constant on NCHW maps, or a bias after MatMul");
    const int64_t channels = s.c();
    std::vector<int64_t> dims(4 - std::min<size_t>(4, c.dims.size()), 1);
    dims.insert(dims.end(), c.dims.begin(), c.dims.end());
    if (dims.size() != 4 || dims[0] != 1 || dims[2] != 1 || dims[3] != 1 || (dims[1] != 1 && dims[1] != channels))
      fail("the constant " + c.str() + " is not one value per channel (1x" + std::to_string(channels) +
           "x1x1) of " + s.str() + "; formbench supports per-channel scale and shift only");
    std::vector<float> per_channel(static_cast<size_t>(channels));
    for (int64_t i = 0; i < channels; ++i) per_channel[static_cast<size_t>(i)] = c.reals[static_cast<size_t>(dims[1] == 1 ? 0 : i)];
    ValueId target = x.id;
    if (!affine_.count(x.id) || uses_[x_name] != 1) {
      std::vector<Tensor> params;
      for (float v : {1.0f, 0.0f, 0.0f, 1.0f}) {
        Tensor t(Shape{channels});
        std::fill(t.data.begin(), t.data.end(), v);
        params.push_back(std::move(t));
      }
      target = append(OpKind::BatchNorm, BatchNormAttrs{0.0f}, {x.id}, std::move(params));
      affine_.insert(target);
    }
    auto& p = w_.per_node[static_cast<size_t>(target)];
    for (size_t i = 0; i < per_channel.size(); ++i) {
      float& gamma = p[param::bn_gamma].data[i];
      float& beta = p[param::bn_beta].data[i];
      const float v = per_channel[i];
      if (op == "Add") beta += v;
      else if (op == "Sub") beta -= v;
      else {
        if (op == "Div" && v == 0) fail("division by a zero constant");
        const float scale = op == "Mul" ? v : 1.0f / v;
        gamma *= scale;
        beta *= scale;
      }
    }
    return target;
  }

  // MatMul then Add of a [features] constant: the Linear's bias.
  ValueId linear_bias(ValueId x, const std::string& x_name, const Constant& c) {
    Node& n = g_.nodes[static_cast<size_t>(x)];
    const int64_t features = n.shape[1];
    if (n.op != OpKind::Linear || n.as<LinearAttrs>().bias || uses_[x_name] != 1 || c.numel() != features ||
        (c.dims.size() == 2 && c.dims[0] != 1) || c.dims.size() > 2)
      fail("Add of a constant " + c.str() + " to " + n.shape.str() + "; formbench supports it only as the bias of a MatMul it alone reads");
    std::get<LinearAttrs>(n.attrs).bias = true;
    w_.per_node[static_cast<size_t>(x)].push_back(tensor(c, "the bias", {features}));
    return x;
  }

  ValueId concat() {
    std::vector<ValueId> xs;
    for (int i = 0; i < node_->input_size(); ++i) xs.push_back(activation(i));
    if (xs.empty()) fail("has no inputs");
    const int64_t rank = shape(xs[0]).rank();
    int64_t axis = attr_int(*node_, "axis", 1, what_);
    if (axis < 0) axis += rank;
    if (rank != 4 || axis != 1) fail("formbench concatenates NCHW maps along channels (axis 1) only");
    return append(OpKind::Concat, ConcatAttrs{}, xs);
  }

  ValueId pool(bool max) {
    const ValueId x = activation(0);
    require_unused_extra_outputs();
    if (shape(x).rank() != 4) fail("formbench supports 2-D pooling of NCHW maps, got " + shape(x).str());
    const auto k = ints("kernel_shape", 2, 0);
    PoolAttrs a;
    a.kernel_h = to_int(k[0], 1, kMaxWindow, "kernel height");
    a.kernel_w = to_int(k[1], 1, kMaxWindow, "kernel width");
    const auto s = ints("strides", 2, 1);
    a.stride_h = to_int(s[0], 1, kMaxWindow, "stride");
    a.stride_w = to_int(s[1], 1, kMaxWindow, "stride");
    for (int64_t d : ints("dilations", 2, 1))
      if (d != 1) fail("dilations other than 1 are not supported in pooling");
    if (attr_int(*node_, "storage_order", 0, what_) != 0) fail("storage_order=1 is not supported");
    a.pad = padding(shape(x), a.kernel_h, a.kernel_w, a.stride_h, a.stride_w, 1, 1);
    if (!max) a.count_include_pad = attr_int(*node_, "count_include_pad", 0, what_) != 0;  // ONNX's default: 0
    if (attr_int(*node_, "ceil_mode", 0, what_) != 0) {
      // Rounding up adds windows at the end: the same as more padding there,
      // as long as that padding is not counted (max, or count_include_pad=0).
      auto extra = [](int64_t in, int k, int st, int before, int after) {
        const int64_t span = in + before + after - k;
        if (span < 0) return int64_t{0};
        int64_t out = (span + st - 1) / st + 1;
        if ((out - 1) * st >= in + before) --out;  // the last window must start inside the input
        return std::max<int64_t>(0, (out - 1) * st + k - (in + before + after));
      };
      const int64_t eh = extra(shape(x).h(), a.kernel_h, a.stride_h, a.pad.top, a.pad.bottom);
      const int64_t ew = extra(shape(x).w(), a.kernel_w, a.stride_w, a.pad.left, a.pad.right);
      if ((eh || ew) && !max && a.count_include_pad)
        fail("ceil_mode=1 with count_include_pad=1 is not supported");
      a.pad.bottom += static_cast<int>(eh);
      a.pad.right += static_cast<int>(ew);
    }
    return append(max ? OpKind::MaxPool : OpKind::AvgPool, a, {x});
  }

  // To (N, features): a Flatten, or nothing when already there.
  ValueId to_features(ValueId x) {
    if (shape(x).rank() == 2) return x;
    return append(OpKind::Flatten, FlattenAttrs{}, {x});
  }

  ValueId flatten() {
    const ValueId x = activation(0);
    const int64_t rank = shape(x).rank();
    int64_t axis = attr_int(*node_, "axis", 1, what_);
    if (axis < 0) axis += rank;
    if (axis != 1 || (rank != 4 && rank != 2)) fail("formbench supports Flatten with axis=1 of NCHW or (N, F) tensors");
    return to_features(x);
  }

  ValueId reshape() {
    const ValueId x = activation(0);
    const Constant& target = constant(1, "the shape");
    if (!target.integer || target.dims.size() != 1) fail("the shape must be a 1-D integer tensor, got " + target.str());
    const Shape& s = shape(x);
    const bool allowzero = attr_int(*node_, "allowzero", 0, what_) != 0;
    std::vector<int64_t> dims = target.ints;
    int64_t known = 1;
    int infer = -1;
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] == 0 && !allowzero && i < s.dims.size()) dims[i] = s.dims[i];
      if (dims[i] == -1 && infer < 0) { infer = static_cast<int>(i); continue; }
      if (dims[i] < 1) fail("shape entry " + std::to_string(target.ints[i]) + " is not supported here");
      if (__builtin_mul_overflow(known, dims[i], &known)) fail("the shape's element count overflows");
    }
    if (infer >= 0) {
      if (s.numel() % known != 0) fail("cannot reshape " + s.str() + " to the shape given");
      dims[static_cast<size_t>(infer)] = s.numel() / known;
    }
    if (Shape(dims) == s) return x;
    if (dims.size() == 2 && dims[0] == s.n() && dims[1] == s.numel() / s.n()) return to_features(x);
    fail("Reshape of " + s.str() + " to " + Shape(dims).str() + "; formbench supports reshapes to (batch, features)");
  }

  ValueId linear(ValueId x, const Constant& w, bool transposed, float alpha, const Constant* bias, float beta) {
    if (shape(x).rank() != 2) fail("formbench supports a matrix product of (N, features), got " + shape(x).str() + "; flatten first");
    if (w.dims.size() != 2 || w.integer) fail("the weight must be a 2-D float matrix, got " + w.str());
    const int64_t in = shape(x)[1];
    const int64_t out = transposed ? w.dims[0] : w.dims[1];
    if ((transposed ? w.dims[1] : w.dims[0]) != in)
      fail("the weight " + w.str() + " does not take " + std::to_string(in) + " features");
    LinearAttrs a;
    a.out_features = to_int(out, 1, std::numeric_limits<int>::max(), "output features");
    Tensor weight(Shape{out, in});
    for (int64_t o = 0; o < out; ++o)
      for (int64_t i = 0; i < in; ++i)
        weight.data[static_cast<size_t>(o * in + i)] =
            alpha * w.reals[static_cast<size_t>(transposed ? o * in + i : i * out + o)];
    std::vector<Tensor> params{std::move(weight)};
    a.bias = bias != nullptr;
    if (bias) {
      if (bias->integer || (bias->numel() != out && bias->numel() != 1) || bias->dims.size() > 2 ||
          (bias->dims.size() == 2 && bias->dims[0] != 1))
        fail("the bias " + bias->str() + " is not one value per output feature (" + std::to_string(out) + ")");
      Tensor b(Shape{out});
      for (int64_t o = 0; o < out; ++o) b.data[static_cast<size_t>(o)] = beta * bias->reals[static_cast<size_t>(bias->numel() == 1 ? 0 : o)];
      params.push_back(std::move(b));
    }
    return append(OpKind::Linear, a, {x}, std::move(params));
  }

  ValueId gemm() {
    const ValueId x = activation(0);
    if (attr_int(*node_, "transA", 0, what_) != 0) fail("transA=1 is not supported");
    return linear(x, constant(1, "B"), attr_int(*node_, "transB", 0, what_) != 0, attr_float(*node_, "alpha", 1, what_),
                  optional_constant(2, "C"), attr_float(*node_, "beta", 1, what_));
  }

  ValueId matmul() { return linear(activation(0), constant(1, "the weight"), false, 1, nullptr, 1); }

  ValueId pad() {
    const ValueId x = activation(0);
    if (attr_string(*node_, "mode", "constant", what_) != "constant") fail("formbench supports mode=constant only");
    std::vector<int64_t> p;
    float value = 0;
    if (opset_ < 11) {
      p = attr_ints(*node_, "pads", what_);
      value = attr_float(*node_, "value", 0, what_);
    } else {
      const Constant& pads = constant(1, "the pads");
      if (!pads.integer) fail("the pads must be integers");
      p = pads.ints;
      if (const Constant* v = optional_constant(2, "the constant value")) {
        if (v->numel() != 1) fail("the constant value must be a scalar");
        value = static_cast<float>(v->at(0));
      }
      if (input(3)) fail("the axes input is not supported");
    }
    if (value != 0) fail("padding with " + std::to_string(value) + "; formbench pads with zeros only");
    if (p.size() != 8) fail("pads has " + std::to_string(p.size()) + " values; formbench pads NCHW maps (8 values)");
    if (p[0] || p[1] || p[4] || p[5]) fail("padding the batch or channel axis is not supported");
    Padding pad{to_int(p[2], 0, kMaxWindow, "pad"), to_int(p[3], 0, kMaxWindow, "pad"),
                to_int(p[6], 0, kMaxWindow, "pad"), to_int(p[7], 0, kMaxWindow, "pad")};
    if (pad == Padding{}) return x;
    return append(OpKind::Pad, PadAttrs{pad}, {x});
  }

  ValueId slice() {
    const ValueId x = activation(0);
    const Shape& s = shape(x);
    std::vector<int64_t> starts, ends, axes, steps;
    if (opset_ < 10) {
      starts = attr_ints(*node_, "starts", what_);
      ends = attr_ints(*node_, "ends", what_);
      axes = attr_ints(*node_, "axes", what_);
    } else {
      auto get = [&](int i, const char* role) {
        const Constant* c = optional_constant(i, role);
        if (c && !c->integer) fail(std::string(role) + " must be integers");
        return c ? c->ints : std::vector<int64_t>{};
      };
      starts = get(1, "starts");
      ends = get(2, "ends");
      axes = get(3, "axes");
      steps = get(4, "steps");
    }
    if (axes.empty())
      for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
    if (ends.size() != starts.size() || axes.size() != starts.size() || (!steps.empty() && steps.size() != starts.size()))
      fail("starts, ends, axes and steps differ in length");
    const int64_t rank = s.rank();
    std::vector<int64_t> begin(static_cast<size_t>(rank), 0), end = s.dims;
    for (size_t k = 0; k < starts.size(); ++k) {
      if (!steps.empty() && steps[k] != 1) fail("steps other than 1 are not supported");
      int64_t axis = axes[k];
      if (axis < -rank || axis >= rank) fail("axis " + std::to_string(axis) + " is out of range");
      if (axis < 0) axis += rank;
      const int64_t dim = s.dims[static_cast<size_t>(axis)];
      auto clamp = [dim](int64_t v) { return std::clamp(v < 0 ? (v < -dim ? 0 : v + dim) : v, int64_t{0}, dim); };
      begin[static_cast<size_t>(axis)] = clamp(starts[k]);
      end[static_cast<size_t>(axis)] = std::max(clamp(starts[k]), clamp(ends[k]));
    }
    for (int64_t d = 0; d < rank; ++d)
      if ((d < 2 || rank != 4) && (begin[static_cast<size_t>(d)] != 0 || end[static_cast<size_t>(d)] != s.dims[static_cast<size_t>(d)]))
        fail("slicing axis " + std::to_string(d) + " of " + s.str() + "; formbench supports spatial crops of NCHW maps");
    if (begin == std::vector<int64_t>(static_cast<size_t>(rank), 0) && end == s.dims) return x;
    SliceAttrs a;
    a.top = to_int(begin[2], 0, std::numeric_limits<int>::max(), "start");
    a.left = to_int(begin[3], 0, std::numeric_limits<int>::max(), "start");
    a.height = to_int(end[2] - begin[2], 1, std::numeric_limits<int>::max(), "crop height");
    a.width = to_int(end[3] - begin[3], 1, std::numeric_limits<int>::max(), "crop width");
    return append(OpKind::Slice, a, {x});
  }

  Value dropout() {
    require_unused_extra_outputs();
    if (const Constant* t = optional_constant(2, "training_mode"); t && t->numel() == 1 && t->at(0) != 0)
      fail("training_mode=true; formbench imports inference graphs");
    const Value* v = input(0);
    if (!v) fail("input 0 is missing");
    return *v;
  }

  // Keeps only the nodes the output depends on, renumbered in order.
  ImportedModel prune(ValueId output) {
    std::vector<bool> live(g_.nodes.size(), false);
    live[0] = true;
    live[static_cast<size_t>(output)] = true;
    for (size_t i = g_.nodes.size(); i-- > 0;)
      if (live[i])
        for (ValueId in : g_.nodes[i].inputs) live[static_cast<size_t>(in)] = true;
    ImportedModel out;
    out.symbolic_batch = symbolic_batch_;
    out.graph.name = g_.name;
    out.weights.seed = 0;
    std::vector<ValueId> renumber(g_.nodes.size(), -1);
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      if (!live[i]) continue;
      renumber[i] = static_cast<ValueId>(out.graph.nodes.size());
      Node n = g_.nodes[i];
      for (ValueId& in : n.inputs) in = renumber[static_cast<size_t>(in)];
      out.graph.nodes.push_back(std::move(n));
      out.weights.per_node.push_back(std::move(w_.per_node[i]));
    }
    out.graph.output = renumber[static_cast<size_t>(output)];
    validate(out.graph);
    return out;
  }

  const onnx::ModelProto& m_;
  int64_t opset_ = 0;
  bool symbolic_batch_ = false;
  Graph g_;
  Weights w_;
  std::unordered_map<std::string, Value> values_;
  std::unordered_map<std::string, int> uses_;
  std::set<ValueId> affine_;  // BatchNorms made from per-channel arithmetic
  const onnx::NodeProto* node_ = nullptr;
  std::string what_, ir_name_;
};

}  // namespace

ImportedModel import_model(const onnx::ModelProto& m, const std::string& name) { return Importer(m, name).run(); }

Graph rebatch(const Graph& g, int64_t batch) {
  Graph out = g;
  out.nodes.at(0).shape.dims.at(0) = batch;
  validate(out);
  return out;
}

}  // namespace fb::onnx_io
