// The TOML spec loader, from text, and the expansion of a bounded grid into
// measurement descriptors.
#include <string>

#include "fuzz_target.h"
#include "models/descriptor.h"
#include "study/grid.h"
#include "study/spec.h"

namespace {

using fb::study::SweepGroup;

size_t at_least_one(size_t n) { return n == 0 ? 1 : n; }

// Grid size and model size bounds keep one input to milliseconds.
bool small(const SweepGroup& g) {
  const size_t models = g.models.size() + g.patterns.size() * at_least_one(g.depths.size()) *
                                              at_least_one(g.widths.size()) * at_least_one(g.resolutions.size());
  const size_t runs = g.batches.size() * g.backends.size() * g.threads.size() * at_least_one(g.isas.size()) *
                      at_least_one(g.cache_sims.size());
  if (models > 64 || runs > 64 || models * runs > 512) return false;
  for (int64_t d : g.depths)
    if (d > 64) return false;
  for (const auto* knob : {&g.widths, &g.resolutions})
    for (int64_t v : *knob)
      if (v > 1024) return false;
  for (const auto& text : g.models)
    for (const auto& [name, value] : fb::parse_model(text).knobs)
      if (value > (name == "depth" ? 64 : 1024)) return false;
  return true;
}

}  // namespace

FB_FUZZ_TARGET(spec) {
  const fb::study::SweepSpec spec = fb::study::parse_spec(std::string(input), "fuzz.toml");
  if (spec.groups.empty()) fb::fuzz::violated("a spec without groups was accepted");
  for (const auto& g : spec.groups)
    if (!small(g)) return;
  for (const auto& c : fb::study::expand(spec, 2)) {
    // Every descriptor of the grid parses back, and names the model it was made from.
    const fb::Descriptor d = fb::Descriptor::parse(c.descriptor);
    if (d.str() != c.descriptor) fb::fuzz::violated("grid descriptor '" + c.descriptor + "' is not canonical");
    if (d.head != c.model.def->name) fb::fuzz::violated("grid descriptor '" + c.descriptor + "' lost its model");
  }
}
