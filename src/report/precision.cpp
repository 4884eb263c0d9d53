#include "report/precision.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "common/error.h"
#include "common/parse_number.h"
#include "common/precision.h"
#include "measure/config.h"
#include "report/stats.h"
#include "study/presets.h"

namespace fb::report {
namespace {

const std::string kFp32 = "fp32";

// The configuration without its engine, precision and batch: the key a row of the table shares.
std::string row_key(Descriptor d) {
  for (const char* k : {"backend", "precision", "batch"}) d.erase(k);
  return d.str();
}

// A pattern row by its pattern and the knobs the preset varies; a network by its name.
std::string row_name(const Descriptor& fields, const std::string& pattern) {
  if (pattern.empty()) return fields.head;
  std::string out = pattern;
  for (const char* k : {"depth", "width"})
    if (auto v = fields.get(k)) out += fmt::format(", {} {}", k, *v);
  return out;
}

// The six patterns in the paper's order, then any other name (a store from elsewhere).
size_t pattern_rank(const std::string& p) {
  const auto& all = study::study_patterns();
  return static_cast<size_t>(std::find(all.begin(), all.end(), p) - all.begin());
}

size_t precision_rank(const std::string& p) {
  const auto& all = all_precisions();
  for (size_t i = 0; i < all.size(); ++i)
    if (p == precision_name(all[i])) return i;
  return all.size();
}

std::optional<double> ratio(const Measurement* num, const Measurement* den) {
  if (!num || !den || den->per_image_ms <= 0) return std::nullopt;
  return num->per_image_ms / den->per_image_ms;
}

std::string ordinal(size_t n) {
  const char* suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return std::to_string(n) + suffix;
}

std::string percent(double fraction) { return fmt::format("{:.3g} %", 100 * fraction); }

// "bf16 over fp32 on onednn (patterns)": one per backend, precision and group.
std::vector<Finding> mean_speedup_findings(const PrecisionTable& t) {
  std::vector<Finding> out;
  for (const auto& [backend, precision] : t.reduced())
    for (bool zoo : {false, true}) {
      std::vector<double> x;
      for (const auto& r : t.rows)
        if (r.pattern.empty() == zoo)
          if (auto s = r.over_fp32(backend, precision)) x.push_back(*s);
      if (x.empty()) continue;
      out.push_back({fmt::format("Speed-up of {} over fp32 on {} ({})", precision, backend, zoo ? "zoo" : "patterns"),
                     fmt::format("geometric mean {:.2f}x over {} configuration{} (range {:.2f}x to {:.2f}x; the backend's "
                                 "fp32 latency / its {} latency, same configuration, batch and threads)",
                                 geometric_mean(x), x.size(), x.size() == 1 ? "" : "s", *std::min_element(x.begin(), x.end()),
                                 *std::max_element(x.begin(), x.end()), precision),
                     2 * x.size()});
    }
  return out;
}

std::string ranking_words(const PatternRanking& k, const std::vector<std::string>& order, bool acceleration) {
  std::string out;
  for (const auto& name : order) {
    auto it = std::find_if(k.patterns.begin(), k.patterns.end(), [&](const RankedPattern& p) { return p.pattern == name; });
    out += fmt::format("{}{} {:.2f}x", out.empty() ? "" : " > ", name, acceleration ? it->acceleration : it->over_fp32);
  }
  return out;
}

// Does the ranking of the patterns change at `precision`? Rho and who moved.
Finding ranking_finding(const PrecisionTable& t, const BackendRoles& roles, const std::string& precision) {
  const PatternRanking k = pattern_ranking(t, roles, precision);
  Finding f{fmt::format("Does the patterns' ranking by speed-up change at {}?", precision), "", k.n};
  const std::string fp32_words = fmt::format("{} fp32 / {} fp32", roles.native, roles.accelerated);
  const std::string reduced_words = fmt::format("{} {} over fp32", roles.accelerated, precision);
  if (k.patterns.size() < 3) {
    f.value = fmt::format("cannot decide: {} pattern{} {} both a {} and a {} speed-up (3 needed)", k.patterns.size(),
                          k.patterns.size() == 1 ? "" : "s", k.patterns.size() == 1 ? "has" : "have", fp32_words, reduced_words);
    return f;
  }
  std::string moved;
  for (const auto& p : k.patterns) {
    auto pos = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), p.pattern) - v.begin() + 1; };
    const auto from = static_cast<size_t>(pos(k.by_acceleration)), to = static_cast<size_t>(pos(k.by_precision));
    if (from != to) moved += fmt::format("{}{} ({} to {})", moved.empty() ? "" : ", ", p.pattern, ordinal(from), ordinal(to));
  }
  f.value = fmt::format("by {}: {}; by {}: {}; Spearman rho = {} over {} patterns (geometric means over each pattern's "
                        "configurations); moved: {}",
                        fp32_words, ranking_words(k, k.by_acceleration, true), reduced_words,
                        ranking_words(k, k.by_precision, false),
                        std::isnan(k.rho) ? "n/a (one ranking is all ties)" : fmt::format("{:.2f}", k.rho),
                        k.patterns.size(), moved.empty() ? "none" : moved);
  return f;
}

