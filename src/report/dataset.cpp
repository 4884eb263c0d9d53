// Reading the store: every row of measurements through the store's API, read
// only, grouped by machine, each row checked on its own, so one bad row is
// listed (by id, with the reason) and never stops the report.
#include "report/dataset.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "common/error.h"
#include "study/store.h"

namespace fb::report {
namespace {

std::string machine_words(const study::MachineInfo& m) {
  return fmt::format("{}, {} logical cores, {:.1f} GiB, kernel {}, host {}", m.cpu_model, m.cores,
                     static_cast<double>(m.memory_bytes) / (1024.0 * 1024 * 1024), m.kernel, m.hostname);
}

// Index of `e` in d.experiments, appending it the first time.
size_t experiment_index(Dataset& d, const StoredExperiment& e) {
  for (size_t i = 0; i < d.experiments.size(); ++i) {
    const StoredExperiment& x = d.experiments[i];
    if (x.unassigned == e.unassigned && x.sweep == e.sweep && x.name == e.name) return i;
  }
  d.experiments.push_back(e);
  return d.experiments.size() - 1;
}

}  // namespace

std::string StoredExperiment::label() const { return unassigned ? "unassigned" : sweep + "/" + name; }

size_t Dataset::unassigned_rows() const {
  size_t n = 0;
  for (const auto& m : ok)
    for (size_t e : m.experiments) n += experiments[e].unassigned;
  return n;
}

Dataset Dataset::only(size_t e) const {
  Dataset d;
  d.machine_id = machine_id;
  d.machine = machine;
  d.experiments = {experiments.at(e)};
  for (const auto& m : ok)
    if (std::find(m.experiments.begin(), m.experiments.end(), e) != m.experiments.end()) {
      d.ok.push_back(m);
      d.ok.back().experiments = {0};
    }
  d.failed = failed;
  d.skipped = skipped;
  for (const auto& f : failed_rows)
    if (std::find(f.experiments.begin(), f.experiments.end(), e) != f.experiments.end()) {
      d.failed_rows.push_back(f);
      d.failed_rows.back().experiments = {0};
    }
  d.unreadable = unreadable;
  d.environment = environment;
  d.backend_environment = backend_environment;
  return d;
}

std::vector<Dataset> load_machines(const std::string& db_path) {
  if (!std::filesystem::exists(db_path))
    throw UsageError(db_path + " does not exist; run `formbench study` first to create a results store");
  study::Store store(db_path, study::StoreAccess::read_only);

  std::map<int64_t, StoredExperiment> experiments;
  for (const auto& e : store.experiments()) experiments[e.id] = {e.sweep, e.name, e.kind, false};
  std::map<std::pair<std::string, std::string>, std::vector<int64_t>> member_of;  // (descriptor, machine) -> ids
  for (const auto& mb : store.memberships())
    if (experiments.count(mb.experiment_id)) member_of[{mb.descriptor, mb.machine_id}].push_back(mb.experiment_id);

  std::vector<Dataset> machines;
  std::map<std::string, size_t> by_id;
  auto dataset_of = [&](const std::string& id) -> Dataset& {
    auto [it, fresh] = by_id.emplace(id, machines.size());
    if (fresh) {
      machines.emplace_back().machine_id = id;
      auto info = store.machine(id);
      machines.back().machine = info ? machine_words(*info) : "not in the machines table";
    }
    return machines[it->second];
  };
  for (const auto& info : store.machines()) dataset_of(info.id);  // the table's order
  std::map<std::pair<ptrdiff_t, size_t>, std::vector<int64_t>> failed_of;  // (machine, failed row) -> experiment ids

  store.for_each([&](const study::Measurement& row) {
    Dataset& data = dataset_of(row.machine_id);
    auto unreadable = [&](const std::string& why) { data.unreadable.push_back({row.id, row.descriptor, why}); };
    auto it = member_of.find({row.descriptor, row.machine_id});
    if (row.status == "failed") {
      ++data.failed;
      data.failed_rows.push_back(FailedRow{row.id, row.descriptor, row.error, {}});
      if (it != member_of.end()) failed_of[{&data - machines.data(), data.failed_rows.size() - 1}] = it->second;
    } else if (row.status == "skipped") {
      ++data.skipped;
    }
    if (row.status == "failed" || row.status == "skipped") return;
    if (row.status != "ok") {
      unreadable("unknown status '" + row.status + "' (expected ok, failed or skipped)");
      return;
    }
    auto record = nlohmann::json::parse(row.record_json, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) {
      unreadable("record_json is not valid JSON");
      return;
    }
    try {
      data.ok.push_back(measurement_from_record(row.descriptor, record));
    } catch (const std::exception& e) {
      unreadable(e.what());
      return;
    }
    Measurement& m = data.ok.back();
    m.row_id = row.id;
    m.machine_id = row.machine_id;
    if (it == member_of.end()) {
      m.experiments.push_back(experiment_index(data, {"", "unassigned", "other", true}));
    } else {
      for (int64_t id : it->second) m.experiments.push_back(experiment_index(data, experiments[id]));
    }
    if (record.contains("environment")) {
      if (data.environment.is_null()) data.environment = record["environment"];
      data.backend_environment.emplace(m.backend, record["environment"]);
    }
  });
  // A failed row joins only the experiments its machine's ok rows brought:
  // it adds no figure of its own.
  for (const auto& [at, ids] : failed_of) {
    Dataset& data = machines[at.first];
    for (int64_t id : ids)
      for (size_t e = 0; e < data.experiments.size(); ++e)
        if (!data.experiments[e].unassigned && data.experiments[e].sweep == experiments[id].sweep &&
            data.experiments[e].name == experiments[id].name)
          data.failed_rows[at.second].experiments.push_back(e);
  }
  std::erase_if(machines, [](const Dataset& d) {
    return d.ok.empty() && d.unreadable.empty() && d.failed == 0 && d.skipped == 0;
  });
  return machines;
}

Dataset load_dataset(const std::string& db_path) {
  std::vector<Dataset> machines = load_machines(db_path);
  if (machines.empty()) return {};
  if (machines.size() == 1) return std::move(machines.front());
  std::string ids;
  for (const auto& d : machines) ids += (ids.empty() ? "" : ", ") + d.machine_id;
  throw UsageError(fmt::format("{} holds measurements of {} machines ({}); their latencies cannot be compared with "
                               "each other. Read them one machine at a time (`formbench report` draws one section "
                               "per machine)",
                               db_path, machines.size(), ids));
}

}  // namespace fb::report
