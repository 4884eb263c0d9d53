#include "backends/opencv/opencv_onnx_form.h"

#include <set>
#include <string>
#include <vector>

namespace fb::opencv_engine {
namespace {

const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

bool padded_average_pool(const onnx::NodeProto& n) {
  if (n.op_type() != "AveragePool") return false;
  const auto* pads = attribute(n, "pads");
  if (!pads) return false;
  for (int64_t p : pads->ints())
    if (p != 0) return true;
  return false;
}

bool counts_padding(const onnx::NodeProto& n) {
  const auto* c = attribute(n, "count_include_pad");
  return c && c->i() != 0;
}

std::string unused_name(const std::string& base, std::set<std::string>& used) {
  std::string name = base;
  for (int k = 1; !used.insert(name).second; ++k) name = base + "." + std::to_string(k);
  return name;
}

// pool(x, pads) counting its padding == pool(pad(x, zeros), no pads).
void make_padding_explicit(onnx::GraphProto& g) {
  std::set<std::string> used;
  for (const auto& n : g.node())
    for (const auto& out : n.output()) used.insert(out);
  for (const auto& in : g.input()) used.insert(in.name());
  for (const auto& init : g.initializer()) used.insert(init.name());

  google::protobuf::RepeatedPtrField<onnx::NodeProto> nodes;
  for (auto& n : *g.mutable_node()) {
    if (padded_average_pool(n) && counts_padding(n)) {
      onnx::NodeProto pool = n;
      pool.clear_attribute();
      std::vector<int64_t> pads;
      for (const auto& a : n.attribute()) {
        if (a.name() == "pads") pads.assign(a.ints().begin(), a.ints().end());
        else if (a.name() != "count_include_pad") *pool.add_attribute() = a;
      }
      const size_t half = pads.size() / 2;  // ONNX: begins of every spatial axis, then ends
      onnx::NodeProto& pad = *nodes.Add();
      pad.set_name(unused_name(n.name() + ".counted_pad", used));
      pad.set_op_type("Pad");
      pad.add_input(n.input(0));
      pad.add_output(pad.name());
      auto* mode = pad.add_attribute();
      mode->set_name("mode");
      mode->set_type(onnx::AttributeProto::STRING);
      mode->set_s("constant");
      auto* p = pad.add_attribute();
      p->set_name("pads");
      p->set_type(onnx::AttributeProto::INTS);
      for (int part = 0; part < 2; ++part) {  // N and C unpadded, then the spatial axes
        p->add_ints(0);
        p->add_ints(0);
        for (size_t i = 0; i < half; ++i) p->add_ints(pads[part * half + i]);
      }
      pool.set_input(0, pad.name());
      *nodes.Add() = std::move(pool);
    } else {
      *nodes.Add() = std::move(n);
    }
  }
  g.mutable_node()->Swap(&nodes);
}

}  // namespace

void adapt_for_opencv(onnx::ModelProto& m) {
  bool counting = false, excluding = false;
  for (const auto& n : m.graph().node())
    if (padded_average_pool(n)) (counts_padding(n) ? counting : excluding) = true;
  if (!counting) return;
  if (!excluding) {
    m.set_producer_name("pytorch");
    return;
  }
  make_padding_explicit(*m.mutable_graph());
}

}  // namespace fb::opencv_engine
