#include "report/figures.h"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/process.h"
#include "common/utf8.h"
#include "report/escape.h"
#include "report/miss_source.h"
#include "report/peers.h"
#include "report/precision.h"
#include "report/profile_breakdown.h"
#include "report/roofline.h"
#include "report/stats.h"

namespace fb::report {

// One colour per backend in every figure; other series (variants, ISAs) take
// the rest of the palette by name.
std::string color_of(const std::string& series) {
  static const std::map<std::string, std::string> fixed = {
      {"torch", "#1b9e77"}, {"torch-jit", "#66a61e"}, {"onednn", "#d95f02"}, {"reference", "#666666"},
      {"ort", "#7570b3"},   {"opencv", "#e7298a"}};
  static const char* const palette[] = {"#7570b3", "#e7298a", "#e6ab02", "#a6761d", "#1f78b4", "#b2df8a", "#fb9a99"};
  if (auto it = fixed.find(series); it != fixed.end()) return it->second;
  return palette[std::hash<std::string>{}(series) % std::size(palette)];
}

namespace {

const char* const kPatterns[] = {"standard", "factorized", "bottleneck", "dw_separable", "dw_bottleneck", "grouped"};

std::optional<double> misses_per_image(const Measurement& m) {
  auto v = m.llc_misses_hw ? m.llc_misses_hw : m.ll_misses_sim;
  if (!v) return std::nullopt;
  return *v / static_cast<double>(m.batch);
}

// A series' name in the legend: the backend, and its ISA cap when it has one
// (a cache experiment's onednn runs at isa=avx2).
std::string series_label(const Series& s) {
  const std::string& isa = s.points.front()->isa;
  return isa.empty() ? s.backend : s.backend + " " + isa;
}

// The knobs a panel figure holds fixed, in words: "res 64, width 32, batch 1,
// 2 threads" (the swept knob left out). Series with equal words share a figure.
std::string fixed_knobs(const Measurement& m, const std::string& knob) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  if (m.res) add(fmt::format("res {}", *m.res));
  if (knob != "width" && m.width) add(fmt::format("width {}", *m.width));
  if (knob != "depth" && m.depth) add(fmt::format("depth {}", *m.depth));
  add(fmt::format("batch {}", m.batch));
  add(fmt::format("{} thread{}", m.threads, m.threads == 1 ? "" : "s"));
  return out;
}

// One panel figure's series: per pattern, legend label and (cache figures)
// miss source, the series with the most points (others are counted in
// `dropped`, never mixed in).
struct PanelSet {
  std::string fixed;
  int64_t batch = 1;
  std::map<std::string, std::map<std::pair<std::string, MissSource>, Series>> by_pattern;
  size_t dropped = 0;
};

// A series' points by where their misses come from: a line never joins two
// cache geometries (or a simulation and the counters). Points that a log axis
// cannot show (zero misses) are left out.
std::map<MissSource, Series> split_by_miss_source(const Series& whole) {
  std::map<MissSource, Series> parts;
  for (const auto* m : whole.points) {
    if (misses_per_image(*m).value_or(0) <= 0) continue;
    auto [it, fresh] = parts.try_emplace(miss_source(*m), whole);
    if (fresh) it->second.points.clear();
    it->second.points.push_back(m);
  }
  return parts;
}

// The experiment's series over `knob`, one PanelSet per set of fixed knobs.
std::vector<PanelSet> panel_sets(const Dataset& d, const std::string& knob, bool need_misses) {
  std::map<std::string, PanelSet> sets;
  // One measured point is drawn too (the paper preset simulates standard and
  // factorized at one depth: their panels show that point, not nothing).
  for (const auto& whole : series_over(d, knob, 1)) {
    const auto parts = need_misses ? split_by_miss_source(whole) : std::map<MissSource, Series>{{MissSource{}, whole}};
    for (const auto& [source, s] : parts) {
      const std::string fixed = fixed_knobs(*s.points.front(), knob);
      PanelSet& set = sets[fixed];
      set.fixed = fixed;
      set.batch = s.batch;
      auto& slot = set.by_pattern[s.pattern];
      const std::pair<std::string, MissSource> key{series_label(s), source};
      auto it = slot.find(key);
      if (it == slot.end()) {
        slot.emplace(key, s);
      } else {
        ++set.dropped;
        if (s.points.size() > it->second.points.size()) it->second = s;
      }
    }
  }
  std::vector<PanelSet> out;
  for (auto& [k, set] : sets) {
    // A figure over the knob needs two values of it; within one, a pattern
    // measured at a single value is still drawn (its point).
    std::set<int64_t> xs;
    for (const auto& [pattern, by_key] : set.by_pattern)
      for (const auto& [key, s] : by_key)
        for (const auto* m : s.points) xs.insert(knob == "depth" ? *m->depth : *m->width);
    if (xs.size() >= 2) out.push_back(std::move(set));
  }
  return out;
}

// The measured patterns of a figure, a panel each: the six in the paper's
// order, then any other name (a store from elsewhere) by name.
std::vector<std::string> panel_patterns(const PanelSet& set) {
  std::vector<std::string> out;
  for (const auto& [pattern, series] : set.by_pattern) out.push_back(pattern);
  auto rank = [](const std::string& p) { return std::find(std::begin(kPatterns), std::end(kPatterns), p) - std::begin(kPatterns); };
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return out;
}

// The values drawn on one axis. A log axis takes only positive ones; an axis
// with nothing to show is left to gnuplot's autoscale (an empty or
// non-positive range would make gnuplot refuse the whole figure).
struct AxisRange {
  bool log = false;
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  void add(double v) {
    if (log && v <= 0) return;
    lo = std::min(lo, v), hi = std::max(hi, v);
  }
  std::string commands(const char* axis) const {
    if (lo > hi || hi <= 0) return "";
    if (log) return fmt::format("set logscale {0}\nset {0}range [{1}:{2}]\n", axis, lo * 0.8, hi * 1.25);
    return fmt::format("set {}range [0:{}]\n", axis, hi * 1.1);
  }
};

// Fig. 1-4: one panel per measured pattern, a line per backend over depth or
// width. With `cache`, dashed lines are LL misses per image (left axis) and
// solid lines latency (right axis), and the title and caption say where the
// misses come from; otherwise latency with CI error bars and FLOPs per image
// on the right axis. `heading` names what is drawn and the experiment.
Figure panel_figure(const std::filesystem::path& dir, const std::string& name, const std::string& heading,
                    const std::string& knob, const PanelSet& set, bool cache) {
  std::set<MissSource> sources;
  for (const auto& [pattern, by_key] : set.by_pattern)
    for (const auto& [key, s] : by_key) sources.insert(key.second);
  const bool keyed = sources.size() > 1;  // each line's key names its source
  const bool hardware = std::any_of(sources.begin(), sources.end(), [](const auto& x) { return x.hardware; });
  std::vector<std::string> title_lines = {heading, set.fixed};
  if (cache) title_lines.push_back(miss_sources_words(sources));
  std::string title;
  for (const auto& line : title_lines) title += (title.empty() ? "" : "; ") + line;

  Figure f{name, "", title, "", false, "", 0};
  std::string data, body;
  const bool log_y = cache || knob == "width";
  AxisRange y{log_y}, y2{log_y};
  double xmin = HUGE_VAL, xmax = -HUGE_VAL;
  int block = 0;
  std::map<std::string, std::vector<std::string>> plots;  // pattern -> plot clauses
  for (const auto& [pattern, by_key] : set.by_pattern)
    for (const auto& [key, s] : by_key) {
      const std::string label = key.first, keyed_by = keyed ? ", " + key.second.key : "";
      // Colour is the backend's; a figure of several sources marks each with its own shape (open: misses, filled: latency).
      static const int kShapes[][2] = {{6, 7}, {4, 5}, {8, 9}, {12, 13}};
      const auto& shape = kShapes[static_cast<size_t>(std::distance(sources.begin(), sources.find(key.second))) % std::size(kShapes)];
      std::string id = fmt::format("$d{}", block++);
      data += id + " << EOD\n";
      for (const auto* m : s.points) {
        double x = static_cast<double>(knob == "depth" ? *m->depth : *m->width);
        double flops_img = m->flops / static_cast<double>(m->batch) / 1e9;
        double miss = misses_per_image(*m).value_or(0);
        data += fmt::format("{} {} {} {} {} {}\n", x, m->per_image_ms, m->per_image_ci_low, m->per_image_ci_high, flops_img, miss);
        xmin = std::min(xmin, x), xmax = std::max(xmax, x);
        for (double v : cache ? std::vector<double>{miss} : std::vector<double>{m->per_image_ci_low, m->per_image_ci_high})
          y.add(v);
        y2.add(cache ? m->per_image_ms : flops_img);
        ++f.n;
      }
      data += "EOD\n";
      const std::string c = color_of(s.backend);
      auto& p = plots[pattern];
      if (cache) {
        p.push_back(fmt::format("{} using 1:6 axes x1y1 with linespoints dt 2 lc rgb '{}' pt {} title {}", id, c, shape[0],
                                gnuplot_string(label + " misses" + keyed_by)));
        p.push_back(fmt::format("{} using 1:2 axes x1y2 with linespoints dt 1 lc rgb '{}' pt {} title {}", id, c, shape[1],
                                gnuplot_string(label + " latency" + keyed_by)));
      } else {
        p.push_back(fmt::format("{} using 1:2:3:4 with yerrorlines lc rgb '{}' pt 7 title {}", id, c, gnuplot_string(label)));
        if (p.size() == 1)
          p.push_back(fmt::format("{} using 1:5 axes x1y2 with lines dt 3 lc rgb 'gray40' title 'GFLOPs/img'", id));
      }
    }
  const std::vector<std::string> patterns = panel_patterns(set);
  const size_t cols = patterns.size() == 4 ? 2 : std::min<size_t>(patterns.size(), 3);
  const size_t rows = (patterns.size() + cols - 1) / cols;
  body += fmt::format("set multiplot layout {},{} title {}\n", rows, cols, gnuplot_lines(title_lines));
  // A cache panel keys two lines per series: below it, where they cover no data.
  body += fmt::format("set grid\nset key {} font ',8'\nset xtics font ',8'\nset ytics nomirror font ',8'\nset y2tics font ',8'\n",
                      cache ? "below" : "top left");
  body += fmt::format("set xrange [{}:{}]\n", xmin, xmax);
  if (knob == "width") body += "set logscale x 2\n";
  body += y.commands("y") + y2.commands("y2");
  body += fmt::format("set xlabel '{}'\n", knob);
  const char* misses = keyed ? "LL" : hardware ? "LLC" : "simulated LL";
  body += cache ? fmt::format("set ylabel '{} misses / image'\nset y2label 'ms / image'\n", misses)
                : "set ylabel 'ms / image'\nset y2label 'GFLOPs / image'\n";
  for (const auto& pattern : patterns) {
    body += fmt::format("set title {}\n", gnuplot_string(pattern));
    std::string clause;
    for (const auto& p : plots[pattern]) clause += (clause.empty() ? "" : ", ") + p;
    body += "plot " + clause + "\n";
  }
  body += "unset multiplot\n";
  const int width = static_cast<int>(std::max<size_t>(720, 400 * cols));
  const int height = static_cast<int>((cache ? 360 : 330) * rows + 22 * title_lines.size() + 40);
  render_gnuplot(dir, name, data, body, width, height);
  f.drawn = true;
  const bool simulated = !hardware || sources.size() > 1;
  f.caption = fmt::format("{} points; {}{}{}", f.n, set.fixed,
                          cache ? fmt::format("; misses per image from {}{}{}.", miss_sources_words(sources),
                                              simulated ? ", by callgrind's cache model" : "",
                                              keyed ? "; each line's key names its source" : "")
                                : "; error bars are 95 % CIs of the median.",
                          set.dropped ? fmt::format(" {} other series of this experiment with the same fixed knobs "
                                                    "(other pattern knobs) are not drawn.", set.dropped)
                                      : "");
  return f;
}

// Bars: one group per label, one bar per series, optional text above each group.
Figure bar_figure(const std::filesystem::path& dir, const std::string& name, const std::string& title, const std::string& ylabel,
                  const std::vector<std::string>& groups, const std::vector<std::string>& series,
                  const std::map<std::pair<std::string, std::string>, double>& values,
                  const std::map<std::string, std::string>& group_notes, bool log_y,
                  const std::map<std::string, std::string>& colors = {}) {
  Figure f{name, "", title, "", false, "", 0};
  if (values.empty()) {
    f.missing = "no data";
    return f;
  }
  const double width = 0.8 / static_cast<double>(series.size());
  std::string data = "$bars << EOD\n";
  double ymax = 0, ymin = 1e300;
  for (size_t g = 0; g < groups.size(); ++g)
    for (size_t s = 0; s < series.size(); ++s) {
      auto it = values.find({groups[g], series[s]});
      if (it == values.end()) continue;
      double x = static_cast<double>(g) + (static_cast<double>(s) - (static_cast<double>(series.size()) - 1) / 2) * width;
      data += fmt::format("{} {} {}\n", x, it->second, s + 1);
      ymax = std::max(ymax, it->second), ymin = std::min(ymin, it->second);
      ++f.n;
    }
  data += "EOD\n";
  std::string body = fmt::format("set title {}\nset ylabel {}\nset grid ytics\nset style fill solid 0.8 border -1\n", gnuplot_string(title), gnuplot_string(ylabel));
  body += fmt::format("set boxwidth {}\nset xrange [-0.6:{}]\n", width * 0.95, static_cast<double>(groups.size()) - 0.4);
  body += "set xtics rotate by -30 font ',9' (";
  for (size_t g = 0; g < groups.size(); ++g) body += fmt::format("{}{} {}", g ? ", " : "", gnuplot_string(groups[g]), g);
  body += ")\n";
  if (log_y) body += fmt::format("set logscale y\nset yrange [{}:{}]\n", ymin * 0.5, ymax * 3);
  else body += fmt::format("set yrange [0:{}]\n", ymax * 1.2);
  for (size_t g = 0; g < groups.size(); ++g)
    if (auto it = group_notes.find(groups[g]); it != group_notes.end())
      body += fmt::format("set label {} {} at {},{} center font ',9'\n", g + 1, gnuplot_string(it->second), g, log_y ? ymax * 1.8 : ymax * 1.1);
  std::string clause;
  for (size_t s = 0; s < series.size(); ++s) {
    auto c = colors.find(series[s]);
    clause += fmt::format("{}$bars using 1:($3=={} ? $2 : NaN) with boxes lc rgb '{}' title {}", s ? ", " : "", s + 1,
                          c == colors.end() ? color_of(series[s]) : c->second, gnuplot_string(series[s]));
  }
  body += "set key top left\nplot " + clause + "\n";
  render_gnuplot(dir, name, data, body, 1100, 560);
  f.drawn = true;
  return f;
}

Figure zoo_figure(const Dataset& d, const BackendRoles& roles, const std::filesystem::path& dir, const std::string& name,
                  const std::string& suffix) {
  std::vector<std::string> nets, backends;
  std::map<std::pair<std::string, std::string>, double> values;
  for (const auto& m : d.ok) {
    // Fig. 5 is the paper's, measured at FP32: a reduced precision is Fig. 11's.
    if (!m.pattern.empty() || m.batch != 1 || !m.isa.empty() || !m.fp32()) continue;
    if (std::find(nets.begin(), nets.end(), m.model) == nets.end()) nets.push_back(m.model);
    if (std::find(backends.begin(), backends.end(), m.backend) == backends.end()) backends.push_back(m.backend);
    values[{m.model, m.backend}] = m.per_image_ms;
  }
  // Speed-ups from this experiment's pairs only.
  std::map<std::string, std::vector<double>> ratios;
  for (const auto& p : at_fp32(speedup_pairs(d, roles)))
    if (p.native->pattern.empty() && p.native->batch == 1 && p.native->isa.empty()) ratios[p.native->model].push_back(p.speedup());
  std::map<std::string, std::string> notes;
  for (const auto& [net, r] : ratios) {
    double sum = 0;
    for (double x : r) sum += x;
    notes[net] = fmt::format("{:.1f}x", sum / static_cast<double>(r.size()));
  }
  Figure f = bar_figure(dir, name, "Zoo: latency per image at batch 1 (label: " + roles.accelerated + " speed-up over " +
                                       roles.native + ")" + suffix,
                        "ms / image (log)", nets, backends, values, notes, true);
  if (f.drawn) f.caption = fmt::format("{} measurements of {} networks at batch 1.", f.n, nets.size());
  else f.missing = "no zoo measurements at batch 1";
  return f;
}

// Fig. 10: every engine's speed-up over the native framework on each model
// of the peers experiment, one figure per batch (a model an engine could not
// run has no bar; the table says why).
std::vector<Figure> peers_figures(const Dataset& d, const BackendRoles& roles, const std::filesystem::path& dir,
                                  const std::function<std::string(const std::string&)>& stem, const std::string& slug,
                                  const std::string& suffix) {
  const PeerTable t = peer_table(d, roles);
  std::map<int64_t, std::vector<const PeerRow*>> by_batch;
  for (const auto& r : t.rows) by_batch[r.batch].push_back(&r);
  std::vector<std::string> engines;
  for (const auto& e : t.engines)
    if (e != roles.native) engines.push_back(e);
  std::vector<Figure> out;
  for (const auto& [batch, rows] : by_batch) {
    std::vector<std::string> models;
    std::map<std::pair<std::string, std::string>, double> values;
    std::set<int64_t> threads;
    for (const PeerRow* r : rows) {
      models.push_back(r->name);
      for (const auto& [engine, cell] : r->engines)
        if (cell.m) threads.insert(cell.m->threads);
      for (const auto& e : engines)
        if (auto x = r->speedup_over_native(e, roles)) values[{r->name, e}] = *x;
    }
    Figure f = bar_figure(dir, stem(fmt::format("fig10_peers_{}_b{}", slug, batch)),
                          fmt::format("Engines side by side: speed-up over {} at batch {}{}{}", roles.native, batch,
                                      threads.size() == 1 ? fmt::format(", {} threads", *threads.begin()) : "", suffix),
                          "speed-up over " + roles.native + " (log)", models, engines, values, {}, true);
    if (f.drawn)
      f.caption = fmt::format("{} speed-ups ({} latency / the engine's, per image) of {} engines on {} models at batch {}; "
                              "a missing bar is a model the engine could not run or was not measured on (tables/peers.csv).",
                              f.n, roles.native, engines.size(), models.size(), batch);
    else f.missing = "no model measured on " + roles.native + " and another engine at batch " + std::to_string(batch);
    out.push_back(std::move(f));
  }
  return out;
}

// A reduced precision's bar: the backend's colour at bf16, a lighter tone of it at int8.
std::string precision_color(const std::string& backend, const std::string& precision) {
  static const std::map<std::string, std::string> int8 = {{"torch", "#8fd6bf"}, {"onednn", "#fdae6b"}};
  if (precision == "bf16") return color_of(backend);
  if (auto it = int8.find(backend); precision == "int8" && it != int8.end()) return it->second;
  return color_of(backend + " " + precision);
}

// Fig. 11: each reduced precision's speed-up over the same backend's fp32, a
// bar per backend and precision, a group per pattern (the geometric mean over
// its depths and widths) or per network; one figure for the patterns and one
// for the zoo per batch and thread count. A backend with no row at a
// precision has no bar; the table says so.
std::vector<Figure> precision_figures(const Dataset& d, const BackendRoles& roles, const std::filesystem::path& dir,
                                      const std::function<std::string(const std::string&)>& stem, const std::string& slug,
                                      const std::string& suffix) {
  const PrecisionTable t = precision_table(d, roles);
  std::vector<std::string> series;
  std::map<std::string, std::string> colors;
  for (const auto& [backend, precision] : t.reduced()) {
    series.push_back(backend + " " + precision);
    colors[series.back()] = precision_color(backend, precision);
  }
  std::map<std::tuple<bool, int64_t, int64_t>, std::vector<const PrecisionRow*>> sets;  // (zoo, batch, threads)
  for (const auto& r : t.rows) sets[{r.pattern.empty(), r.batch, r.threads}].push_back(&r);
  std::vector<Figure> out;
  for (const auto& [key, rows] : sets) {
    const auto& [zoo, batch, threads] = key;
    std::vector<std::string> groups;
    std::map<std::pair<std::string, std::string>, std::vector<double>> ratios;
    for (const PrecisionRow* r : rows) {
      const std::string group = zoo ? r->name : r->pattern;
      if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
      for (const auto& [backend, precision] : t.reduced())
        if (auto x = r->over_fp32(backend, precision)) ratios[{group, backend + " " + precision}].push_back(*x);
    }
    std::map<std::pair<std::string, std::string>, double> values;
    for (const auto& [k, v] : ratios) values[k] = geometric_mean(v);
    const std::string what = zoo ? "zoo" : "patterns";
    const std::string knobs = fmt::format("batch {}, {} thread{}", batch, threads, threads == 1 ? "" : "s");
    Figure f = bar_figure(dir, stem(fmt::format("fig11_precision_{}_{}_b{}_t{}", slug, what, batch, threads)),
                          fmt::format("Reduced precision: speed-up over the same backend's fp32, {}, {}{}", what, knobs, suffix),
                          "speed-up over fp32 (log)", groups, series, values, {}, true, colors);
    if (f.drawn)
      f.caption = fmt::format("{} speed-ups (the backend's fp32 latency / its latency at the reduced precision, per image) "
                              "at {}{}; a missing bar is a backend with no row at that precision (tables/precision.csv).",
                              f.n, knobs, zoo ? "" : ", each the geometric mean over the pattern's depths and widths");
    else f.missing = "no configuration measured at fp32 and a reduced precision on the same backend (" + what + ", " + knobs + ")";
    out.push_back(std::move(f));
  }
  return out;
}

// Speed-up bought by each pass: latency with the pass switched off over
// latency with everything on, same configuration.
Figure ablation_figure(const Dataset& d, const BackendRoles& roles, const std::filesystem::path& dir,
                       const std::string& name, const std::string& suffix) {
  std::map<std::string, const Measurement*> full;
  for (const auto& m : d.ok)
    if (m.backend == roles.accelerated) full[m.key_without_backend()] = &m;
  std::vector<std::string> groups, variants;
  std::map<std::pair<std::string, std::string>, std::vector<double>> ratios;
  for (const auto& m : d.ok) {
    if (m.backend.rfind(roles.accelerated + ":", 0) != 0) continue;
    auto it = full.find(m.key_without_backend());
    if (it == full.end()) continue;
    std::string group = m.pattern.empty() ? m.model : m.pattern;
    std::string variant = m.backend.substr(roles.accelerated.size() + 1);
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    if (std::find(variants.begin(), variants.end(), variant) == variants.end()) variants.push_back(variant);
    ratios[{group, variant}].push_back(m.per_image_ms / it->second->per_image_ms);
  }
  std::map<std::pair<std::string, std::string>, double> values;
  for (const auto& [k, v] : ratios) {
    double s = 0;
    for (double x : v) s += x;
    values[k] = s / static_cast<double>(v.size());
  }
  Figure f = bar_figure(dir, name, "Ablation: slow-down when one engine pass is switched off (1 = pass buys nothing)" + suffix,
                        "latency(variant) / latency(" + roles.accelerated + ")", groups, variants, values, {}, false);
  if (f.drawn) f.caption = fmt::format("{} variant/full ratios (mean over the matching configurations).", f.n);
  else f.missing = "no " + roles.accelerated + ":<variant> measurements paired with " + roles.accelerated;
  return f;
}

Figure isa_figure(const Dataset& d, const std::filesystem::path& dir, const std::string& name, const std::string& suffix) {
  std::vector<std::string> groups, isas;
  std::map<std::pair<std::string, std::string>, double> values;
  std::set<std::string> capped_keys;
  for (const auto& m : d.ok)
    if (!m.isa.empty()) capped_keys.insert(m.key_without({"isa"}));
  for (const auto& m : d.ok) {
    if (!capped_keys.count(m.key_without({"isa"}))) continue;
    std::string group = (m.pattern.empty() ? m.model : m.pattern) + " " + m.backend;
    std::string isa = m.isa.empty() ? "native ISA" : m.isa;
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) groups.push_back(group);
    if (std::find(isas.begin(), isas.end(), isa) == isas.end()) isas.push_back(isa);
    values[{group, isa}] = m.per_image_ms;
  }
  Figure f = bar_figure(dir, name, "ISA cap: latency per image" + suffix, "ms / image (log)", groups, isas, values, {}, true);
  if (f.drawn) f.caption = fmt::format("{} measurements with and without an ISA cap.", f.n);
  else f.missing = "no measurements with an isa= cap";
  return f;
}

}  // namespace

