#include "measure/step_profile.h"

#include <fmt/core.h>

#include <chrono>
#include <cmath>
#include <map>

#include "common/error.h"

namespace fb {
namespace {

double rate(double amount, double seconds) { return seconds > 0 ? amount / seconds / 1e9 : 0; }

// Groups in first-seen order, each with its steps' medians summed.
std::vector<GroupRow> group_by(const std::vector<StepProfileRow>& rows, double total_s,
                               std::string (*key)(const StepProfileRow&)) {
  std::vector<GroupRow> out;
  std::map<std::string, size_t> at;
  std::vector<double> flops, bytes;
  for (const auto& r : rows) {
    const std::string k = key(r);
    auto [it, fresh] = at.emplace(k, out.size());
    if (fresh) {
      out.push_back({k, 0, 0, 0, 0, 0});
      flops.push_back(0);
      bytes.push_back(0);
    }
    GroupRow& g = out[it->second];
    ++g.steps;
    g.median_s += r.seconds.median;
    flops[it->second] += 2.0 * static_cast<double>(r.record.macs);
    bytes[it->second] += static_cast<double>(r.record.bytes);
  }
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].share = total_s > 0 ? out[i].median_s / total_s : 0;
    out[i].gflops = rate(flops[i], out[i].median_s);
    out[i].gbs = rate(bytes[i], out[i].median_s);
  }
  return out;
}

std::string node_key(const StepProfileRow& r) {
  if (!r.record.covers.empty()) return r.record.covers.front().name;
  return "(reorders)";
}
std::string kind_key(const StepProfileRow& r) { return r.record.op_group; }

nlohmann::json summary_json(const Summary& s) {
  return {{"median_ms", s.median * 1e3}, {"ci95_low_ms", s.ci_low * 1e3}, {"ci95_high_ms", s.ci_high * 1e3},
          {"n", s.n}};
}

nlohmann::json group_json(const std::vector<GroupRow>& gs) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& g : gs)
    a.push_back({{"name", g.name}, {"steps", g.steps}, {"median_ms", g.median_s * 1e3}, {"share", g.share},
                 {"gflops", g.gflops}, {"gbs", g.gbs}});
  return a;
}

}  // namespace

StatsPolicy profile_policy() {
  StatsPolicy p;
  p.min_time_s = 0.5;
  p.budget_s = 10.0;
  return p;
}

std::string roof_bound(double flops, double bytes, const MachineLimits& m) {
  if (bytes <= 0) return "compute";
  double bandwidth = m.bandwidth_gbs;
  std::string level = "memory";
  if (!m.levels.empty()) {
    const MemoryRoof& roof = m.levels[roof_for(bytes, m.levels)];
    bandwidth = roof.bandwidth_gbs;
    level = roof.name;
  }
  return flops / bytes * bandwidth < m.peak_gflops ? level : "compute";
}

