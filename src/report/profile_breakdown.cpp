#include "report/profile_breakdown.h"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "report/escape.h"

namespace fb::report {
namespace {

// The knobs a comparison holds, in words.
std::string fixed_words(const Measurement& m) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : ", ") + s; };
  if (m.depth) add(fmt::format("depth {}", *m.depth));
  if (m.width) add(fmt::format("width {}", *m.width));
  if (m.res) add(fmt::format("res {}", *m.res));
  add(fmt::format("batch {}", m.batch));
  add(fmt::format("{} thread{}", m.threads, m.threads == 1 ? "" : "s"));
  return out;
}

// Colours of the op kinds (the same kind, the same colour in every figure).
std::string kind_color(const std::string& kind) {
  static const std::map<std::string, std::string> fixed = {
      {"conv 1x1", "#1f78b4"}, {"conv 3x3", "#33a02c"}, {"conv other", "#b2df8a"}, {"depthwise", "#e31a1c"},
      {"pooling", "#fdbf6f"},  {"BN", "#6a3d9a"},       {"eltwise", "#ff7f00"},    {"reorder", "#a6cee3"},
      {"other", "#999999"}};
  if (auto it = fixed.find(kind); it != fixed.end()) return it->second;
  return color_of(kind);
}

std::string ms(double x) { return fmt::format("{:.3g} ms", x); }

}  // namespace

const std::vector<std::string>& profile_kinds() {
  static const std::vector<std::string> k = {"conv 1x1", "conv 3x3", "conv other", "depthwise", "pooling",
                                             "BN",       "eltwise",  "reorder",    "other"};
  return k;
}

std::vector<ProfileComparison> profile_comparisons(const Dataset& d, const BackendRoles& roles) {
  std::vector<ProfileComparison> out;
  for (const SpeedupPair& p : speedup_pairs(d, roles)) {
    if (!p.native->profile || !p.accelerated->profile) continue;
    ProfileComparison c;
    c.native = p.native;
    c.accelerated = p.accelerated;
    c.subject = p.native->pattern.empty() ? p.native->model : p.native->pattern;
    c.fixed = fixed_words(*p.native);
    auto collect = [&](const Measurement& m, std::map<std::string, double>& into, double& total) {
      const double batch = static_cast<double>(m.batch);
      for (const ProfileGroup& g : m.profile->by_op_kind) into[g.name] += g.median_ms / batch;
      total = m.profile->step_sum_ms / batch;
    };
    collect(*p.native, c.native_ms, c.native_total_ms);
    collect(*p.accelerated, c.accelerated_ms, c.accelerated_total_ms);
    for (const auto& k : profile_kinds())
      if (c.native_ms.count(k) || c.accelerated_ms.count(k)) c.kinds.push_back(k);
    std::set<std::string> others;  // a store from a newer formbench may know more kinds
    for (const auto* side : {&c.native_ms, &c.accelerated_ms})
      for (const auto& [k, v] : *side)
        if (std::find(profile_kinds().begin(), profile_kinds().end(), k) == profile_kinds().end()) others.insert(k);
    c.kinds.insert(c.kinds.end(), others.begin(), others.end());
    out.push_back(std::move(c));
  }
  return out;
}

SpeedupSource main_speedup_source(const ProfileComparison& c) {
  const double saving = c.native_total_ms - c.accelerated_total_ms;
  SpeedupSource best;
  bool first = true;
  for (const auto& k : c.kinds) {
    const double n = c.native_ms.count(k) ? c.native_ms.at(k) : 0, a = c.accelerated_ms.count(k) ? c.accelerated_ms.at(k) : 0;
    const double saved = n - a;
    // Faster: the kind that saved most; not faster: the kind that lost most.
    if (first || (saving > 0 ? saved > best.saved_ms : saved < best.saved_ms)) best = {k, saved, 0};
    first = false;
  }
  if (saving > 0) best.share_of_saving = best.saved_ms / saving;
  return best;
}

