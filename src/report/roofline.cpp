#include "report/roofline.h"

#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "report/escape.h"

namespace fb::report {
namespace {

// Filled square, circle, triangle, diamond, pentagon ...: one per level, fastest first.
const int kLevelMarkers[] = {5, 7, 9, 13, 15, 11, 3, 1};
const char* const kRoofDashes[] = {"1", "2", "4", "5", "3", "6", "1", "2"};

std::string bytes_text(double b) {
  if (b >= 1 << 30) return fmt::format("{:.3g} GiB", b / (1 << 30));
  if (b >= 1 << 20) return fmt::format("{:.3g} MiB", b / (1 << 20));
  return fmt::format("{:.3g} KiB", b / 1024);
}

}  // namespace

Figure roofline_figure(const Dataset& d, const std::filesystem::path& dir) {
  Figure f{"fig6_roofline", "", "Roofline (every fp32 measurement of this machine)", "", false, "", 0};
  std::vector<const Measurement*> points;
  double peak = 0, triad = 0;
  std::vector<MemoryRoof> roofs;  // of the first point whose record has the levels
  for (const auto& m : d.ok) {
    if (!m.achieved_gflops || !m.intensity || !m.isa.empty()) continue;
    if (!m.fp32()) continue;  // the compute roof is the fp32 sgemm's; bf16 and int8 have roofs of their own
    if (*m.achieved_gflops <= 0 || *m.intensity <= 0) continue;  // no place on the log-log axes
    if (m.peak_gflops && !peak) peak = *m.peak_gflops;
    if (m.bandwidth_gbs && !triad) triad = *m.bandwidth_gbs;
    if (roofs.empty() && m.working_set_bytes) roofs = m.roofs;
    points.push_back(&m);
  }
  // Records from before the levels were probed: the one DRAM roof they carry.
  const bool levelled = !roofs.empty();
  if (!levelled && triad > 0) roofs = {{"DRAM (triad)", 0, 0, triad}};
  if (points.empty() || peak <= 0 || roofs.empty()) {
    f.missing = "no measurements with roofline figures (run `formbench machine` before the study)";
    return f;
  }
  roofs.resize(std::min(roofs.size(), std::size(kLevelMarkers)));

  // One row per point: intensity, GFLOP/s, level (index into roofs), backend
  // (index), Winograd (0/1). Only numbers: store strings stay out of data.
  std::vector<std::string> backends;
  std::string rows;
  size_t above = 0, above_wino = 0, wino = 0;
  for (const auto* m : points) {
    size_t level = roofs.size() - 1;
    if (levelled && m->working_set_bytes && !m->roofs.empty()) {
      // Against the point's own probe, then by name onto the roofs drawn.
      const std::string& name = m->roofs[roof_for(*m->working_set_bytes, m->roofs)].name;
      for (size_t i = 0; i < roofs.size(); ++i)
        if (roofs[i].name == name) level = i;
    }
    auto b = std::find(backends.begin(), backends.end(), m->backend);
    if (b == backends.end()) b = backends.insert(backends.end(), m->backend);
    const bool w = m->winograd_convs > 0;
    rows += fmt::format("{} {} {} {} {}\n", *m->intensity, *m->achieved_gflops, level, b - backends.begin(), w ? 1 : 0);
    const bool over = *m->achieved_gflops > std::min(peak, *m->intensity * roofs[level].bandwidth_gbs);
    above += over, above_wino += over && w, wino += w;
    ++f.n;
  }
  std::string data = "$pts << EOD\n" + rows + "EOD\n", clause;
  for (size_t l = 0; l < roofs.size(); ++l)
    for (size_t b = 0; b < backends.size(); ++b)
      clause += fmt::format("$pts using 1:(($3=={} && $4=={}) ? $2 : NaN) with points pt {} ps 0.7 lc rgb '{}' notitle, ", l,
                            b, kLevelMarkers[l], color_of(backends[b]));
  if (wino)
    clause += "$pts using 1:($5==1 ? $2 : NaN) with points pt 6 ps 1.6 lw 1.5 lc rgb 'black' "
              "title 'ringed: used Winograd (fewer real FLOPs)', ";
  for (size_t b = 0; b < backends.size(); ++b)
    clause += fmt::format("NaN with points pt 7 lc rgb '{}' title {}, ", color_of(backends[b]), gnuplot_string(backends[b]));
  for (size_t l = 0; l < roofs.size(); ++l) {
    const MemoryRoof& r = roofs[l];
    const std::string fits = r.capacity_bytes ? fmt::format("working set <= {}", bytes_text(static_cast<double>(r.capacity_bytes)))
                                              : (levelled ? "working set beyond the caches" : "every point");
    clause += fmt::format("NaN with points pt {} lc rgb 'black' title {}, ", kLevelMarkers[l],
                          gnuplot_string(fmt::format("{}: {}", r.name, fits)));
    clause += fmt::format("(x*{1} < {0} ? x*{1} : {0}) with lines lw 2 dt {2} lc rgb 'gray30' title {3}, ", peak, r.bandwidth_gbs,
                          kRoofDashes[l], gnuplot_string(fmt::format("{} roof {:.0f} GB/s", r.name, r.bandwidth_gbs)));
  }
  clause.resize(clause.size() - 2);
  std::string body = fmt::format(
      "set title 'Roofline (compute roof: oneDNN sgemm, {:.0f} GFLOP/s)'\n"
      "set logscale xy\nset grid\nset xlabel 'FLOP / byte'\nset ylabel 'GFLOP/s'\nset key outside right top font ',9'\n"
      "set xrange [0.05:1000]\nset samples 400\nplot {}\n",
      peak, clause);
  render_gnuplot(dir, f.name, data, body, 1100, 620);
  f.drawn = true;
  std::string roof_list;
  for (const auto& r : roofs) roof_list += fmt::format("{}{} {:.0f} GB/s", roof_list.empty() ? "" : ", ", r.name, r.bandwidth_gbs);
  f.caption = fmt::format(
      "{} measurements. Roofs from `formbench machine`: {} read bandwidth; the compute roof ({:.0f} GFLOP/s) is the "
      "engine's own oneDNN sgemm, so a point at it runs as fast as oneDNN's GEMM, not at an independent hardware "
      "limit. {}{} points lie above the roof of their level{}.",
      f.n, roof_list, peak,
      levelled ? "Each point is drawn (marker) against the smallest level its working set (weights + peak activations "
                 "of one batch run, cost model) fits in. "
               : "These records predate the per-level probe: one DRAM roof (triad); rerun `formbench machine` and the "
                 "study for cache roofs. ",
      above, wino ? fmt::format(", {} of them ran Winograd convolutions (ringed; {} ringed in all), whose real "
                                "multiplications are fewer than the direct count plotted", above_wino, wino)
                  : "");
  return f;
}

}  // namespace fb::report