void render_gnuplot(const std::filesystem::path& dir, const std::string& name, const std::string& data, const std::string& body,
                    int width, int height) {
  std::filesystem::create_directories(dir);
  std::filesystem::path script = dir / (name + ".gp");
  const std::string svg = gnuplot_path((dir / (name + ".svg")).string()), png = gnuplot_path((dir / (name + ".png")).string());
  {
    AtomicFile file(script);
    std::ostream& out = file.out();
    out << data;
    out << fmt::format("set terminal svg size {},{} dynamic noenhanced font 'Helvetica,12' background rgb 'white'\n", width, height);
    out << fmt::format("set output {}\n", svg) << body << "set output\nreset\n";
    out << fmt::format("set terminal pngcairo size {},{} noenhanced font 'Helvetica,10' background rgb 'white'\n", width, height);
    out << fmt::format("set output {}\n", png) << body << "set output\n";
    file.commit();
  }
  constexpr double kGnuplotTimeoutS = 300;  // a figure takes well under a second; never wait forever
  // An argument vector, no shell: the output folder's name is never a command.
  // Absolute, so a folder named like an option ("-e...") stays a file name.
  ChildResult r = run_child({"gnuplot", std::filesystem::absolute(script).string()}, {}, kGnuplotTimeoutS);
  const std::filesystem::path log = dir / (name + ".log");
  if (!r.exited_cleanly()) {
    std::ofstream(log, std::ios::binary) << r.err;
    throw Error("gnuplot " + r.describe() + " on " + script.string() + ": " + text_tail(r.err, 400) + " (all of it in " +
                log.string() + (r.exit_code == 127 ? "; is gnuplot installed? `make setup` installs it)" : ")"));
  }
  std::filesystem::remove(log);
}

