// The tuning table: timings a backend's tuner made on a machine, under its
// own opaque key. Reading never trusts a row: a value that is not a finite,
// non-negative number, or a key no tuner writes, is as good as absent.
#include <sqlite3.h>

#include <cmath>

#include "study/machine.h"
#include "study/store.h"

namespace fb::study {
namespace {

bool usable(const std::string& key, double ms) {
  return key.size() <= Store::kMaxTuningKeyBytes && std::isfinite(ms) && ms >= 0;
}

}  // namespace

std::optional<double> Store::tuning(const std::string& machine_id, const std::string& key) {
  if (key.size() > kMaxTuningKeyBytes) return std::nullopt;
  auto q = db_.prepare("SELECT ms FROM tuning WHERE machine_id = ? AND key = ?");
  q.bind(1, machine_id).bind(2, key);
  if (!q.step()) return std::nullopt;
  // SQLite would read text as 0.0 and keeps infinities: only a real number counts.
  if (q.type(0) != SQLITE_FLOAT && q.type(0) != SQLITE_INTEGER) return std::nullopt;
  const double ms = q.real(0);
  if (!usable(key, ms)) return std::nullopt;
  return ms;
}

void Store::put_tuning(const std::string& machine_id, const std::string& key, double ms) {
  if (!usable(key, ms)) return;
  db_.prepare("INSERT OR REPLACE INTO tuning (machine_id, key, ms, recorded_at) VALUES (?, ?, ?, ?)")
      .bind(1, machine_id)
      .bind(2, key)
      .bind(3, ms)
      .bind(4, utc_now())
      .run();
}

}  // namespace fb::study
