// The panel figures (Fig. 1-4) from stores written through the real store
// code: a panel per pattern the experiment measured, and every cache figure
// says which last level its misses come from (the simulated geometry as
// recorded, or the hardware counters), in its title and its caption.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <fstream>
#include <sstream>

#include "report/figures.h"
#include "report/report.h"
#include "report/store_dir_test.h"
#include "report/synthetic_store.h"

namespace fb::report {
namespace {

using test::slurp;

using test::FakeRow;

// The SVG half of a figure's gnuplot script (the PNG half repeats it).
std::string svg_part(const std::filesystem::path& gp) {
  const std::string s = slurp(gp);
  return s.substr(0, s.find("set terminal pngcairo"));
}

size_t count_lines_starting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.rfind(prefix, 0) == 0;
  return n;
}

std::string line_starting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

const std::pair<std::string, std::string> kCache{"cache", "cache"}, kDepth{"depth", "depth"};

// One cache series over depth: pattern, backend (with isa= if any), preset, geometry.
void add_cache_series(std::vector<FakeRow>& rows, const std::string& pattern, const std::string& backend,
                      const std::string& preset, const std::string& geometry, double misses) {
  for (int depth : {5, 10})
    rows.push_back({.descriptor = fmt::format("pattern:{} depth={} width=32 res=224 backend={} batch=1 threads=2 "
                                              "cache_sim={}", pattern, depth, backend, preset),
                    .ms_per_image = 1.0 * depth + misses / 1e3,
                    .ll_misses = misses * depth,
                    .experiments = {kCache},
                    .ll_geometry = geometry});
}

class PanelFigures : public test::StoreDirTest {
 protected:
  // The figures of the store's one machine, and the one named `stem`.
  Figure draw(const std::string& stem) {
    const Dataset d = load_dataset(db_);
    const BackendRoles roles;
    figures_ = draw_figures(d, analyse(d, roles), roles, dir_ / "figures");
    for (const auto& f : figures_)
      if (f.name == stem) return f;
    ADD_FAILURE() << "no figure " << stem;
    return {};
  }
  std::filesystem::path gp(const std::string& stem) const { return dir_ / "figures" / (stem + ".gp"); }
  std::vector<Figure> figures_;
};

const char* const kCacheFig = "fig3_cache_depth_synthetic-cache_b1";

// The quick study's cache experiment: dw_bottleneck only, simulated as the i5-7600k.
TEST_F(PanelFigures, AOnePatternCacheExperimentDrawsOnePanelLabelledWithTheSimulatedGeometry) {
  std::vector<FakeRow> rows;
  add_cache_series(rows, "dw_bottleneck", "torch", "i5-7600k", "6291456,12,64", 1000);
  add_cache_series(rows, "dw_bottleneck", "onednn isa=avx2", "i5-7600k", "6291456,12,64", 100);
  test::write_fake_store(db_, rows);
  const Figure f = draw(kCacheFig);
  ASSERT_TRUE(f.drawn) << f.missing;
  const std::string script = svg_part(gp(kCacheFig));
  // One panel, no empty "not measured" ones.
  EXPECT_NE(script.find("set multiplot layout 1,1 "), std::string::npos) << script;
  EXPECT_EQ(count_lines_starting(script, "plot "), 1u) << script;
  EXPECT_EQ(script.find("not measured"), std::string::npos) << script;
  EXPECT_NE(script.find("set title 'dw_bottleneck'"), std::string::npos) << script;
  // The geometry in human terms, in the figure's title (drawn) and caption.
  const std::string geometry = "simulated LL: 6 MiB, 12-way, 64 B lines (i5-7600k)";
  EXPECT_NE(line_starting(script, "set multiplot").find(geometry), std::string::npos) << script;
  EXPECT_NE(slurp(dir_ / "figures" / (std::string(kCacheFig) + ".svg")).find(geometry), std::string::npos);
  EXPECT_NE(f.title.find(geometry), std::string::npos) << f.title;
  EXPECT_NE(f.caption.find(geometry), std::string::npos) << f.caption;
}

// Two geometries in one figure (the same fixed knobs): both listed, and each
// series drawn and keyed with its own, never merged or silently dropped.
TEST_F(PanelFigures, TwoSimulatedGeometriesInOneFigureAreListedAndKeyedPerSeries) {
  std::vector<FakeRow> rows;
  add_cache_series(rows, "dw_bottleneck", "torch", "i5-7600k", "6291456,12,64", 1000);
  add_cache_series(rows, "dw_bottleneck", "torch", "host", "33554432,16,64", 500);
  add_cache_series(rows, "dw_bottleneck", "onednn isa=avx2", "host", "33554432,16,64", 100);
  test::write_fake_store(db_, rows);
  const Figure f = draw(kCacheFig);
  ASSERT_TRUE(f.drawn) << f.missing;
  EXPECT_EQ(f.n, rows.size()) << "every row drawn";
  const std::string script = svg_part(gp(kCacheFig));
  const std::string a = "6 MiB, 12-way, 64 B lines (i5-7600k)", b = "32 MiB, 16-way, 64 B lines (host)";
  for (const std::string& text : {f.title, f.caption, line_starting(script, "set multiplot")}) {
    EXPECT_NE(text.find("2 simulated LL geometries"), std::string::npos) << text;
    EXPECT_NE(text.find(a), std::string::npos) << text;
    EXPECT_NE(text.find(b), std::string::npos) << text;
  }
  // The two torch lines share the backend's colour; their shapes differ.
  EXPECT_NE(script.find("pt 4 title 'torch misses, LL 6 MiB/12-way/64 B'"), std::string::npos) << script;
  EXPECT_NE(script.find("pt 6 title 'torch misses, LL 32 MiB/16-way/64 B'"), std::string::npos) << script;
  EXPECT_NE(script.find("title 'onednn avx2 latency, LL 32 MiB/16-way/64 B'"), std::string::npos) << script;
  EXPECT_EQ(f.caption.find("not drawn"), std::string::npos) << f.caption;
}

TEST_F(PanelFigures, MissesFromHardwareCountersSaySo) {
  std::vector<FakeRow> rows;
  for (const char* backend : {"torch", "onednn"})
    for (int depth : {5, 10})
      rows.push_back({.descriptor = fmt::format("pattern:standard depth={} width=32 res=224 backend={} batch=1 threads=2",
                                                depth, backend),
                      .ms_per_image = 1.0 * depth,
                      .experiments = {kCache},
                      .llc_misses_hw = 1000.0 * depth});
  test::write_fake_store(db_, rows);
  const Figure f = draw(kCacheFig);
  ASSERT_TRUE(f.drawn) << f.missing;
  const std::string script = svg_part(gp(kCacheFig));
  for (const std::string& text : {f.title, f.caption, line_starting(script, "set multiplot")}) {
    EXPECT_NE(text.find("hardware LLC counters"), std::string::npos) << text;
    EXPECT_EQ(text.find("simulated"), std::string::npos) << text;
  }
}

// A simulated row whose record does not name its geometry (written by hand,
// or by an older formbench) is not given one: the figure says it is unknown.
TEST_F(PanelFigures, ASimulationWithoutARecordedGeometrySaysSo) {
  std::vector<FakeRow> rows;
  add_cache_series(rows, "dw_bottleneck", "torch", "i5-7600k", "", 1000);
  test::write_fake_store(db_, rows);
  const Figure f = draw(kCacheFig);
  ASSERT_TRUE(f.drawn) << f.missing;
  EXPECT_NE(f.title.find("simulated LL: geometry not recorded (i5-7600k)"), std::string::npos) << f.title;
}

// Fig. 1 has the same one mechanism: a panel per measured pattern, a name
// outside the six patterns included (a store may come from a newer formbench).
TEST_F(PanelFigures, ADepthFigureDrawsAPanelPerMeasuredPatternOnly) {
  std::vector<FakeRow> rows;
  for (const char* p : {"grouped", "standard", "zigzag"})
    for (int depth : {10, 20})
      rows.push_back({.descriptor = fmt::format("pattern:{} depth={} width=32 res=64 backend=torch batch=1 threads=2", p, depth),
                      .ms_per_image = 1.0 * depth,
                      .experiments = {kDepth}});
  test::write_fake_store(db_, rows);
  const std::string stem = "fig1_depth_synthetic-depth_b1";
  ASSERT_TRUE(draw(stem).drawn);
  const std::string script = svg_part(gp(stem));
  EXPECT_NE(script.find("set multiplot layout 1,3 "), std::string::npos) << script;
  EXPECT_EQ(count_lines_starting(script, "plot "), 3u) << script;
  EXPECT_EQ(script.find("not measured"), std::string::npos) << script;
  // The six in the paper's order, then the others by name.
  const size_t standard = script.find("set title 'standard'"), grouped = script.find("set title 'grouped'"),
               zigzag = script.find("set title 'zigzag'");
  ASSERT_NE(zigzag, std::string::npos) << script;
  EXPECT_LT(standard, grouped);
  EXPECT_LT(grouped, zigzag);
}

// The paper preset simulates standard at one depth only: its panel shows
// that point (both backends) rather than nothing; a cache experiment over
// width at one depth draws no depth figure.
TEST_F(PanelFigures, APatternMeasuredAtOneDepthGetsItsPanelWithThatPoint) {
  std::vector<FakeRow> rows;
  add_cache_series(rows, "dw_bottleneck", "torch", "i5-7600k", "6291456,12,64", 1000);
  add_cache_series(rows, "dw_bottleneck", "onednn isa=avx2", "i5-7600k", "6291456,12,64", 10);
  for (const char* backend : {"torch", "onednn isa=avx2"})
    rows.push_back({.descriptor = fmt::format("pattern:standard depth=10 width=32 res=224 backend={} batch=1 threads=2 "
                                              "cache_sim=i5-7600k", backend),
                    .ms_per_image = 5.0,
                    .ll_misses = 2000,
                    .experiments = {kCache},
                    .ll_geometry = "6291456,12,64"});
  test::write_fake_store(db_, rows);
  ASSERT_TRUE(draw(kCacheFig).drawn);
  const std::string script = svg_part(gp(kCacheFig));
  EXPECT_NE(script.find("set multiplot layout 1,2 "), std::string::npos) << script;
  EXPECT_NE(script.find("set title 'standard'"), std::string::npos) << script;
  EXPECT_EQ(script.find("not measured"), std::string::npos) << script;
  for (const auto& f : figures_) EXPECT_EQ(f.name.find("fig4_cache_width"), std::string::npos) << f.name;
}

// A preset name is store text: it reaches the title as a gnuplot literal and
// the page escaped, and never runs.
TEST_F(PanelFigures, AHostilePresetNameIsDrawnAsTextAndNeverRuns) {
  const std::string preset = "`>" + dir_.string() + "/MARKER`it's<b>";
  std::vector<FakeRow> rows;
  add_cache_series(rows, "dw_bottleneck", "torch", preset, "6291456,12,64", 1000);
  test::write_fake_store(db_, rows);
  write_report(db_, dir_ / "out");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "MARKER"));
  const std::string svg = slurp(dir_ / "out" / "figures" / (std::string(kCacheFig) + ".svg"));
  EXPECT_NE(svg.find("6 MiB, 12-way, 64 B lines (`>" + dir_.string() + "/MARKER`it's&lt;b>)"), std::string::npos) << svg;
  const std::string page = slurp(dir_ / "out" / "index.html");
  EXPECT_NE(page.find("(`&gt;" + dir_.string() + "/MARKER`it&#39;s&lt;b&gt;)"), std::string::npos);
  EXPECT_EQ(page.find("it's<b>"), std::string::npos);
}

}  // namespace
}  // namespace fb::report
