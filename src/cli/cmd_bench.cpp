#include <fmt/core.h>

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
#include "measure/record.h"
#include "cli/preflight.h"

namespace fb::cli {
namespace {

struct BenchArgs {
  RunArgs run;
  PolicyArgs policy;
  std::string cache_sim;
  std::vector<std::string> env;
  double timeout_s = 900;
  bool json = false;
  bool allow_loader_env = false;
};

std::vector<MeasureConfig> configs(const BenchArgs& a) {
  std::vector<MeasureConfig> out;
  ModelSpec spec = a.run.model();
  for (int t : a.run.threads_list())
    for (int b : a.run.batches())
      for (const auto& be : a.run.backends()) {
        MeasureConfig c;
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

void print_table(const std::vector<MeasureConfig>& cs, const std::vector<Record>& rs) {
  fmt::print("{}\n\n", cs.front().model.str());
  fmt::print("{:>5} {:>7}  {:<18} {:>12} {:>23} {:>9} {:>8} {:>6}  {}\n", "batch", "threads", "backend",
             "ms/image", "95% CI of median", "speed-up", "foreign", "n", "status");
  double base = 0;
  for (size_t i = 0; i < cs.size(); ++i) {
    bool first = i == 0 || cs[i].batch != cs[i - 1].batch || cs[i].threads != cs[i - 1].threads;
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
      fmt::print("{:>5} {:>7}  {:<18} {:>12}  failed: {}\n", cs[i].batch, cs[i].threads, cs[i].backend, "-", error);
      continue;
    }
    double med = r.per_image_ms->median;
    if (first) base = med;
    std::string speedup = base > 0 ? fmt::format("{:.2f}x", base / med) : "-";
    std::string ci = fmt::format("[{}, {}]", ms(r.per_image_ms->ci95_low), ms(r.per_image_ms->ci95_high));
    std::string status = r.interference;
    if (!r.latency_ms->target_met) status += ", CI target not met";
    fmt::print("{:>5} {:>7}  {:<18} {:>12} {:>23} {:>9} {:>7.1f}% {:>6}  {}\n", cs[i].batch, cs[i].threads,
               cs[i].backend, ms(med), ci, speedup, r.foreign_cpu_pct.value_or(0), r.latency_ms->n, status);
  }
  fmt::print("\nspeed-up: per-image median of the first backend / this one, at the same batch and threads\n");
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
  cmd->add_flag("--json", a->json, "print the records as a JSON array");
  a->policy.add_to(*cmd);
  cmd->callback([a] {
    std::vector<MeasureConfig> cs = configs(*a);
    ChildOptions opts;
    opts.flags = a->policy.to_flags();
    opts.timeout_s = a->timeout_s;
    std::vector<Record> rs;
    for (const auto& c : cs) {
      fmt::print(stderr, "measuring {}\n", c.str());
      rs.push_back(run_measure_child(c.str(), opts));
    }
    if (a->json) {
      fmt::print("{}\n", dump_json(nlohmann::json(rs), 2));
      return;
    }
    print_table(cs, rs);
  });
}

}  // namespace fb::cli
