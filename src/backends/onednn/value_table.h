#pragma once
// The compiler's state while it lowers one plan: every value's layout and
// buffer, the buffers' lifetimes, the memory objects bound to them, the
// constants it packed and the primitives emitted so far. Lowering functions
// (lower_conv.h, lower_simple.h) ask it for inputs in the layout a kernel
// wants (reordering once per value and layout) and hand it their primitives.
#include <oneapi/dnnl/dnnl.hpp>

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/onednn/engine_options.h"
#include "backends/onednn/layout.h"
#include "backends/onednn/memory_plan.h"
#include "backends/onednn/plan.h"
#include "backends/onednn/program.h"
#include "backends/onednn/quantize.h"

namespace fb::onednn {

class TuneSession;

struct Value {
  md desc;
  int buffer = -1;
  Shape shape;
  float scale = 1;  // an int8 value holds round(x * scale); 1 for fp32 and bf16
};

class ValueTable {
 public:
  static constexpr int kUserInput = -1;
  static constexpr int kScratch = -2;

  ValueTable(const Plan& plan, const Shape& input_shape, const EngineOptions& o, Program& prog, TuneSession* tune);

  const EngineOptions& options() const { return o_; }
  // The data type activations and conv/linear weights compute in (bf16 under
  // precision=bf16). At int8 it is fp32: the type of every op without an
  // int8 kernel here (the int8 ones ask quant()).
  dt act_type() const;
  // At precision=int8, v's calibrated int8 type and scale; nullopt
  // otherwise, and for a value the calibration never saw (a fusion undone).
  std::optional<Quant> quant(ValueId v) const;
  // The calibrated range of v (int8 only); nullopt where quant() is.
  std::optional<ValueRange> range(ValueId v) const;
  TuneSession* tune() const { return tune_; }
  dnnl::engine& engine() { return prog_.engine; }
  Program& program() { return prog_; }

  const Value& value(ValueId v) const { return vals_[static_cast<size_t>(v)]; }
  Value& value(ValueId v) { return vals_[static_cast<size_t>(v)]; }
  // Readable name of a value: the node that produced it.
  std::string name(ValueId v) const;
  ValueId new_value(const Shape& s);
  // Gives v the layout d, a buffer of its own (pinned: never shared) and
  // its int8 scale (1 when d is not int8). The next primitive computes it.
  void define(ValueId v, const md& d, bool pinned = false, float scale = 1);
  // For a value computed in place into another's buffer (a fused sum): the
  // next primitive computes it (what observe and calibration follow).
  void produced(ValueId v);

  dnnl::memory bind(const md& d, int buffer);
  dnnl::memory mem(ValueId v) { return mem_as(v, value(v).desc); }
  dnnl::memory mem_as(ValueId v, const md& d);
  int buffer_of(const dnnl::memory& m) const { return buffer_of_.at(m.get()); }
  // Value v in layout and type `want`, at int8 scale `want_scale` (0: its
  // own scale where `want` is int8, 1 otherwise), reordering once per
  // (value, layout, scale); the reorder quantises, requantises or
  // dequantises where the types or scales differ.
  dnnl::memory fetch(ValueId v, const md& want, const std::string& why, float want_scale = 0);
  // Layout candidates for ops that follow their input: its own, then plain
  // ones, all in `type` (default: the activation type).
  std::vector<md> follow(ValueId v) const { return follow(v, act_type()); }
  std::vector<md> follow(ValueId v, dt type) const;

  // Weights in the kernel's layout: reordered once now, or (noprepack) on
  // every run; int8 weights multiplied by `scales` on the way (mask: the
  // dims they vary over, oneDNN's output-scale mask).
  dnnl::memory pack(const Tensor& t, const md& user, const md& want, const std::vector<float>& scales = {},
                    int mask = 0);
  dnnl::memory constant(const Tensor& t);

  // Appends a primitive and its record (explain, profile) to the program.
  void add_primitive(dnnl::primitive p, std::unordered_map<int, dnnl::memory> args, const md& scratch, StepRecord r);
  // `covers`: the graph nodes the reorder computes (flatten, pad, slice); none for a layout change.
  // `scale`: the reorder multiplies by it (int8 quantisation, requantisation or dequantisation).
  void add_reorder(dnnl::memory src, dnnl::memory dst, const std::string& what, const std::vector<CoveredNode>& covers = {},
                   float scale = 1);

  // Why a fusion or a layout was given up; and what the tuner timed.
  std::vector<std::string>& notes() { return notes_; }
  std::vector<std::string>& tune_notes() { return tune_notes_; }
  // True the first time a tuning problem key is seen in this compile.
  bool first_time(const std::string& key) { return noted_.insert(key).second; }

  // The network output into the caller's plain buffer, then the arena.
  void finish(ValueId output);
  // explain's text after the steps: counts, memory, what was timed, what was not fused and why.
  std::string footer(const std::vector<std::string>& pass_notes) const;

 private:
  struct Reordered {
    ValueId src;
    md desc;
    float scale;
    ValueId tmp;
  };
  struct Binding {
    dnnl::memory mem;
    int buffer;
  };
  int cur() const { return static_cast<int>(prog_.primitives.size()); }
  void bind_memory();

  const Plan& plan_;
  EngineOptions o_;
  Program& prog_;
  TuneSession* tune_;
  std::vector<Value> vals_;
  std::vector<BufferUse> buffers_;
  std::vector<Binding> bindings_;
  std::unordered_map<dnnl_memory_t, int> buffer_of_;
  std::vector<Reordered> reordered_;
  std::vector<std::string> notes_, tune_notes_;
  std::set<std::string> noted_;
  std::vector<std::pair<size_t, ValueId>> produced_;  // observe: (primitive index, plan value)
  std::string summary_;
  size_t scratch_bytes_ = 0, constant_bytes_ = 0;
  int reorders_ = 0;
};

}  // namespace fb::onednn