// The largest max_rel and the lowest top-1 agreements among the rows at `precision`.
Finding accuracy_finding(const PrecisionTable& t, const std::string& precision) {
  struct Worst {
    double value;
    std::string where;
  };
  std::optional<Worst> max_rel, top1, confident;
  size_t compared = 0, failed = 0, missing = 0;
  for (const auto& r : t.rows)
    for (const auto& [key, cell] : r.cells) {
      if (key.second != precision || !cell.m) continue;
      if (!cell.m->accuracy) {
        ++missing;
        continue;
      }
      const AccuracySection& a = *cell.m->accuracy;
      if (!a.error.empty()) {
        ++failed;
        continue;
      }
      ++compared;
      const std::string where = fmt::format("{} on {}, batch {}", key.first, r.name, r.batch);
      if (!max_rel || a.max_rel > max_rel->value) max_rel = Worst{a.max_rel, where};
      if (!top1 || a.top1 < top1->value) top1 = Worst{a.top1, where};
      if (a.confident_inputs > 0 && (!confident || a.confident_top1 < confident->value))
        confident = Worst{a.confident_top1, fmt::format("of {}, {}", a.confident_inputs, where)};
    }
  Finding f{fmt::format("Worst accuracy at {} against the same backend's fp32", precision), "", compared};
  if (max_rel) {
    f.value = fmt::format("largest max_rel {:.1e} ({}); lowest top-1 agreement {} ({})", max_rel->value, max_rel->where,
                          percent(top1->value), top1->where);
    if (confident) f.value += fmt::format("; lowest top-1 on the confident inputs {} ({})", percent(confident->value), confident->where);
  } else {
    f.value = "no comparison ran";
  }
  if (failed) f.value += fmt::format("; {} comparison{} could not run (the table says why)", failed, failed == 1 ? "" : "s");
  if (missing) f.value += fmt::format("; {} row{} without accuracy figures", missing, missing == 1 ? "" : "s");
  return f;
}

}  // namespace

const Measurement* PrecisionRow::at(const std::string& backend, const std::string& precision) const {
  auto it = cells.find({backend, precision});
  return it == cells.end() || !it->second.m ? nullptr : &*it->second.m;
}

std::optional<double> PrecisionRow::over_fp32(const std::string& backend, const std::string& precision) const {
  return ratio(at(backend, kFp32), at(backend, precision));
}

std::optional<double> PrecisionRow::fp32_acceleration(const BackendRoles& roles) const {
  return ratio(at(roles.native, kFp32), at(roles.accelerated, kFp32));
}

std::vector<BackendPrecision> PrecisionTable::reduced() const {
  std::vector<BackendPrecision> out;
  for (const auto& c : columns)
    if (c.second != kFp32) out.push_back(c);
  return out;
}

PrecisionTable precision_table(const Dataset& d, const BackendRoles& roles) {
  PrecisionTable t;
  if (!d.experiments.empty()) t.experiment = d.experiments.front().label();
  std::map<std::pair<int64_t, std::string>, size_t> index;  // (batch, key) -> row
  auto row_of = [&](const Descriptor& fields, int64_t batch, int64_t threads) -> PrecisionRow& {
    auto [it, fresh] = index.emplace(std::pair{batch, row_key(fields)}, t.rows.size());
    if (fresh) {
      PrecisionRow& r = t.rows.emplace_back();
      r.configuration = row_key(fields);
      if (fields.head.rfind("pattern:", 0) == 0) r.pattern = fields.head.substr(8);
      r.name = row_name(fields, r.pattern);
      r.batch = batch;
      r.threads = threads;
    }
    return t.rows[it->second];
  };
  for (const auto& m : d.ok) row_of(m.fields, m.batch, m.threads).cells[{m.backend, m.precision}].m = m;
  for (const auto& f : d.failed_rows) {
    Descriptor fields;
    RunFields run;
    int64_t batch = 1, threads = 1;
    std::string precision = kFp32;
    try {
      fields = Descriptor::parse(f.descriptor);
      run = RunFields::split(fields);
      batch = parse_int(run.batch, "batch", 1, kMaxBatch);
      if (!run.threads.empty()) threads = parse_int(run.threads, "threads", 1);
      if (!run.precision.empty()) precision = precision_name(parse_precision(run.precision));
    } catch (const UsageError&) {
      continue;  // a descriptor the table cannot place (a hostile store's)
    }
    PrecisionCell& cell = row_of(fields, batch, threads).cells[{run.backend, precision}];
    if (!cell.m) cell.failed = f.error.empty() ? "failed (no message stored)" : f.error;
  }

  std::set<BackendPrecision> seen;
  for (const auto& r : t.rows)
    for (const auto& [key, cell] : r.cells) seen.insert(key);
  t.columns.assign(seen.begin(), seen.end());
  auto backend_rank = [&](const std::string& b) { return b == roles.native ? 0 : b == roles.accelerated ? 1 : 2; };
  std::stable_sort(t.columns.begin(), t.columns.end(), [&](const BackendPrecision& a, const BackendPrecision& b) {
    return std::pair{backend_rank(a.first), precision_rank(a.second)} < std::pair{backend_rank(b.first), precision_rank(b.second)};
  });
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const PrecisionRow& a, const PrecisionRow& b) {
    auto rank = [](const PrecisionRow& r) {
      return std::tuple{r.pattern.empty(), r.pattern.empty() ? size_t{0} : pattern_rank(r.pattern), r.batch};
    };
    return rank(a) < rank(b);
  });
  // A model measured with several knob values in one batch is named by its whole configuration.
  std::map<std::pair<int64_t, std::string>, int> names;
  for (const auto& r : t.rows) ++names[{r.batch, r.name}];
  for (auto& r : t.rows)
    if (names[{r.batch, r.name}] > 1) r.name = r.configuration;
  return t;
}

