#include <fmt/core.h>

#include <map>

#include "common/error.h"
#include "study/store.h"

namespace fb::study {

MergeSummary merge_into(Store& out, const std::string& input_path,
                        const std::function<void(const std::string&)>& note) {
  Store in(input_path, /*create=*/false);
  MergeSummary sum;

  auto machines = in.db().prepare("SELECT id FROM machines");
  while (machines.step())
    if (auto m = in.machine(machines.text(0))) out.add_machine(*m);

  std::map<int64_t, int64_t> sweep_ids;  // input id -> output id
  for (const SweepRow& s : in.sweeps()) {
    int64_t id = out.begin_sweep(s);
    out.db().prepare("UPDATE sweeps SET finished_at = ? WHERE id = ?").bind(1, s.finished_at).bind(2, id).run();
    sweep_ids[s.id] = id;
  }

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
  return sum;
}

}  // namespace fb::study
