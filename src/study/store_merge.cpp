#include <fmt/core.h>

#include <filesystem>
#include <map>

#include "common/error.h"
#include "common/paths.h"
#include "study/store.h"

namespace fb::study {
namespace {

// The output's id for an input sweep: the row with the same natural key, or
// a new copy of it.
int64_t sweep_in(Store& out, const SweepRow& s) {
  auto q = out.db().prepare("SELECT id FROM sweeps WHERE machine_id IS ? AND name = ? AND shard IS ? AND started_at IS ?");
  q.bind(1, s.machine_id).bind(2, s.name).bind(3, s.shard).bind(4, s.started_at);
  if (q.step()) {
    const int64_t id = q.integer(0);
    // A copy merged while the sweep still ran learns how it ended.
    if (!s.finished_at.empty())
      out.db().prepare("UPDATE sweeps SET finished_at = ?, outcome = ? WHERE id = ? AND (finished_at IS NULL OR finished_at < ?)")
          .bind(1, s.finished_at).bind(2, s.outcome).bind(3, id).bind(4, s.finished_at)
          .run();
    return id;
  }
  const int64_t id = out.begin_sweep(s);
  out.db().prepare("UPDATE sweeps SET finished_at = ? WHERE id = ?").bind(1, s.finished_at).bind(2, id).run();
  return id;
}

int64_t experiment_in(Store& out, const ExperimentRow& e) {
  out.db().prepare("INSERT OR IGNORE INTO experiments (sweep, name, kind) VALUES (?, ?, ?)")
      .bind(1, e.sweep).bind(2, e.name).bind(3, e.kind)
      .run();
  auto q = out.db().prepare("SELECT id FROM experiments WHERE sweep = ? AND name = ?");
  q.bind(1, e.sweep).bind(2, e.name);
  q.step();
  return q.integer(0);
}

// The input's tuning timings the output does not have (schema 4 on; an
// older input has none). The output's own timing of a key wins: the
// decisions its later sweeps make stay the ones they made before. Rows no
// tuner could have written are left behind, as Store::tuning ignores them.
int64_t merge_tuning(Store& out, Store& in) {
  auto has = in.db().prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tuning'");
  if (!has.step()) return 0;
  int64_t copied = 0;
  auto rows = in.db().prepare("SELECT machine_id, key, recorded_at FROM tuning");
  while (rows.step()) {
    const std::string machine = rows.text(0), key = rows.text(1), recorded = rows.text(2);
    const std::optional<double> ms = in.tuning(machine, key);  // the reader's checks: a usable timing only
    if (!ms || out.tuning(machine, key)) continue;
    out.db().prepare("INSERT INTO tuning (machine_id, key, ms, recorded_at) VALUES (?, ?, ?, ?)")
        .bind(1, machine).bind(2, key).bind(3, *ms).bind(4, recorded)
        .run();
    ++copied;
  }
  return copied;
}

}  // namespace

MergeSummary merge_into(Store& out, const std::string& input_path,
                        const std::function<void(const std::string&)>& note) {
  Store in(input_path, StoreAccess::read_only);
  MergeSummary sum;
  Transaction t(out.db());  // nothing of this input lands unless all of it does

  auto machines = in.db().prepare("SELECT id FROM machines");
  while (machines.step())
    if (auto m = in.machine(machines.text(0))) out.add_machine(*m);

  std::map<int64_t, int64_t> sweep_ids;  // input id -> output id
  for (const SweepRow& s : in.sweeps()) sweep_ids[s.id] = sweep_in(out, s);

  // Experiments by (sweep, name), the first kind kept; memberships as a set:
  // merging an input again adds nothing.
  std::map<int64_t, int64_t> experiment_ids;
  for (const ExperimentRow& e : in.experiments()) experiment_ids[e.id] = experiment_in(out, e);
  for (const Membership& mb : in.memberships())
    if (auto it = experiment_ids.find(mb.experiment_id); it != experiment_ids.end())
      out.link(it->second, {mb.descriptor}, mb.machine_id);

  sum.tuning = merge_tuning(out, in);

  in.for_each([&](const Measurement& incoming) {
    Measurement m = incoming;
    if (m.sweep_id) {
      auto it = sweep_ids.find(*m.sweep_id);
      m.sweep_id = it == sweep_ids.end() ? std::nullopt : std::optional<int64_t>(it->second);
    }
    auto have = out.get(m.descriptor, m.machine_id);
    if (!have) {
      out.put(m);
      ++sum.inserted;
      return;
    }
    const bool new_ok = m.status == "ok", old_ok = have->status == "ok";
    bool take = false;
    if (new_ok != old_ok) {
      take = new_ok;  // a success beats a failure or a skip, whatever its age
    } else {
      take = m.finished_at > have->finished_at;
      if (new_ok && m.record_json != have->record_json) {
        ++sum.conflicts;
        const Measurement& newer = take ? m : *have;
        note(fmt::format("conflict: '{}' on machine {} is stored ok in both; kept the newer (finished {})",
                         m.descriptor, m.machine_id, newer.finished_at));
      }
    }
    if (take) {
      out.put(m);
      ++sum.replaced;
    } else {
      ++sum.kept;
    }
  });
  t.commit();
  return sum;
}

MergeResult merge_stores(const std::string& output, const std::vector<std::string>& inputs,
                         const std::function<void(const std::string&)>& note) {
  require_path(output, "the merge output (-o)");
  std::vector<std::filesystem::path> in_paths;
  for (const auto& in : inputs) {
    require_path(in, "a merge input");
    if (!std::filesystem::exists(in)) throw UsageError("no such store: " + in);
    in_paths.emplace_back(in);
  }
  refuse_output_over_input(output, in_paths);
  for (const auto& in : inputs) Store check(in, StoreAccess::read_only);  // every input is a store, before any work

  const bool fresh = !std::filesystem::exists(output);
  const std::string target = fresh ? build_new_store_file(output) : output;
  MergeResult r;
  try {
    Store out(target, StoreAccess::read_write);
    Transaction t(out.db());
    for (const auto& in : inputs) r.inputs.emplace_back(in, merge_into(out, in, note));
    t.commit();
    r.total = out.count();
    r.ok = out.count("ok");
    r.failed = out.count("failed");
    r.skipped = out.count("skipped");
  } catch (...) {
    if (fresh) remove_store_file(target);
    throw;
  }
  if (fresh && !publish_new_store(target, output, /*replace=*/false))
    throw Error(output + " was created by someone else while merging; the merge was not written. Run it again");
  return r;
}

}  // namespace fb::study
