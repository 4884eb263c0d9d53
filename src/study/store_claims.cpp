// Claims: runners that share a store (two `study` runs on one file) take a
// configuration in the store before measuring it, so each is measured once.
// A claim whose runner died is taken over: on this host when its process is
// gone, from another host when its lease has run out.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "study/store.h"

namespace fb::study {
namespace {

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof(buf) - 1) != 0) return "unknown";
  return buf;
}

bool process_alive(int64_t pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace

Store::Claim Store::claim(const std::string& descriptor, const std::string& machine_id, const std::string& since,
                          bool retry_failed, int64_t lease_s) {
  static const std::string host = host_name();
  const int64_t pid = ::getpid();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  Transaction t(db_);  // BEGIN IMMEDIATE: one runner at a time decides
  {
    auto q = db_.prepare("SELECT status, finished_at FROM measurements WHERE descriptor = ? AND machine_id = ?");
    q.bind(1, descriptor).bind(2, machine_id);
    if (q.step() && (q.text(0) == "ok" || !retry_failed || q.text(1) >= since)) return Claim::stored_meanwhile;
  }
  {
    auto q = db_.prepare("SELECT host, pid, expires_at FROM claims WHERE descriptor = ? AND machine_id = ?");
    q.bind(1, descriptor).bind(2, machine_id);
    if (q.step()) {
      const bool mine = q.text(0) == host && q.integer(1) == pid;
      const bool dead = q.text(0) == host ? !process_alive(q.integer(1)) : now >= q.integer(2);
      if (!mine && !dead) return Claim::held_by_another;
    }
  }
  db_.prepare("INSERT OR REPLACE INTO claims (descriptor, machine_id, host, pid, claimed_at, expires_at) "
              "VALUES (?, ?, ?, ?, ?, ?)")
      .bind(1, descriptor).bind(2, machine_id).bind(3, host).bind(4, pid).bind(5, now).bind(6, now + lease_s)
      .run();
  t.commit();
  return Claim::taken;
}

void Store::release_claims() {
  db_.prepare("DELETE FROM claims WHERE host = ? AND pid = ?")
      .bind(1, host_name()).bind(2, static_cast<int64_t>(::getpid()))
      .run();
}

}  // namespace fb::study