std::vector<PrecisionTable> precision_tables(const Dataset& d, const BackendRoles& roles) {
  std::vector<PrecisionTable> out;
  for (size_t e = 0; e < d.experiments.size(); ++e)
    if (d.experiments[e].kind == "precision") {
      out.push_back(precision_table(d.only(e), roles));
      out.back().experiment = d.experiments[e].label();
    }
  return out;
}

PatternRanking pattern_ranking(const PrecisionTable& t, const BackendRoles& roles, const std::string& precision) {
  PatternRanking k;
  k.precision = precision;
  std::map<std::string, std::vector<double>> acceleration, over_fp32;
  std::map<std::string, std::set<const Measurement*>> used;
  for (const auto& r : t.rows) {
    if (r.pattern.empty()) continue;
    if (auto x = r.fp32_acceleration(roles)) {
      acceleration[r.pattern].push_back(*x);
      used[r.pattern].insert({r.at(roles.native, kFp32), r.at(roles.accelerated, kFp32)});
    }
    if (auto x = r.over_fp32(roles.accelerated, precision)) {
      over_fp32[r.pattern].push_back(*x);
      used[r.pattern].insert({r.at(roles.accelerated, kFp32), r.at(roles.accelerated, precision)});
    }
  }
  for (const auto& [pattern, x] : acceleration)
    if (over_fp32.count(pattern)) {
      k.patterns.push_back({pattern, geometric_mean(x), geometric_mean(over_fp32[pattern])});
      k.n += used[pattern].size();
    }
  std::stable_sort(k.patterns.begin(), k.patterns.end(),
                   [](const RankedPattern& a, const RankedPattern& b) { return pattern_rank(a.pattern) < pattern_rank(b.pattern); });
  auto ranked = [&](double RankedPattern::*value) {
    std::vector<RankedPattern> v = k.patterns;
    std::stable_sort(v.begin(), v.end(), [&](const RankedPattern& a, const RankedPattern& b) { return a.*value > b.*value; });
    std::vector<std::string> names;
    for (const auto& p : v) names.push_back(p.pattern);
    return names;
  };
  k.by_acceleration = ranked(&RankedPattern::acceleration);
  k.by_precision = ranked(&RankedPattern::over_fp32);
  std::vector<double> x, y;
  for (const auto& p : k.patterns) x.push_back(p.acceleration), y.push_back(p.over_fp32);
  if (k.patterns.size() >= 3) k.rho = spearman(x, y);
  return k;
}

std::vector<Finding> precision_findings(const PrecisionTable& t, const BackendRoles& roles) {
  std::vector<Finding> out = mean_speedup_findings(t);
  const bool patterns = std::any_of(t.rows.begin(), t.rows.end(), [](const PrecisionRow& r) { return !r.pattern.empty(); });
  std::vector<std::string> precisions;  // the reduced ones, in table order
  for (const auto& [backend, precision] : t.reduced())
    if (std::find(precisions.begin(), precisions.end(), precision) == precisions.end()) precisions.push_back(precision);
  for (const auto& precision : precisions) {
    const bool accelerated = std::find(t.columns.begin(), t.columns.end(), BackendPrecision{roles.accelerated, precision}) !=
                             t.columns.end();
    if (patterns && accelerated) out.push_back(ranking_finding(t, roles, precision));
  }
  for (const auto& precision : precisions) out.push_back(accuracy_finding(t, precision));
  return out;
}

}  // namespace fb::report
