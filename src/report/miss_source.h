#pragma once
// Where a row's last-level misses come from, in words for the cache figures:
// the hardware LLC counters, or callgrind's simulation of the last level its
// record states (and the cache_sim= preset it was asked for). A preset name is
// text from a store: it is only ever drawn through the report's escapes.
#include <compare>
#include <set>
#include <string>

#include "report/dataset.h"

namespace fb::report {

struct MissSource {
  bool hardware = false;
  std::string ll;   // simulated: "6 MiB, 12-way, 64 B lines (i5-7600k)"
  std::string key;  // for a legend entry: "LLC counters", "LL 6 MiB/12-way/64 B"
  auto operator<=>(const MissSource&) const = default;
};

// Of a row with misses (hardware counters win over a simulation, as they are drawn).
MissSource miss_source(const Measurement& m);

// The sources of one figure in words: "hardware LLC counters",
// "simulated LL: 6 MiB, 12-way, 64 B lines (i5-7600k)", or, when its rows
// differ, each of them: "2 simulated LL geometries: A; B".
std::string miss_sources_words(const std::set<MissSource>& sources);

}  // namespace fb::report
