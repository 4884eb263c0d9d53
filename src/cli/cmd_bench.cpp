#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "cli/commands.h"
#include "cli/run_args.h"
#include "cli/number_options.h"
#include "cli/policy_args.h"
#include "backends/backend.h"
#include "common/error.h"
#include "common/json_dump.h"
#include "common/loader_env.h"
#include "measure/child_process.h"
#include "measure/config.h"
#include "measure/precision_accuracy.h"
#include "measure/record.h"
#include "cli/preflight.h"
#include "cli/tuning_store.h"

namespace fb::cli {
namespace {

struct BenchArgs {
  RunArgs run;
  PolicyArgs policy;
  std::string cache_sim;
  std::vector<std::string> env;
  double timeout_s = 900;
  int rounds = 1;
  bool json = false;
  bool allow_loader_env = false;
};

std::vector<MeasureConfig> configs(const BenchArgs& a) {
  std::vector<MeasureConfig> out;
  ModelSpec spec = a.run.model();
  for (int t : a.run.threads_list())
    for (int b : a.run.batches())
      for (const auto& be : a.run.backends())
      for (Precision precision : a.run.precisions()) {
        MeasureConfig c;
        c.precision = precision;
        if (precision == Precision::int8) c.calibration = a.run.calibration();
        c.model = spec;
        c.backend = be;
        c.batch = b;
        c.threads = t;
        c.isa = a.run.isa();
        c.input = a.run.input_path();
        c.cache_sim = a.cache_sim;
        for (const auto& kv : a.env) {
          auto eq = kv.find('=');
          if (eq == std::string::npos || eq == 0) throw UsageError("--env wants NAME=value, got '" + kv + "'");
          c.env.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
        }
        check_measurement_env(c.env, a.allow_loader_env, "--env");
        out.push_back(MeasureConfig::parse(c.str()));  // checks the descriptor before any child runs
        check_fits(out.back());                        // unknown backends, options, memory: here, not in every child
      }
  return out;
}

// Milliseconds with about four significant digits, never in exponent form.
std::string ms(double x) { return fmt::format("{:.{}f}", x, x >= 100 ? 1 : x >= 10 ? 2 : x >= 1 ? 3 : 4); }

// The backend column: with its precision where the table has a reduced one.
bool any_reduced(const std::vector<MeasureConfig>& cs) {
  return std::any_of(cs.begin(), cs.end(), [](const MeasureConfig& c) { return c.precision != Precision::fp32; });
}
std::string label(const MeasureConfig& c, bool with_precision) {
  return with_precision ? c.backend + " " + precision_name(c.precision) : c.backend;
}

// The accuracy columns of a reduced-precision row (record.h AccuracySection),
// or dashes at fp32 and where the comparison did not run (its error after the status).
std::string accuracy_columns(const MeasurementRecord& r, std::string& status) {
  if (!r.accuracy) return fmt::format("{:>10} {:>6} {:>6} {:>10}", "-", "-", "-", "-");
  const AccuracySection& a = *r.accuracy;
  if (!a.error.empty()) {
    status += "; accuracy not measured: " + a.error;
    return fmt::format("{:>10} {:>6} {:>6} {:>10}", "?", "?", "?", "?");
  }
  return fmt::format("{:>10.2e} {:>5.0f}% {:>5.0f}% {:>4.0f}% of {:<3}", a.max_rel, 100 * a.top1, 100 * a.top5,
                     100 * a.confident_top1, a.confident_inputs);
}

// The record's per-image median, or why there is none.
std::optional<double> per_image_median(const Record& rec, std::string& error) {
  try {
    const MeasurementRecord r = rec.get<MeasurementRecord>();  // the record's one reader (measure/record.h)
    if (r.status != "ok") error = r.error;
    else if (!r.per_image_ms || !r.latency_ms) error = "the record has no latency";
    else return r.per_image_ms->median;
  } catch (const UsageError& e) {
    error = e.what();
  }
  return std::nullopt;
}

double median_of(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const size_t n = x.size();
  return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

bool starts_group(const std::vector<MeasureConfig>& cs, size_t i) {
  return i == 0 || cs[i].batch != cs[i - 1].batch || cs[i].threads != cs[i - 1].threads;
}

// --rounds N: every configuration measured once per round, the backends of
// a batch alternating, so a drift of the machine's speed (tens of percent
// within minutes on a VM) lands on all of them alike. A speed-up is the
// median over rounds of the ratio within one round (paired), not the ratio
// of two medians taken minutes apart. rs[round][config].
void print_rounds_table(const std::vector<MeasureConfig>& cs, const std::vector<std::vector<Record>>& rs) {
  const bool reduced = any_reduced(cs);
  fmt::print("{} ({} rounds)\n\n", cs.front().model.str(), rs.size());
  fmt::print("{:>5} {:>7}  {:<18} {:>12} {:>21} {:>9} {:>17}  {}\n", "batch", "threads", "backend", "ms/image",
             "rounds' range", "speed-up", "rounds' range", "status");
  size_t base = 0;
  for (size_t i = 0; i < cs.size(); ++i) {
    if (starts_group(cs, i)) base = i;
    std::vector<double> medians, ratios;
    std::string failed;
    for (size_t round = 0; round < rs.size() && failed.empty(); ++round) {
      std::string error, base_error;
      const auto m = per_image_median(rs[round][i], error);
      if (!m) {
        failed = fmt::format("failed in round {}: {}", round + 1, error);
        continue;
      }
      medians.push_back(*m);
      if (const auto b = per_image_median(rs[round][base], base_error)) ratios.push_back(*b / *m);
    }
    if (!failed.empty()) {
      fmt::print("{:>5} {:>7}  {:<18} {:>12}  {}\n", cs[i].batch, cs[i].threads, label(cs[i], reduced), "-", failed);
      continue;
    }
    const auto [lo, hi] = std::minmax_element(medians.begin(), medians.end());
    std::string speedup = "-", ratio_range;
    if (!ratios.empty()) {
      const auto [rlo, rhi] = std::minmax_element(ratios.begin(), ratios.end());
      speedup = fmt::format("{:.2f}x", median_of(ratios));
      ratio_range = fmt::format("[{:.2f}, {:.2f}]", *rlo, *rhi);
    }
    fmt::print("{:>5} {:>7}  {:<18} {:>12} {:>21} {:>9} {:>17}  {}\n", cs[i].batch, cs[i].threads,
               label(cs[i], reduced), ms(median_of(medians)), fmt::format("[{}, {}]", ms(*lo), ms(*hi)), speedup, ratio_range,
               ratios.size() == rs.size() ? "ok" : fmt::format("speed-up from {} of {} rounds", ratios.size(), rs.size()));
  }
  fmt::print("\nms/image: median over rounds of each round's per-image median; speed-up: median over rounds of the "
             "first backend's / this one's in the same round (same batch and threads)\n");
}

void print_table(const std::vector<MeasureConfig>& cs, const std::vector<Record>& rs) {
  const bool reduced = any_reduced(cs);
  fmt::print("{}\n\n", cs.front().model.str());
  fmt::print("{:>5} {:>7}  {:<18} {:>12} {:>23} {:>9} {:>8} {:>6}  {}{}\n", "batch", "threads",
             reduced ? "backend precision" : "backend", "ms/image", "95% CI of median", "speed-up", "foreign", "n",
             reduced ? fmt::format("{:>10} {:>6} {:>6} {:>10}  ", "max rel", "top-1", "top-5", "confident") : "",
             "status");
  double base = 0;
  for (size_t i = 0; i < cs.size(); ++i) {
    bool first = starts_group(cs, i);
    MeasurementRecord r;
    std::string error;
    try {
      r = rs[i].get<MeasurementRecord>();  // the record's one reader (measure/record.h)
      if (r.status != "ok") error = r.error;
      else if (!r.per_image_ms || !r.latency_ms) error = "the record has no latency";
    } catch (const UsageError& e) {
      error = e.what();
    }
    if (!error.empty()) {
      if (first) base = 0;
      fmt::print("{:>5} {:>7}  {:<18} {:>12}  failed: {}\n", cs[i].batch, cs[i].threads, label(cs[i], reduced), "-",
                 error);
      continue;
    }
    double med = r.per_image_ms->median;
    if (first) base = med;
    std::string speedup = base > 0 ? fmt::format("{:.2f}x", base / med) : "-";
    std::string ci = fmt::format("[{}, {}]", ms(r.per_image_ms->ci95_low), ms(r.per_image_ms->ci95_high));
    std::string status = r.interference;
    if (!r.latency_ms->target_met) status += ", CI target not met";
    const std::string accuracy = reduced ? accuracy_columns(r, status) + "  " : "";
    fmt::print("{:>5} {:>7}  {:<18} {:>12} {:>23} {:>9} {:>7.1f}% {:>6}  {}{}\n", cs[i].batch, cs[i].threads,
               label(cs[i], reduced), ms(med), ci, speedup, r.foreign_cpu_pct.value_or(0), r.latency_ms->n, accuracy,
               status);
  }
  fmt::print("\nspeed-up: per-image median of the first {} / this one, at the same batch and threads\n",
             reduced ? "backend and precision" : "backend");
  if (reduced)
    fmt::print("accuracy against the same backend at fp32, batch 1, on {} seeded inputs: max rel = the largest "
               "|logit - fp32 logit| / max|fp32 logit|; top-1 = inputs whose top class is fp32's; top-5 = inputs "
               "whose top 5 hold fp32's top class; confident = top-1 agreement on the {} inputs with the largest fp32 "
               "top-1 margin (docs/measurement.md, \"Reduced precision\")\n",
               kAccuracyInputs, kConfidentInputs);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Compare backends on one model, each configuration in its own process");
  auto a = std::make_shared<BenchArgs>();
  a->run.add_to(*cmd, {.lists = true, .input = true});
  cmd->add_option("--cache-sim", a->cache_sim, "also simulate caches: host, i5-7600k or SIZE,ASSOC,LINE");
  cmd->add_option("--env", a->env, "NAME=value set in every measuring process (repeatable)");
  cmd->add_flag("--allow-loader-env", a->allow_loader_env,
                "let --env set LD_PRELOAD, LD_LIBRARY_PATH, PATH and the like (docs/measurement.md)");
  add_duration_option(*cmd, "--timeout", a->timeout_s, 1, 7 * 86400, "time before a measuring process is killed");
  cmd->add_option("--rounds", a->rounds,
                  "measure every configuration this many times, the backends alternating; speed-ups are the "
                  "median of each round's paired ratio")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "print the records as a JSON array (with --rounds: one array per round)");
  a->policy.add_to(*cmd);
  cmd->callback([a] {
    std::vector<MeasureConfig> cs = configs(*a);
    ChildOptions opts;
    opts.flags = a->policy.to_flags();
    if (!a->run.tune_cache().empty()) {  // every child shares it: each distinct tuning problem is timed once
      open_tuning_store(a->run.tune_cache());  // a clear error here, not one per child
      opts.flags.insert(opts.flags.end(), {"--tune-cache", std::filesystem::absolute(a->run.tune_cache()).string()});
    }
    opts.timeout_s = a->timeout_s;
    std::vector<std::vector<Record>> rounds(static_cast<size_t>(a->rounds));
    for (size_t round = 0; round < rounds.size(); ++round)
      for (const auto& c : cs) {
        fmt::print(stderr, "measuring {}{}\n", c.str(),
                   rounds.size() > 1 ? fmt::format(" (round {} of {})", round + 1, rounds.size()) : "");
        rounds[round].push_back(run_measure_child(c.str(), opts));
      }
    if (a->json) {
      const nlohmann::json out = rounds.size() == 1 ? nlohmann::json(rounds[0]) : nlohmann::json(rounds);
      fmt::print("{}\n", dump_json(out, 2));
      return;
    }
    if (rounds.size() == 1) print_table(cs, rounds[0]);
    else print_rounds_table(cs, rounds);
  });
}

}  // namespace fb::cli
