#include "report/miss_source.h"

#include <fmt/core.h>

#include <vector>

namespace fb::report {

MissSource miss_source(const Measurement& m) {
  if (m.llc_misses_hw) return {true, "", "LLC counters"};
  const auto preset = m.fields.get("cache_sim");
  const std::string named = preset ? " (" + *preset + ")" : "";
  // A record without the field (written by hand or by an older formbench) is given no geometry.
  if (!m.ll_geometry) return {false, "geometry not recorded" + named, "LL geometry not recorded" + named};
  return {false, m.ll_geometry->words() + named, "LL " + m.ll_geometry->short_words()};
}

std::string miss_sources_words(const std::set<MissSource>& sources) {
  bool hardware = false;
  std::vector<std::string> simulated;
  for (const auto& s : sources) {
    if (s.hardware) hardware = true;
    else simulated.push_back(s.ll);
  }
  std::string out = hardware ? "hardware LLC counters" : "";
  if (simulated.empty()) return out;
  if (hardware) out += " and ";
  if (simulated.size() == 1) return out + "simulated LL: " + simulated[0];
  out += fmt::format("{} simulated LL geometries: ", simulated.size());
  for (size_t i = 0; i < simulated.size(); ++i) out += (i ? "; " : "") + simulated[i];
  return out;
}

}  // namespace fb::report
