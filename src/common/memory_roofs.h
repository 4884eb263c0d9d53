#pragma once
// The roofline's memory roofs: one per level of the memory hierarchy (L1d,
// L2, L3, DRAM), each with the bytes the run's threads can keep in it and
// the read bandwidth `formbench machine` measured there. A network's point
// is drawn against the roof of the smallest level its working set fits in,
// the same rule for the record (measure) and the figure (report).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fb {

struct MemoryRoof {
  std::string name;            // "L1d", "L2", "L3" (from sysfs), "DRAM"
  int64_t size_bytes = 0;      // one instance of the cache, as sysfs says; 0 for DRAM
  int64_t capacity_bytes = 0;  // what the run's threads hold together; 0 = unbounded (DRAM)
  double bandwidth_gbs = 0;    // aggregate read bandwidth on the run's threads
};

// Index of the first roof (fastest first) whose capacity holds
// `working_set_bytes`; the last roof when none does. `roofs` is not empty.
size_t roof_for(double working_set_bytes, const std::vector<MemoryRoof>& roofs);

// The working set of one batch run: weights plus peak live activations
// (the cost model's, both per batch run).
inline double working_set_bytes(double weight_bytes, double peak_activation_bytes) {
  return weight_bytes + peak_activation_bytes;
}

nlohmann::json to_json(const MemoryRoof& r);
// Throws fb::UsageError naming the field when `j` is not a roof (a store or
// a cache file may come from elsewhere): a missing or non-string name, a
// size, capacity or bandwidth that is not a finite number in range.
MemoryRoof memory_roof_from_json(const nlohmann::json& j);

}  // namespace fb
