#include "report/experiment_rows.h"

#include <map>
#include <set>

namespace fb::report {
namespace {

bool simulated(const Measurement& m) { return m.fields.get("cache_sim").has_value(); }
bool has_misses(const Measurement& m) { return m.ll_misses_sim.has_value() || m.llc_misses_hw.has_value(); }
// A row the store links to experiments of a known kind is judged by them; a
// row of no experiment (a store before schema version 3, a Dataset built by
// hand) or only of 'other' ones by its descriptor, as below.
bool assigned(const Dataset& d, const Measurement& m) {
  for (size_t e : m.experiments)
    if (e < d.experiments.size() && !d.experiments[e].unassigned && d.experiments[e].kind != "other") return true;
  return false;
}
bool of_kind(const Dataset& d, const Measurement& m, const std::string& kind) {
  for (size_t e : m.experiments)
    if (e < d.experiments.size() && !d.experiments[e].unassigned && d.experiments[e].kind == kind) return true;
  return false;
}

// Pattern rows that belong to a series over `knob` (at least two values of
// it, all else equal). Timed rows: not under the cache simulator, not
// ISA-capped (those are the ISA experiment's). Cache rows: under the
// simulator, or timed rows that carry miss counts (hardware counters), so
// one row may be in both.
std::vector<const Measurement*> sweep(const Dataset& d, const std::string& knob, bool cache) {
  std::map<std::string, std::set<std::string>> values;
  auto member = [&](const Measurement& m) {
    if (!m.fp32() || m.pattern.empty() || !m.fields.get(knob)) return false;
    if (assigned(d, m)) return of_kind(d, m, cache ? "cache" : knob);
    if (cache) return simulated(m) || (has_misses(m) && m.isa.empty());
    return !simulated(m) && m.isa.empty();
  };
  for (const auto& m : d.ok)
    if (member(m)) values[m.key_without({knob})].insert(*m.fields.get(knob));
  std::vector<const Measurement*> out;
  for (const auto& m : d.ok)
    if (member(m) && values[m.key_without({knob})].size() >= 2) out.push_back(&m);
  return out;
}

}  // namespace

std::string experiment_name(Experiment e) {
  switch (e) {
    case Experiment::Depth: return "depth";
    case Experiment::Width: return "width";
    case Experiment::CacheDepth: return "cache over depth";
    case Experiment::CacheWidth: return "cache over width";
    case Experiment::Zoo: return "zoo";
  }
  return "?";
}

std::vector<const Measurement*> experiment_rows(const Dataset& d, Experiment e) {
  switch (e) {
    case Experiment::Depth: return sweep(d, "depth", false);
    case Experiment::Width: return sweep(d, "width", false);
    case Experiment::CacheDepth: return sweep(d, "depth", true);
    case Experiment::CacheWidth: return sweep(d, "width", true);
    case Experiment::Zoo: break;
  }
  std::vector<const Measurement*> out;
  for (const auto& m : d.ok)
    if (m.fp32() && (assigned(d, m) ? of_kind(d, m, "zoo") : m.pattern.empty() && m.isa.empty())) out.push_back(&m);
  return out;
}

}  // namespace fb::report
