#include "report/peers.h"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "common/error.h"
#include "common/parse_number.h"
#include "measure/config.h"
#include "report/stats.h"

namespace fb::report {
namespace {

// The configuration without its engine and batch: the key a row of the table shares.
std::string row_key(Descriptor d) {
  d.erase("backend");
  d.erase("batch");
  return d.str();
}

}  // namespace

std::optional<double> PeerRow::speedup_over_native(const std::string& engine, const BackendRoles& roles) const {
  auto n = engines.find(roles.native), e = engines.find(engine);
  if (n == engines.end() || e == engines.end() || !n->second.m || !e->second.m) return std::nullopt;
  return n->second.m->per_image_ms / e->second.m->per_image_ms;
}

std::optional<double> PeerRow::accelerated_vs_best_peer(const BackendRoles& roles) const {
  auto a = engines.find(roles.accelerated);
  if (best_peer.empty() || a == engines.end() || !a->second.m) return std::nullopt;
  return engines.at(best_peer).m->per_image_ms / a->second.m->per_image_ms;
}

PeerTable peer_table(const Dataset& d, const BackendRoles& roles) {
  PeerTable t;
  std::map<std::pair<int64_t, std::string>, size_t> index;  // (batch, key) -> row
  auto row_of = [&](const Descriptor& fields, int64_t batch, const std::string& engine) -> PeerRow& {
    if (std::find(t.engines.begin(), t.engines.end(), engine) == t.engines.end()) t.engines.push_back(engine);
    auto [it, fresh] = index.emplace(std::pair{batch, row_key(fields)}, t.rows.size());
    if (fresh) t.rows.push_back(PeerRow{row_key(fields), fields.head, batch, {}, {}});
    return t.rows[it->second];
  };
  for (const auto& m : d.ok) row_of(m.fields, m.batch, m.backend).engines[m.backend].m = m;
  for (const auto& f : d.failed_rows) {
    Descriptor fields;
    RunFields run;
    int64_t batch = 1;
    try {
      fields = Descriptor::parse(f.descriptor);
      run = RunFields::split(fields);
      batch = parse_int(run.batch, "batch", 1, kMaxBatch);
    } catch (const UsageError&) {
      continue;  // a descriptor the table cannot place (a hostile store's)
    }
    PeerCell& cell = row_of(fields, batch, run.backend).engines[run.backend];
    if (!cell.m) cell.failed = f.error.empty() ? "failed (no message stored)" : f.error;
  }
  // The native engine first, then formbench's, then the rest as they came.
  std::stable_sort(t.engines.begin(), t.engines.end(), [&](const std::string& a, const std::string& b) {
    auto rank = [&](const std::string& e) { return e == roles.native ? 0 : e == roles.accelerated ? 1 : 2; };
    return rank(a) < rank(b);
  });
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const PeerRow& a, const PeerRow& b) { return a.batch < b.batch; });
  // A model measured with several knob values in one batch is named by its whole configuration.
  std::map<std::pair<int64_t, std::string>, int> heads;
  for (const auto& r : t.rows) ++heads[{r.batch, r.name}];
  for (auto& r : t.rows)
    if (heads[{r.batch, r.name}] > 1) r.name = r.model;
  for (auto& r : t.rows)
    for (const auto& [engine, cell] : r.engines) {
      if (engine == roles.native || engine == roles.accelerated || !cell.m) continue;
      if (r.best_peer.empty() || cell.m->per_image_ms < r.engines.at(r.best_peer).m->per_image_ms) r.best_peer = engine;
    }
  return t;
}

std::vector<PeerTableOf> peer_tables(const Dataset& d, const BackendRoles& roles) {
  std::vector<PeerTableOf> out;
  for (size_t e = 0; e < d.experiments.size(); ++e)
    if (d.experiments[e].kind == "peers") out.push_back({d.experiments[e].label(), peer_table(d.only(e), roles)});
  return out;
}

std::vector<Finding> peer_findings(const PeerTable& t, const BackendRoles& roles) {
  std::vector<Finding> out;
  std::set<int64_t> batches;
  for (const auto& r : t.rows) batches.insert(r.batch);
  for (int64_t batch : batches) {
    std::vector<double> ratios;
    std::string behind;
    for (const auto& r : t.rows) {
      if (r.batch != batch) continue;
      const auto x = r.accelerated_vs_best_peer(roles);
      if (!x) continue;
      ratios.push_back(*x);
      if (*x < 1) behind += fmt::format("{}{} ({:.2f}x of {})", behind.empty() ? "" : ", ", r.name, *x, r.best_peer);
    }
    if (ratios.empty()) continue;
    const auto ahead = std::count_if(ratios.begin(), ratios.end(), [](double x) { return x >= 1; });
    out.push_back({fmt::format("{} against the fastest peer engine at batch {}", roles.accelerated, batch),
                   fmt::format("at least as fast on {} of {} models (geometric mean {:.2f}x, best peer's latency / {}'s); "
                               "behind on: {}",
                               ahead, ratios.size(), geometric_mean(ratios), roles.accelerated,
                               behind.empty() ? "none" : behind),
                   2 * ratios.size()});
  }
  return out;
}

}  // namespace fb::report
