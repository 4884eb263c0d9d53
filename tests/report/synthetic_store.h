#pragma once
// Synthetic results stores with known answers for the report tests: records
// shaped like `formbench measure` output, written to a measurements table.
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace fb::test {

struct FakeRow {
  std::string descriptor;
  double ms_per_image;
  double flops = 1e9;
  double ll_misses = -1;  // < 0: no cache simulation
  std::string status = "ok";
};

inline nlohmann::json fake_record(const FakeRow& r) {
  nlohmann::json j{{"descriptor", r.descriptor},
                   {"status", r.status},
                   {"error", ""},
                   {"latency_ms", {{"n", 20}, {"median", r.ms_per_image}}},
                   {"per_image_ms", {{"median", r.ms_per_image}, {"ci95_low", r.ms_per_image * 0.98}, {"ci95_high", r.ms_per_image * 1.02}}},
                   {"cost", {{"flops", r.flops}, {"macs", r.flops / 2}}},
                   {"roofline", {{"achieved_gflops", r.flops / r.ms_per_image / 1e6}, {"intensity", 10.0},
                                 {"peak_gflops", 500.0}, {"bandwidth_gbs", 20.0}}},
                   {"counters", {{"available", false}, {"reason", "no PMU in this VM"}}},
                   {"foreign_cpu_pct", 0.5},
                   {"environment", {{"cpu", "Synthetic CPU"}, {"threads", 2}}}};
  j["cache_sim"] = r.ll_misses >= 0 ? nlohmann::json{{"ll_misses", r.ll_misses}} : nlohmann::json(nullptr);
  return j;
}

inline void write_fake_store(const std::filesystem::path& path, const std::vector<FakeRow>& rows) {
  std::filesystem::remove(path);
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  // The meta table makes it a store the report accepts (it checks before reading).
  sqlite3_exec(db, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
               "INSERT INTO meta VALUES('schema_version', '1');"
               "CREATE TABLE measurements(descriptor TEXT, status TEXT, record_json TEXT)", nullptr, nullptr, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO measurements VALUES(?,?,?)", -1, &st, nullptr);
  for (const auto& r : rows) {
    std::string json = fake_record(r).dump();
    sqlite3_bind_text(st, 1, r.descriptor.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, r.status.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, json.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
}

}  // namespace fb::test