StepProfile profile_steps(Executable& exe, const Tensor& input, Tensor& output, const StatsPolicy& policy,
                          const std::optional<MachineLimits>& limits, const std::optional<Summary>& end_to_end) {
  const std::vector<StepRecord>& records = exe.steps();
  if (records.empty()) throw Error("internal: this compiled program keeps no step records to profile");
  std::vector<std::vector<double>> per_step(records.size());
  std::vector<double> whole_runs;
  auto profiled = [&] {
    const std::vector<double> t = exe.run_profiled(input.ptr(), output.ptr());
    if (const auto whole = exe.last_profiled_run_seconds()) whole_runs.push_back(*whole);
    if (t.size() != records.size()) throw Error("internal: the profiled run timed a different number of steps");
    double sum = 0;
    for (size_t i = 0; i < t.size(); ++i) {
      per_step[i].push_back(t[i]);
      sum += t[i];
    }
    return sum;
  };
  sample_until_stable(profiled, policy, [&] {
    for (auto& v : per_step) v.clear();  // warm-up runs do not count
    whole_runs.clear();
  });

  StepProfile p;
  if (!whole_runs.empty()) p.profiled_run_s = summarize(whole_runs, policy.confidence);
  p.machine_known = limits.has_value();
  p.step_timing = exe.step_timing();
  for (size_t i = 0; i < records.size(); ++i) {
    StepProfileRow r;
    r.record = records[i];
    r.seconds = summarize(per_step[i], policy.confidence);
    p.step_sum_s += r.seconds.median;
    const double flops = 2.0 * static_cast<double>(r.record.macs), bytes = static_cast<double>(r.record.bytes);
    r.gflops = rate(flops, r.seconds.median);
    r.gbs = rate(bytes, r.seconds.median);
    r.bound_by = limits ? roof_bound(flops, bytes, *limits) : "unknown";
    p.steps.push_back(std::move(r));
  }
  for (auto& r : p.steps) r.share = p.step_sum_s > 0 ? r.seconds.median / p.step_sum_s : 0;
  p.by_node = group_by(p.steps, p.step_sum_s, node_key);
  p.by_kind = group_by(p.steps, p.step_sum_s, kind_key);

  // The normal run(), timed as `measure` times it (statistics.h).
  using Clock = std::chrono::steady_clock;
  if (end_to_end) {
    p.end_to_end_s = *end_to_end;
    return p;
  }
  p.end_to_end_s = sample_until_stable(
      [&] {
        const auto t0 = Clock::now();
        exe.run(input.ptr(), output.ptr());
        return std::chrono::duration<double>(Clock::now() - t0).count();
      },
      policy);
  return p;
}

nlohmann::json to_json(const StepProfile& p) {
  nlohmann::json steps = nlohmann::json::array();
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const StepProfileRow& r = p.steps[i];
    nlohmann::json covers = nlohmann::json::array();
    for (const auto& c : r.record.covers) covers.push_back({{"node", c.node}, {"name", c.name}, {"how", c.how}});
    steps.push_back({{"index", i},
                     {"kind", r.record.kind},
                     {"op_group", r.record.op_group},
                     {"impl", r.record.impl},
                     {"covers", covers},
                     {"detail", r.record.detail},
                     {"post_ops", r.record.post_ops},
                     {"src_layout", r.record.src_layout},
                     {"weights_layout", r.record.weights_layout},
                     {"dst_layout", r.record.dst_layout},
                     {"src_shape", r.record.src_shape.dims},
                     {"dst_shape", r.record.dst_shape.dims},
                     {"macs", r.record.macs},
                     {"bytes", r.record.bytes},
                     {"time", summary_json(r.seconds)},
                     {"share", r.share},
                     {"gflops", r.gflops},
                     {"gbs", r.gbs},
                     {"bound_by", r.bound_by}});
  }
  const double e2e = p.end_to_end_s.median;
  return {{"model", p.model},
          {"backend", p.backend},
          {"batch", p.batch},
          {"threads", p.threads},
          {"machine_probed", p.machine_known},
          {"steps", steps},
          {"by_node", group_json(p.by_node)},
          {"by_op_kind", group_json(p.by_kind)},
          {"summary",
           {{"step_sum_ms", p.step_sum_s * 1e3},
            {"end_to_end", summary_json(p.end_to_end_s)},
            {"per_step_overhead_ms", (p.step_sum_s - e2e) * 1e3},
            {"step_sum_over_end_to_end", e2e > 0 ? p.step_sum_s / e2e : 0},
            {"profiled_run", p.profiled_run_s ? summary_json(*p.profiled_run_s) : nlohmann::json()},
            {"step_timing", p.step_timing}}}};
}

ProfileSection profile_section(const StepProfile& p) {
  ProfileSection s;
  s.step_sum_ms = p.step_sum_s * 1e3;
  s.end_to_end_ms = p.end_to_end_s.median * 1e3;
  s.steps = static_cast<int64_t>(p.steps.size());
  s.step_timing = p.step_timing;
  auto groups = [](const std::vector<GroupRow>& gs) {
    std::vector<ProfileGroup> out;
    for (const auto& g : gs) out.push_back({g.name, g.steps, g.median_s * 1e3, g.share, g.gflops, g.gbs});
    return out;
  };
  s.by_op_kind = groups(p.by_kind);
  s.by_node = groups(p.by_node);
  return s;
}

