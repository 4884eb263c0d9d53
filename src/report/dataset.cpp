#include "report/dataset.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include "common/error.h"

namespace fb::report {
namespace {

std::optional<double> number_at(const nlohmann::json& j, const char* a, const char* b) {
  if (!j.contains(a) || !j[a].is_object() || !j[a].contains(b) || !j[a][b].is_number()) return std::nullopt;
  return j[a][b].get<double>();
}

std::optional<int64_t> int_field(const Descriptor& d, const char* key) {
  auto v = d.get(key);
  if (!v) return std::nullopt;
  return parse_integer(*v, key);
}

}  // namespace

std::string Measurement::key_without_backend() const { return key_without({"backend"}); }

std::string Measurement::key_without(const std::vector<std::string>& knobs) const {
  Descriptor d = fields;
  for (const auto& k : knobs) d.erase(k);
  return d.str();
}

Measurement measurement_from_record(const std::string& descriptor, const nlohmann::json& r) {
  Measurement m;
  m.descriptor = descriptor;
  m.fields = Descriptor::parse(descriptor);
  m.model = m.fields.head;
  if (m.model.rfind("pattern:", 0) == 0) m.pattern = m.model.substr(8);
  m.backend = m.fields.get("backend").value_or("?");
  m.isa = m.fields.get("isa").value_or("");
  m.batch = int_field(m.fields, "batch").value_or(1);
  m.threads = int_field(m.fields, "threads").value_or(1);
  m.depth = int_field(m.fields, "depth");
  m.width = int_field(m.fields, "width");
  m.res = int_field(m.fields, "res");

  m.per_image_ms = number_at(r, "per_image_ms", "median").value_or(0);
  m.per_image_ci_low = number_at(r, "per_image_ms", "ci95_low").value_or(m.per_image_ms);
  m.per_image_ci_high = number_at(r, "per_image_ms", "ci95_high").value_or(m.per_image_ms);
  m.samples = static_cast<int64_t>(number_at(r, "latency_ms", "n").value_or(0));
  m.flops = number_at(r, "cost", "flops").value_or(0);
  m.ll_misses_sim = number_at(r, "cache_sim", "ll_misses");
  if (r.contains("counters") && r["counters"].is_object() && r["counters"].value("available", false))
    m.llc_misses_hw = number_at(r, "counters", "llc_misses");
  m.achieved_gflops = number_at(r, "roofline", "achieved_gflops");
  m.intensity = number_at(r, "roofline", "intensity");
  m.peak_gflops = number_at(r, "roofline", "peak_gflops");
  m.bandwidth_gbs = number_at(r, "roofline", "bandwidth_gbs");
  if (r.contains("foreign_cpu_pct") && r["foreign_cpu_pct"].is_number()) m.foreign_cpu_pct = r["foreign_cpu_pct"];
  return m;
}

Dataset load_dataset(const std::string& db_path) {
  if (!std::filesystem::exists(db_path))
    throw UsageError(db_path + " does not exist; run `formbench study` first to create a results store");
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    throw UsageError("cannot open " + db_path + ": " + msg);
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  sqlite3_stmt* raw_stmt = nullptr;
  const char* sql = "SELECT descriptor, status, record_json FROM measurements ORDER BY rowid";
  if (sqlite3_prepare_v2(db.get(), sql, -1, &raw_stmt, nullptr) != SQLITE_OK)
    throw UsageError(db_path + " is not a formbench results store (" + sqlite3_errmsg(db.get()) + ")");
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw_stmt, sqlite3_finalize);

  Dataset data;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    auto text = [&](int col) {
      const unsigned char* t = sqlite3_column_text(stmt.get(), col);
      return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
    };
    std::string status = text(1);
    if (status == "failed") ++data.failed;
    if (status == "skipped") ++data.skipped;
    if (status != "ok") continue;
    auto record = nlohmann::json::parse(text(2), nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) {
      ++data.failed;  // a damaged row is counted, not trusted
      continue;
    }
    data.ok.push_back(measurement_from_record(text(0), record));
    if (record.contains("environment")) {
      if (data.environment.is_null()) data.environment = record["environment"];
      data.backend_environment.emplace(data.ok.back().backend, record["environment"]);
    }
  }
  if (rc != SQLITE_DONE) throw Error("reading " + db_path + ": " + sqlite3_errmsg(db.get()));
  return data;
}

}  // namespace fb::report
