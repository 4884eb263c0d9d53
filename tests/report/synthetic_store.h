#pragma once
// Synthetic results stores with known answers for the report tests: records
// shaped like `formbench measure` output, written through the real store
// (fb::study::Store), so the report reads exactly what `study` and `merge`
// would have written. A row may carry its own record text (hostile stores).
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure/record.h"
#include "study/store.h"

namespace fb::test {

struct FakeRow {
  std::string descriptor;
  double ms_per_image;
  double flops = 1e9;
  double ll_misses = -1;  // < 0: no cache simulation
  std::string status = "ok";
  std::optional<std::string> record_json = std::nullopt;  // stored as is instead of fake_record()
  std::string machine = "synthetic-machine";
  // (experiment, kind) of sweep "synthetic" the row belongs to; none: unassigned.
  std::vector<std::pair<std::string, std::string>> experiments = {};
  // cache_sim.ll_geometry of a simulated row (as `measure` writes it); empty: not recorded.
  std::string ll_geometry = "6291456,12,64";
  double llc_misses_hw = -1;  // >= 0: hardware counters available, counters.llc_misses
  std::string error = "";     // stored with a failed row
};

// Built through the record's owner (measure/record.h), so the fixture uses the
// real key names.
inline nlohmann::json fake_record(const FakeRow& r) {
  MeasurementRecord t;
  t.descriptor = r.descriptor;
  t.status = r.status;
  t.latency_ms = LatencyStats{.n = 20, .median = r.ms_per_image, .samples = {}};
  t.per_image_ms = PerImageMs{r.ms_per_image, r.ms_per_image * 0.98, r.ms_per_image * 1.02};
  t.cost.emplace().flops = r.flops;
  t.cost->macs = r.flops / 2;
  RooflineSection& roof = t.roofline.emplace();
  roof.achieved_gflops = r.flops / r.ms_per_image / 1e6;
  roof.intensity = 10.0;
  roof.peak_gflops = 500.0;
  roof.bandwidth_gbs = 20.0;
  t.counters.emplace().reason = "no PMU in this VM";
  if (r.ll_misses >= 0) t.cache_sim.emplace().ll_misses = r.ll_misses;
  t.foreign_cpu_pct = 0.5;
  t.json = {{"environment", {{"cpu_model", "Synthetic CPU"}, {"threads", 2}}}};  // kept as measured
  if (t.cache_sim) {
    // What simulate_cache records besides the counts: the simulated geometry and the preset it came from.
    const size_t at = r.descriptor.find("cache_sim=");
    t.cache_sim->preset = at == std::string::npos ? "host" : r.descriptor.substr(at + 10, r.descriptor.find(' ', at) - at - 10);
    t.cache_sim->source = "synthetic";
    t.cache_sim->ll_geometry = r.ll_geometry;
  }
  if (r.llc_misses_hw >= 0) {
    t.counters = CountersSection{};
    t.counters->available = true;
    t.counters->llc_misses = r.llc_misses_hw;
  }
  return t;
}

inline void write_fake_store(const std::filesystem::path& path, const std::vector<FakeRow>& rows) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  study::Store store(path.string(), /*create=*/true);
  std::set<std::string> machines;
  for (const auto& r : rows)
    if (machines.insert(r.machine).second) store.add_machine({r.machine, "Synthetic CPU", "6.1", "host", 2, 1 << 30});
  for (const auto& r : rows) {
    study::Measurement m;
    m.descriptor = r.descriptor;
    m.machine_id = r.machine;
    m.status = r.status;
    m.error = r.error;
    m.record_json = r.record_json ? *r.record_json : fake_record(r).dump();
    store.put(m);
    for (const auto& [name, kind] : r.experiments)
      store.link(store.add_experiment("synthetic", name, kind), {r.descriptor}, r.machine);
  }
}

}  // namespace fb::test
