// The descriptor parser, then the catalog: a descriptor that names a model
// is resolved, and on small knobs built into a graph that goes through shape
// inference, validation and the cost model.
#include <string>

#include "fuzz_target.h"
#include "graph/cost.h"
#include "models/catalog.h"
#include "models/descriptor.h"

namespace {

// Building is linear in depth; these bounds keep one input to milliseconds.
bool small(const fb::ModelSpec& m, int64_t batch) {
  if (batch < 1 || batch > 64) return false;
  for (const auto& [name, value] : m.knobs)
    if (value > (name == "depth" ? 64 : 1024)) return false;
  return true;
}

}  // namespace

FB_FUZZ_TARGET(descriptor) {
  const std::string text(input);
  const fb::Descriptor d = fb::Descriptor::parse(text);
  const std::string printed = d.str();
  if (fb::Descriptor::parse(printed).str() != printed)  // descriptor.h: parse(print(x)) == x
    fb::fuzz::violated("'" + printed + "' does not print back to itself");

  // onnx:PATH would read whatever file the bytes name; the onnx target
  // fuzzes the file's contents instead.
  if (d.head.rfind("onnx:", 0) == 0) return;
  // A measurement descriptor carries run fields beside the knobs.
  const fb::ModelSpec m = fb::resolve_model(d, {"backend", "batch", "threads", "isa", "cache_sim"});
  const std::string canonical = m.str();
  if (fb::parse_model(canonical).str() != canonical) fb::fuzz::violated("'" + canonical + "' is not canonical");

  const auto batch_field = d.get("batch");
  const int64_t batch = batch_field ? fb::parse_integer(*batch_field, "batch") : 1;
  if (!small(m, batch)) return;
  fb::Graph g = m.build(batch);
  fb::validate(g);
  const fb::GraphCost c = fb::cost_of(g);
  if (c.total.macs < 0 || c.total.params < 0 || c.peak_activation_bytes <= 0)
    fb::fuzz::violated("negative cost for '" + canonical + "'");
}