std::string file_slug(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 48)) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '-';
  return out.empty() ? "-" : out;
}

std::vector<Figure> draw_figures(const Dataset& d, const Analysis&, const BackendRoles& roles,
                                 const std::filesystem::path& dir) {
  std::vector<Figure> figs;
  std::set<std::string> used;  // file stems: two experiments never share one
  auto stem = [&](const std::string& want) {
    std::string s = want;
    for (int i = 2; !used.insert(s).second; ++i) s = want + "_" + std::to_string(i);
    return s;
  };
  for (size_t e = 0; e < d.experiments.size(); ++e) {
    const StoredExperiment& ex = d.experiments[e];
    const Dataset sub = d.only(e);
    const std::string slug = file_slug(ex.label()), label = ex.label();
    const bool any = ex.kind == "other" || ex.unassigned;  // draw whatever its rows allow
    const size_t first = figs.size();
    auto add = [&](Figure f) {
      f.experiment = label;
      figs.push_back(std::move(f));
    };
    auto panels = [&](const char* fig, const std::string& knob, bool cache, const std::string& what) {
      auto sets = panel_sets(sub, knob, cache);
      if (sets.empty() && !any)
        add({stem(fmt::format("{}_{}", fig, slug)), label, what + " — experiment " + label, "", false,
             fmt::format("the experiment has no pattern series over {}{}", knob, cache ? " with cache figures" : ""), 0});
      for (const auto& set : sets)
        add(panel_figure(dir, stem(fmt::format("{}_{}_b{}", fig, slug, set.batch)), what + " — experiment " + label, knob,
                         set, cache));
    };
    auto bars = [&](Figure f) {
      if (f.drawn || !any) add(std::move(f));
    };
    const std::string suffix = " — experiment " + label;
    if (ex.kind == "depth" || any) panels("fig1_depth", "depth", false, "Latency per image vs depth");
    if (ex.kind == "width" || any) panels("fig2_width", "width", false, "Latency per image vs width");
    if (ex.kind == "cache" || any) {
      // A cache experiment sweeps depth or width (or both): the figure of each knob it sweeps.
      const bool depth = !panel_sets(sub, "depth", true).empty(), width = !panel_sets(sub, "width", true).empty();
      if (depth || !width) panels("fig3_cache_depth", "depth", true, "Last-level cache misses and latency vs depth");
      if (width) panels("fig4_cache_width", "width", true, "Last-level cache misses and latency vs width");
    }
    if (ex.kind == "zoo" || any) bars(zoo_figure(sub, roles, dir, stem("fig5_zoo_" + slug), suffix));
    if (ex.kind == "ablation" || any) bars(ablation_figure(sub, roles, dir, stem("fig7_ablation_" + slug), suffix));
    if (ex.kind == "isa" || any) bars(isa_figure(sub, dir, stem("fig8_isa_" + slug), suffix));
    if (ex.kind == "peers") {
      auto peers = peers_figures(sub, roles, dir, stem, slug, suffix);
      if (peers.empty())
        add({stem("fig10_peers_" + slug), label, "Engines side by side" + suffix, "", false, "no peers measured", 0});
      for (auto& f : peers) add(std::move(f));
    }
    if (ex.kind == "precision") {
      auto precision = precision_figures(sub, roles, dir, stem, slug, suffix);
      if (precision.empty())
        add({stem("fig11_precision_" + slug), label, "Reduced precision" + suffix, "", false, "no configuration measured", 0});
      for (auto& f : precision) add(std::move(f));
    }
    if (ex.kind == "profile" || any) {
      const auto pairs = profile_comparisons(sub, roles);
      if (pairs.empty() && !any)
        add({stem("fig9_profile_" + slug), label, "Where the time goes" + suffix, "", false,
             "no configuration profiled (profile=1) on both " + roles.native + " and " + roles.accelerated, 0});
      for (const auto& c : pairs)
        bars(profile_figure(c, roles, dir, stem("fig9_profile_" + slug + "_" + file_slug(c.subject)), suffix));
    }
    if (figs.size() == first)
      add({stem("none_" + slug), label, "Experiment " + label, "", false,
           "its rows fit no figure (kind '" + ex.kind + "')", 0});
  }
  figs.push_back(roofline_figure(d, dir));
  return figs;
}

}  // namespace fb::report
