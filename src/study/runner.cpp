#include "study/runner.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"
#include "common/json_dump.h"
#include "common/loader_env.h"
#include "common/utf8.h"
#include "measure/cache_sim.h"
#include "measure/record.h"
#include "study/child.h"
#include "study/estimate.h"
#include "study/progress.h"
#include "study/store.h"

namespace fb::study {
namespace {

using nlohmann::json;

std::vector<std::string> measure_command(const RunOptions& o) {
  if (!o.measure_command.empty()) return o.measure_command;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return {ec ? std::string("/proc/self/exe") : self.string(), "measure"};
}

// Empty if every backend is built in, else the reason.
std::string missing_backends(const std::vector<Config>& grid, const RunOptions& o) {
  if (o.known_backends.empty()) return {};
  for (const auto& c : grid) {
    std::string base = c.backend.substr(0, c.backend.find(':'));
    if (std::find(o.known_backends.begin(), o.known_backends.end(), base) == o.known_backends.end()) {
      std::string known;
      for (const auto& b : o.known_backends) known += (known.empty() ? "" : ", ") + b;
      return ("group '" + c.group + "' uses backend '" + base + "', which this formbench was built without (" +
                       "it has: " + known + "); build with it or leave it out of the spec");
    }
  }
  return {};
}

// The last JSON object the measurer printed (libraries may print before it).
std::optional<json> find_record(const std::string& out) {
  json whole = json::parse(out, nullptr, false);
  if (whole.is_object()) return whole;
  for (size_t pos = out.rfind('{'); pos != std::string::npos; pos = pos ? out.rfind('{', pos - 1) : std::string::npos) {
    if (pos != 0 && out[pos - 1] != '\n') continue;
    json j = json::parse(out.substr(pos), nullptr, false);
    if (j.is_object()) return j;
    if (pos == 0) break;
  }
  return std::nullopt;
}

// The child's bytes as one line of valid UTF-8: this is where its output enters the record.
std::string tail_lines(const std::string& s, size_t max_chars) {
  std::string_view v = s;
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
  std::string t = text_tail(v, max_chars);
  std::replace(t.begin(), t.end(), '\n', ' ');
  return t;
}

// Before the store is opened: a spec may not set loader variables unless the user allowed them.
void check_env(const SweepSpec& spec, const RunOptions& o) {
  for (const auto& g : spec.groups)
    check_measurement_env(g.env, o.allow_loader_env, spec.source + ", group '" + g.name + "',");
}

Measurement failed(const Config& c, const std::string& status, const std::string& error, json extra = json::object()) {
  Measurement m;
  m.descriptor = c.descriptor;
  m.status = status;
  m.error = error;
  extra["descriptor"] = c.descriptor;
  extra["status"] = status;
  extra["error"] = error;
  m.record_json = dump_json(extra);
  return m;
}

// Every configuration through the backends' own checks, so a spec that asks
// for something a backend cannot do is refused before the first measurement.
void check_grid(const SweepSpec& spec, const std::vector<Config>& grid, const RunOptions& o) {
  if (!o.check_config) return;
  for (const auto& c : grid) {
    try {
      o.check_config(c);
    } catch (const UsageError& e) {
      throw UsageError(spec.source + ": group '" + c.group + "': " + c.descriptor + ": " + e.what());
    }
  }
}

// Every configuration of this runner's shard, stored already or not, joins
// its experiments, so a row measured by an earlier sweep is linked too.
void link_experiments(Store& store, const SweepSpec& spec, const std::vector<Config>& shard,
                      const std::string& machine_id) {
  Transaction t(store.db());
  for (const auto& [name, kind] : spec_experiments(spec)) {
    std::vector<std::string> members;
    for (const auto& c : shard)
      if (std::find(c.experiments.begin(), c.experiments.end(), name) != c.experiments.end())
        members.push_back(c.descriptor);
    store.link(store.add_experiment(spec.name, name, kind), members, machine_id);
  }
  t.commit();
}

struct Planned {
  std::vector<Config> grid, shard, todo;
  int64_t already = 0;
};

Planned plan(const SweepSpec& spec, const RunOptions& o, const std::map<std::string, std::string>& stored) {
  Planned p;
  p.grid = expand(spec, this_machine().cores);
  p.shard = o.shard ? select_shard(p.grid, *o.shard) : p.grid;
  for (const auto& c : p.shard) {
    auto it = stored.find(c.descriptor);
    bool skip = it != stored.end() && (it->second == "ok" || !o.retry_failed);
    if (skip) ++p.already;
    else p.todo.push_back(c);
  }
  return p;
}

}  // namespace

Measurement measure_config(const Config& c, const std::vector<std::string>& command, const MeasurePolicy& policy) {
  std::vector<std::string> argv = command;
  argv.insert(argv.end(), policy.args.begin(), policy.args.end());
  argv.push_back(c.descriptor);
  const std::string started = utc_now();
  ChildResult r = run_child(argv, policy.timeout_s);
  json info = {{"exit", r.describe()}, {"seconds", r.seconds}, {"stderr_tail", tail_lines(r.err, 2000)}};
  Measurement m;
  std::optional<json> rec = r.timed_out ? std::nullopt : find_record(r.out);
  if (!rec) {
    std::string why = r.timed_out ? "measure " + r.describe()
                      : r.exited_cleanly() ? "measure printed no JSON record (stdout: '" + tail_lines(r.out, 200) + "')"
                                           : "measure failed with " + r.describe();
    if (!r.err.empty()) why += "; stderr: " + tail_lines(r.err, 300);
    m = failed(c, "failed", why, info);
  } else {
    const std::string status = rec->value("status", "");
    std::string unreadable;  // an ok record whose typed fields do not read back (measure/record.h)
    try {
      if (status == "ok" && !rec->get<MeasurementRecord>().per_image_ms) unreadable = "it has no per_image_ms.median";
    } catch (const UsageError& e) {
      unreadable = e.what();
    }
    if (status == "ok" && r.exited_cleanly() && unreadable.empty()) {
      m.descriptor = c.descriptor;
      m.status = "ok";
      m.record_json = dump_json(*rec);
    } else {
      std::string why = rec->contains("error") && (*rec)["error"].is_string() ? (*rec)["error"].get<std::string>() : "";
      if (why.empty() && status == "ok" && !unreadable.empty()) why = "measure printed an ok record that is not one: " + unreadable;
      if (why.empty()) why = status == "ok" ? "measure printed an ok record but ended with " + r.describe()
                                            : "measure reported status '" + status + "' without an error";
      m.descriptor = c.descriptor;
      m.status = "failed";
      m.error = why;
      (*rec)["status"] = "failed";
      (*rec)["error"] = why;
      (*rec)["runner"] = info;
      m.record_json = dump_json(*rec);
    }
  }
  m.started_at = started;
  m.finished_at = utc_now();
  return m;
}

RunSummary run_sweep(const SweepSpec& spec, const RunOptions& o) {
  std::ostream& log = o.log ? *o.log : std::cerr;
  const bool tty = o.tty.value_or(o.log == nullptr && isatty(2));
  check_env(spec, o);
  const MachineInfo machine = this_machine();
  const std::string since = utc_now();  // rows finished from now on were measured by a concurrent runner
  Store store(o.db_path, o.init_empty ? StoreAccess::create_over_empty : StoreAccess::create);
  store.add_machine(machine);
  Planned p = plan(spec, o, store.statuses(machine.id));
  if (std::string why = missing_backends(p.grid, o); !why.empty()) throw UsageError(why);
  check_grid(spec, p.grid, o);

  RunSummary sum;
  sum.grid = static_cast<int64_t>(p.grid.size());
  sum.in_shard = static_cast<int64_t>(p.shard.size());
  sum.already_stored = p.already;

  CostCache costs;
  std::vector<double> est;
  double est_total = 0;
  for (const auto& c : p.todo) est_total += est.emplace_back(estimate_seconds(c, costs.of(c), spec.measure));

  log << fmt::format("study {}: {} configurations{}, {} already stored for machine {}, {} to measure "
                     "(estimated {}) into {}\n",
                     spec.name, sum.grid, o.shard ? fmt::format(", {} in shard {}", sum.in_shard, o.shard->str()) : "",
                     sum.already_stored, machine.id, p.todo.size(), format_seconds(est_total), o.db_path);
  const int64_t sweep = store.begin_sweep({0, spec.name, spec.source, machine.id, o.shard ? o.shard->str() : "",
                                           o.command_line, "", "", "", sum.grid});
  link_experiments(store, spec, p.shard, machine.id);
  // Every child shares the store's tuning table, so the sweep times each
  // distinct tuning problem once on this machine.
  std::vector<std::string> command = measure_command(o);
  command.insert(command.end(), {"--tune-cache", std::filesystem::absolute(o.db_path).string()});
  Progress progress(log, tty, static_cast<int64_t>(p.todo.size()), est_total);
  for (size_t i = 0; i < p.todo.size(); ++i) {
    const Config& c = p.todo[i];
    if (o.max_time_s > 0 && progress.elapsed_s() >= o.max_time_s) {
      sum.left = static_cast<int64_t>(p.todo.size() - i);
      break;
    }
    // Another runner on this store may have it: a claim lapses with its
    // runner, or after the longest a measurement may take (plus a margin).
    const double lease = std::min(spec.measure.timeout_s, 86400.0);
    const auto claim = store.claim(c.descriptor, machine.id, since, o.retry_failed,
                                   static_cast<int64_t>(lease > 0 ? lease : 86400.0) + 300);
    if (claim != Store::Claim::taken) {
      ++sum.by_others;
      progress.finished(c.descriptor, "taken",
                        claim == Store::Claim::held_by_another ? "being measured by another runner on this store"
                                                               : "stored by another runner on this store",
                        est[i]);
      continue;
    }
    progress.starting(c.descriptor);
    const ConfigCost cost = costs.of(c);
    const MemoryEstimate need = o.estimate_memory ? o.estimate_memory(c, cost) : conservative_memory(c, cost);
    const int64_t avail = o.mem_available.value_or(mem_available_bytes());
    Measurement m;
    std::string detail;
    if (std::string why = memory_refusal(need, avail); !why.empty()) {
      m = failed(c, "skipped", why, {{"estimated_peak_bytes", need.bytes}, {"mem_available_bytes", avail}});
      m.started_at = m.finished_at = utc_now();
      detail = m.error;
    } else {
      m = measure_config(c, command, spec.measure);
      if (m.status == "ok") {
        detail = fmt::format("{:.3f} ms/image", parse_record(m.record_json).per_image_ms->median);  // checked above
      } else {
        detail = m.error;
      }
    }
    m.machine_id = machine.id;
    m.sweep_id = sweep;
    store.put(m);
    (m.status == "ok" ? sum.ok : m.status == "failed" ? sum.failed : sum.skipped)++;
    progress.finished(c.descriptor, m.status, detail, est[i]);
  }
  std::string outcome = sum.left ? "stopped by --max-time" : "complete";
  store.release_claims();
  store.end_sweep(sweep, outcome);
  progress.message(fmt::format("study {}: {} measured ok, {} failed, {} skipped by the memory pre-flight in {}{}",
                               spec.name, sum.ok, sum.failed, sum.skipped, format_seconds(progress.elapsed_s()),
                               sum.by_others ? fmt::format("; {} left to another runner on this store", sum.by_others)
                                             : std::string()));
  if (sum.left)
    progress.message(fmt::format("stopped by --max-time {}: {} configurations left; run the same command again to "
                                 "resume where it stopped",
                                 format_seconds(o.max_time_s), sum.left));
  return sum;
}

std::string dry_run(const SweepSpec& spec, const RunOptions& o) {
  check_env(spec, o);
  const MachineInfo machine = this_machine();
  std::map<std::string, std::string> stored;
  std::error_code ec;
  const bool empty_file = std::filesystem::is_regular_file(o.db_path, ec) && std::filesystem::file_size(o.db_path, ec) == 0;
  if (std::filesystem::exists(o.db_path, ec) && !(empty_file && o.init_empty))
    stored = Store(o.db_path, StoreAccess::read_only).statuses(machine.id);
  Planned p = plan(spec, o, stored);
  CostCache costs;
  std::string out;
  if (std::string why = missing_backends(p.grid, o); !why.empty()) out += "note: a real run would stop here: " + why + "\n";
  else check_grid(spec, p.grid, o);
  double total = 0;
  std::map<std::string, std::pair<int64_t, double>> per_group;
  std::set<std::string> todo;
  for (const auto& c : p.todo) todo.insert(c.descriptor);
  for (const auto& c : p.shard) {
    const ConfigCost cost = costs.of(c);
    const double s = estimate_seconds(c, cost, spec.measure);
    const bool runs = todo.count(c.descriptor) > 0;
    out += fmt::format("{:>8}  {:>9.2f} GFLOP  {}{}\n", format_seconds(s), 2.0 * cost.macs / 1e9, c.descriptor,
                       runs ? "" : "  (stored)");
    if (!runs) continue;
    total += s;
    auto& g = per_group[c.group];
    ++g.first;
    g.second += s;
  }
  out += fmt::format("\nstudy {} ({}): {} configurations", spec.name, spec.source, p.grid.size());
  if (o.shard) out += fmt::format(", {} in shard {}", p.shard.size(), o.shard->str());
  out += fmt::format("; {} already stored in {}; {} to measure\n", p.already, o.db_path, p.todo.size());
  std::set<std::string> listed;  // groups sharing a name (a cache experiment's native and accelerated) are one line
  for (const auto& g : spec.groups)
    if (auto it = per_group.find(g.name); it != per_group.end() && listed.insert(g.name).second)
      out += fmt::format("  {:<12} {:>5} configurations  ~{}\n", g.name, it->second.first,
                         format_seconds(it->second.second));
  out += fmt::format("estimated time: {} on this machine ({} cores)\n", format_seconds(total), machine.cores);
  out += fmt::format(
      "assumes per thread: onednn {} GFLOP/s, torch {} GFLOP/s, torch-jit {} GFLOP/s, ort {} GFLOP/s, opencv {} "
      "GFLOP/s (FLOPs = 2 x MACs); per "
      "measurement: start-up + 3 warm-up runs + max({} runs, {:.1f} s); cache-simulated ones add valgrind's start-up "
      "and {} runs under callgrind at onednn {} GFLOP/s, torch {} GFLOP/s\n",
      assumption_for("onednn").gflops_per_thread, assumption_for("torch").gflops_per_thread,
      assumption_for("torch-jit").gflops_per_thread, assumption_for("ort").gflops_per_thread,
      assumption_for("opencv").gflops_per_thread, spec.measure.min_runs, spec.measure.min_time_s, 1 + kCacheSimRuns,
      assumption_for("onednn").simulated_gflops, assumption_for("torch").simulated_gflops);
  return out;
}

}  // namespace fb::study
