#include "report/analysis.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "report/peers.h"
#include "report/precision.h"
#include "report/profile_breakdown.h"
#include "report/stats.h"

namespace fb::report {
namespace {

bool is_exactly(const Measurement& m, const std::string& backend) { return m.backend == backend; }

std::string pct(double ratio) { return fmt::format("{:.2f}x ({:+.0f} %)", ratio, (ratio - 1) * 100); }
std::string num(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.2f}", v); }

struct XY {
  std::vector<double> x, y;
};

// Mean speed-up per group, using only pairs that `take` accepts.
template <class Take, class Group>
std::map<std::string, double> mean_speedup_by(const std::vector<SpeedupPair>& pairs, Take take, Group group) {
  std::map<std::string, std::vector<double>> by;
  for (const auto& p : pairs)
    if (take(p)) by[group(p)].push_back(p.speedup());
  std::map<std::string, double> out;
  for (const auto& [k, v] : by) out[k] = mean(v);
  return out;
}

}  // namespace

std::vector<SpeedupPair> at_fp32(const std::vector<SpeedupPair>& pairs) {
  std::vector<SpeedupPair> out;
  for (const auto& p : pairs)
    if (p.native->fp32() && p.accelerated->fp32()) out.push_back(p);
  return out;
}

std::vector<SpeedupPair> once_per_configuration(const std::vector<SpeedupPair>& pairs) {
  std::set<std::string> seen;
  std::vector<SpeedupPair> out;
  for (const auto& p : pairs)
    if (seen.insert(p.native->key_without({"backend", "profile", "check"})).second) out.push_back(p);
  return out;
}

std::vector<SpeedupPair> speedup_pairs(const Dataset& d, const BackendRoles& roles) {
  std::map<std::string, const Measurement*> native;
  for (const auto& m : d.ok)
    if (is_exactly(m, roles.native)) native[m.key_without_backend()] = &m;
  std::vector<SpeedupPair> pairs;
  for (const auto& m : d.ok) {
    if (!is_exactly(m, roles.accelerated) || m.per_image_ms <= 0) continue;
    auto it = native.find(m.key_without_backend());
    if (it != native.end() && it->second->per_image_ms > 0) pairs.push_back({it->second, &m});
  }
  return pairs;
}

std::vector<Series> series_over(const Dataset& d, const std::string& knob, size_t min_values) {
  std::map<std::string, Series> groups;
  for (const auto& m : d.ok) {
    if (m.pattern.empty() || !m.fields.get(knob) || !m.fp32()) continue;
    Series& s = groups[m.key_without({knob})];
    s.pattern = m.pattern;
    s.backend = m.backend;
    s.batch = m.batch;
    s.fixed = m.key_without({knob});
    s.points.push_back(&m);
  }
  std::vector<Series> out;
  for (auto& [key, s] : groups) {
    std::set<std::string> values;
    for (const auto* m : s.points) values.insert(*m->fields.get(knob));
    if (values.size() < min_values) continue;
    std::sort(s.points.begin(), s.points.end(), [&](const Measurement* a, const Measurement* b) {
      return parse_integer(*a->fields.get(knob), knob) < parse_integer(*b->fields.get(knob), knob);
    });
    out.push_back(std::move(s));
  }
  return out;
}

Analysis analyse(const Dataset& d, const BackendRoles& roles) {
  Analysis a;
  // A configuration also measured with profile=1 or check=1 (the profile and
  // peers experiments) is one configuration, not two, in every aggregate.
  // The paper measured FP32: a bf16 or int8 pair is the precision section's.
  auto pairs = once_per_configuration(at_fp32(speedup_pairs(d, roles)));
  a.pairs = pairs.size();
  std::vector<double> all;
  for (const auto& p : pairs) all.push_back(p.speedup());
  const std::string vs = roles.accelerated + " over " + roles.native;

  // 1. Mean speed-up.
  if (!all.empty()) {
    a.mean_speedup = mean(all);
    a.geomean_speedup = geometric_mean(all);
    double lo = *std::min_element(all.begin(), all.end()), hi = *std::max_element(all.begin(), all.end());
    a.findings.push_back({"Mean speed-up of " + vs,
                          fmt::format("arithmetic mean {}, geometric mean {}, range {:.2f}x to {:.2f}x", pct(a.mean_speedup),
                                      pct(a.geomean_speedup), lo, hi),
                          2 * pairs.size()});
  }

  // 2. Per pattern at the deepest depth measured.
  for (const auto& p : pairs)
    if (!p.native->pattern.empty() && p.native->depth) a.max_depth = std::max(a.max_depth, *p.native->depth);
  auto at_max = [&](const SpeedupPair& p) {
    return !p.native->pattern.empty() && p.native->depth && *p.native->depth == a.max_depth;
  };
  a.pattern_speedup_at_max_depth = mean_speedup_by(pairs, at_max, [](const SpeedupPair& p) { return p.native->pattern; });
  if (!a.pattern_speedup_at_max_depth.empty()) {
    std::string text;
    size_t n = 0;
    for (const auto& p : pairs) n += at_max(p) ? 2 : 0;
    for (const auto& [pat, s] : a.pattern_speedup_at_max_depth) text += fmt::format("{} {:.2f}x; ", pat, s);
    a.findings.push_back({fmt::format("Speed-up per pattern at depth {} (mean over batch and width)", a.max_depth), text, n});
  }

  // 3. Zoo.
  auto zoo = [](const SpeedupPair& p) { return p.native->pattern.empty(); };
  a.zoo_speedup = mean_speedup_by(pairs, zoo, [](const SpeedupPair& p) { return p.native->model; });
  if (!a.zoo_speedup.empty()) {
    std::string text;
    for (const auto& [net, s] : a.zoo_speedup) text += fmt::format("{} {:.2f}x; ", net, s);
    size_t n = 0;
    for (const auto& p : pairs) n += zoo(p) ? 2 : 0;
    a.findings.push_back({"Speed-up per zoo network", text, n});
  }

  // 4. Does the speed-up grow with depth, with batch? Rank correlation.
  XY by_depth, by_batch;
  for (const auto& p : pairs) {
    if (p.native->depth && !p.native->pattern.empty()) {
      by_depth.x.push_back(static_cast<double>(*p.native->depth));
      by_depth.y.push_back(p.speedup());
    }
    by_batch.x.push_back(static_cast<double>(p.native->batch));
    by_batch.y.push_back(p.speedup());
  }
  double rho_depth = spearman(by_depth.x, by_depth.y), rho_batch = spearman(by_batch.x, by_batch.y);
  a.findings.push_back({"Does the speed-up grow with depth?", "Spearman rho(depth, speed-up) = " + num(rho_depth), 2 * by_depth.x.size()});
  a.findings.push_back({"Does the speed-up grow with batch?", "Spearman rho(batch, speed-up) = " + num(rho_batch), 2 * by_batch.x.size()});

  // 5. Latency vs FLOPs in the depth sweep and in the width sweep, per backend.
  for (const char* knob : {"depth", "width"}) {
    std::map<std::string, XY> by_backend;
    std::map<std::string, std::set<const Measurement*>> seen;
    for (const auto& s : series_over(d, knob))
      for (const auto* m : s.points)
        if (seen[s.backend].insert(m).second) {
          by_backend[s.backend].x.push_back(m->flops / static_cast<double>(m->batch));
          by_backend[s.backend].y.push_back(m->per_image_ms);
        }
    for (const auto& [backend, xy] : by_backend) {
      double r = pearson(xy.x, xy.y), rho = spearman(xy.x, xy.y);
      a.findings.push_back({fmt::format("Latency vs FLOPs across the {} sweep on {}", knob, backend),
                            fmt::format("Pearson r = {}, Spearman rho = {}", num(r), num(rho)), xy.x.size()});
    }
  }

  // 6. Cache misses: do they fall with acceleration, and do they follow latency?
  XY miss_latency;
  size_t fewer = 0, cache_pairs = 0;
  for (const auto& p : pairs) {
    auto misses = [](const Measurement* m) { return m->llc_misses_hw ? m->llc_misses_hw : m->ll_misses_sim; };
    if (!misses(p.native) || !misses(p.accelerated)) continue;
    ++cache_pairs;
    fewer += *misses(p.accelerated) < *misses(p.native);
    for (const auto* m : {p.native, p.accelerated}) {
      miss_latency.x.push_back(*misses(m) / static_cast<double>(m->batch));
      miss_latency.y.push_back(m->per_image_ms);
    }
  }
  if (cache_pairs) {
    a.findings.push_back({"Last-level cache misses and latency",
                          fmt::format("accelerated has fewer LL misses in {} of {} pairs; Pearson r(misses, latency) = {}, "
                                      "Spearman rho = {}",
                                      fewer, cache_pairs, num(pearson(miss_latency.x, miss_latency.y)),
                                      num(spearman(miss_latency.x, miss_latency.y))),
                          2 * cache_pairs});
  }

  // 7. Width-scaling exponent per pattern and backend: latency ~ width^k.
  // One fit per series (pattern, backend, batch, other knobs fixed).
  for (const auto& s : series_over(d, "width")) {
    XY xy;
    for (const auto* m : s.points) {
      xy.x.push_back(static_cast<double>(*m->width));
      xy.y.push_back(m->per_image_ms);
    }
    PowerFit f = fit_power(xy.x, xy.y);
    a.width_exponents.push_back({s.pattern, s.backend, s.batch, f.k, f.r2, f.n});
  }
  if (!a.width_exponents.empty()) {
    std::string text;
    size_t n = 0;
    for (const auto& w : a.width_exponents) {
      text += fmt::format("{} on {} b{}: k = {} (R² {}); ", w.pattern, w.backend, w.batch, num(w.k), num(w.r2));
      n += w.n;
    }
    a.findings.push_back({"Width-scaling exponent (latency ∝ width^k)", text, n});
  }
  // Why it is faster: one line per configuration profiled on both roles.
  for (const auto& c : profile_comparisons(d, roles)) a.findings.push_back(profile_finding(c, roles));
  for (const auto& t : peer_tables(d, roles))
    for (auto& f : peer_findings(t.table, roles)) {
      f.title += " (experiment " + t.experiment + ")";
      a.findings.push_back(std::move(f));
    }
  for (const auto& t : precision_tables(d, roles))
    for (auto& f : precision_findings(t, roles)) {
      f.title += " (experiment " + t.experiment + ")";
      a.findings.push_back(std::move(f));
    }
  return a;
}

}  // namespace fb::report
