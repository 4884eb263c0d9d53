#pragma once
// A program formbench keeps talking to while it runs (the ort runner), as
// opposed to run_child's start-wait-collect (common/process.h). Started once
// from an argument vector passed to exec, never a shell; spoken to over a
// pipe on its stdin and one on its stdout; its stderr goes to an unlinked
// temporary file, read back only for error messages, so a chatty peer can
// never block on a full pipe nobody drains. It dies with formbench
// (PR_SET_PDEATHSIG) and with this object (SIGKILL to its process group).
// Every read and write has a time limit, so a wedged peer cannot hang the
// caller, and a peer that dies is an Error naming how it ended and what it
// last wrote on stderr.
#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

namespace fb {

class PeerProcess {
 public:
  // argv[0] is looked up in PATH. `name` labels the peer in messages ("the
  // ort runner"). Error if it cannot be started (the exec's own reason).
  // PR_SET_PDEATHSIG fires when the *thread* that started the peer ends, so
  // start it from a thread that lives as long as it is used.
  PeerProcess(const std::vector<std::string>& argv, std::string name);
  ~PeerProcess();
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& name() const { return name_; }

  // Writes all of `data`; Error if the peer has ended or not taken it all
  // within `timeout_s` (then it is killed).
  void write_all(const void* data, size_t bytes, double timeout_s);
  // Reads exactly `bytes`; Error at end of file or after `timeout_s`.
  void read_exact(void* data, size_t bytes, double timeout_s);
  // One line up to '\n' (not included), at most `max_bytes`; the same errors.
  std::string read_line(size_t max_bytes, double timeout_s);

  // The last `max_bytes` the peer wrote on stderr (its whole stderr if shorter).
  std::string stderr_tail(size_t max_bytes = 4096) const;
  // Ends the peer at once (after a protocol error the stream cannot be trusted).
  void kill_now();

 private:
  [[noreturn]] void fail(const std::string& what);
  std::string ended_how();

  std::string name_;
  pid_t pid_ = -1;
  int to_peer_ = -1;    // the peer's stdin, our end (non-blocking)
  int from_peer_ = -1;  // the peer's stdout, our end (non-blocking)
  int err_file_ = -1;   // the peer's stderr: an unlinked temporary file
  bool reaped_ = false;
  int wait_status_ = 0;
};

}  // namespace fb