std::string render_text(const StepProfile& p) {
  auto ms = [](double s) { return fmt::format("{:.4f}", s * 1e3); };
  std::string t = fmt::format("{}  batch={}  backend={}  threads={}\n\n", p.model, p.batch, p.backend, p.threads);
  t += fmt::format("{:>4}  {:<10} {:<22} {:>10} {:>23} {:>6} {:>8} {:>7}  {:<8} {}\n", "step", "op kind", "implementation",
                   "median ms", "95% CI (ms)", "share", "GFLOP/s", "GB/s", "bound", "covers / what");
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const StepProfileRow& r = p.steps[i];
    std::string what;
    for (const auto& c : r.record.covers) what += (what.empty() ? "" : ", ") + c.name;
    if (what.empty()) what = r.record.detail;
    t += fmt::format("{:>4}  {:<10} {:<22} {:>10} {:>23} {:>5.1f}% {:>8.1f} {:>7.1f}  {:<8} {}\n", i, r.record.op_group,
                     r.record.impl, ms(r.seconds.median), "[" + ms(r.seconds.ci_low) + ", " + ms(r.seconds.ci_high) + "]",
                     100 * r.share, r.gflops, r.gbs, r.bound_by, what);
  }
  auto groups = [&](const char* title, const std::vector<GroupRow>& gs) {
    t += fmt::format("\n{}\n{:<28} {:>5} {:>10} {:>6} {:>8} {:>7}\n", title, "", "steps", "median ms", "share", "GFLOP/s",
                     "GB/s");
    for (const auto& g : gs)
      t += fmt::format("{:<28} {:>5} {:>10} {:>5.1f}% {:>8.1f} {:>7.1f}\n", g.name, g.steps, ms(g.median_s),
                       100 * g.share, g.gflops, g.gbs);
  };
  groups("By op kind:", p.by_kind);
  groups("By graph node (layout and output reorders together as '(reorders)'):", p.by_node);
  const double e2e = p.end_to_end_s.median;
  const double ratio = e2e > 0 ? p.step_sum_s / e2e : 0;
  t += fmt::format(
      "\nSum of step medians {} ms; end-to-end run() median {} ms [{}, {}] (n={}): the steps sum to {:.1f}% of it "
      "(difference {:+.4f} ms). {}\n",
      ms(p.step_sum_s), ms(e2e), ms(p.end_to_end_s.ci_low), ms(p.end_to_end_s.ci_high), p.end_to_end_s.n, 100 * ratio,
      (p.step_sum_s - e2e) * 1e3, p.step_timing);
  if (p.profiled_run_s && e2e > 0)
    t += fmt::format("The profiled runs themselves took {} ms [{}, {}] each, start to end with the profiler on: {:.2f}x "
                     "run()'s time (the profiler's own cost), and the steps sum to {:.1f}% of them.\n",
                     ms(p.profiled_run_s->median), ms(p.profiled_run_s->ci_low), ms(p.profiled_run_s->ci_high),
                     p.profiled_run_s->median / e2e,
                     p.profiled_run_s->median > 0 ? 100 * p.step_sum_s / p.profiled_run_s->median : 0.0);
  if (e2e > 0 && std::abs(ratio - 1) > kStepSumTolerance)
    t += fmt::format("The steps {} {:.0f}% of the end-to-end latency: {}.\n", ratio < 1 ? "miss" : "add",
                     100 * std::abs(ratio - 1),
                     ratio < 1 ? "that much of run()'s time is outside every step (see above), so shares are of the "
                                 "stepped time only"
                               : "the profiled run is that much slower than run() (the profiling mode's own cost: "
                                 "a wait or profiler callbacks at every op), so read the shares, not the absolute "
                                 "times");
  if (!p.machine_known)
    t += "Bounds are 'unknown': no machine limits are cached for this CPU and thread count (run `formbench machine`).\n";
  return t;
}

}  // namespace fb