Finding profile_finding(const ProfileComparison& c, const BackendRoles& roles) {
  Finding f;
  f.title = fmt::format("Where the speed-up comes from: {} ({})", c.subject, c.fixed);
  f.n = 2;
  const SpeedupSource s = main_speedup_source(c);
  auto at = [](const std::map<std::string, double>& m, const std::string& k) { return m.count(k) ? m.at(k) : 0.0; };
  const std::string sums = fmt::format("{} vs {} per image in the profiled steps", ms(c.native_total_ms), ms(c.accelerated_total_ms));
  if (s.kind.empty()) {
    f.value = "the profiles have no op kinds (" + sums + ")";
  } else if (c.native_total_ms > c.accelerated_total_ms && c.accelerated_total_ms > 0) {
    f.value = fmt::format("{} is {:.2f}x faster than {} ({}); {} accounts for {:.0f} % of the time saved ({} on {}, {} on {})",
                          roles.accelerated, c.native_total_ms / c.accelerated_total_ms, roles.native, sums, s.kind,
                          100 * s.share_of_saving, ms(at(c.native_ms, s.kind)), roles.native,
                          ms(at(c.accelerated_ms, s.kind)), roles.accelerated);
  } else {
    f.value = fmt::format("{} is not faster than {} ({}); {} grew most ({} on {}, {} on {})", roles.accelerated,
                          roles.native, sums, s.kind, ms(at(c.native_ms, s.kind)), roles.native,
                          ms(at(c.accelerated_ms, s.kind)), roles.accelerated);
  }
  return f;
}

Figure profile_figure(const ProfileComparison& c, const BackendRoles& roles, const std::filesystem::path& dir,
                      const std::string& name, const std::string& suffix) {
  const std::vector<std::string> title_lines = {"Where the time goes: " + c.subject + " (" + c.fixed + ")" + suffix,
                                                profile_finding(c, roles).value};
  Figure f{name, "", title_lines.front(), "", false, "", 2};
  const std::map<std::string, double>* sides[] = {&c.native_ms, &c.accelerated_ms};
  std::string data, plot;
  double bottom[2] = {0, 0};
  for (size_t k = 0; k < c.kinds.size(); ++k) {
    const std::string id = fmt::format("$k{}", k);
    data += id + " << EOD\n";
    for (int side = 0; side < 2; ++side) {
      auto it = sides[side]->find(c.kinds[k]);
      const double v = it == sides[side]->end() ? 0 : it->second;
      data += fmt::format("{} {} {}\n", side, bottom[side], bottom[side] + v);
      bottom[side] += v;
    }
    data += "EOD\n";
    plot += fmt::format("{}{} using 1:(($2+$3)/2):($1-0.3):($1+0.3):2:3 with boxxyerror fs solid 0.85 border -1 "
                        "lc rgb '{}' title {}",
                        plot.empty() ? "" : ", ", id, kind_color(c.kinds[k]), gnuplot_string(c.kinds[k]));
  }
  const double top = std::max(bottom[0], bottom[1]);
  if (c.kinds.empty() || !(top > 0) || !std::isfinite(top)) {
    f.missing = "the profiles hold no time";
    f.n = 0;
    return f;
  }
  std::string body = fmt::format("set title {} font ',11'\n", gnuplot_lines(title_lines));
  body += "set ylabel 'ms / image (sum of step medians)'\nset grid ytics\nset key outside right top\n";
  body += fmt::format("set xrange [-0.6:1.6]\nset yrange [0:{}]\n", top * 1.15);
  body += fmt::format("set xtics ({} 0, {} 1)\n", gnuplot_string(roles.native), gnuplot_string(roles.accelerated));
  for (int side = 0; side < 2; ++side)
    body += fmt::format("set label {} {} at {},{} center\n", side + 1, gnuplot_string(ms(bottom[side])), side,
                        bottom[side] + top * 0.04);
  body += "plot " + plot + "\n";
  render_gnuplot(dir, name, data, body, 820, 520);
  f.drawn = true;
  const auto pct = [](const Measurement& m) {
    return m.profile->end_to_end_ms > 0 ? 100 * m.profile->step_sum_ms / m.profile->end_to_end_ms : 0.0;
  };
  f.caption = fmt::format(
      "Stacked step medians by op kind, per image; the steps sum to {:.0f} % ({}) and {:.0f} % ({}) of the "
      "end-to-end latency measured in the same process.",
      pct(*c.native), roles.native, pct(*c.accelerated), roles.accelerated);
  return f;
}

}  // namespace fb::report
