#include "common/peer_process.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/error.h"
#include "common/utf8.h"

namespace fb {
namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(int e) { return strerrordesc_np(e) ? strerrordesc_np(e) : "unknown error"; }

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
}

// Milliseconds left before `deadline` for poll(): 0 once it has passed.
int ms_left(Clock::time_point deadline) {
  const double ms = std::chrono::duration<double, std::milli>(deadline - Clock::now()).count();
  return ms <= 0 ? 0 : static_cast<int>(std::min(std::ceil(ms), static_cast<double>(INT_MAX)));
}

Clock::time_point deadline_after(double timeout_s) {
  if (!std::isfinite(timeout_s) || timeout_s <= 0)
    throw Error("internal: a peer's time limit must be a finite number of seconds above 0");
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_s));
}

// A write to a peer that has died raises SIGPIPE, whose default action ends
// formbench. The signal goes to the writing thread, so it is blocked on this
// thread for the write, and one the write raised is taken back before the
// mask is restored (the write's EPIPE says what happened).
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~SigpipeBlocked() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      const timespec now{0, 0};
      sigtimedwait(&pipe_, nullptr, &now);
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_, old_;
  bool was_pending_ = false;
};

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// An unlinked temporary file under $TMPDIR (or /tmp): the peer's stderr.
int anonymous_file() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/formbench-peer-stderr-XXXXXX";
  const int fd = mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) throw Error("cannot create a temporary file in " + path.substr(0, path.rfind('/')) + ": " + errno_text(errno));
  unlink(path.c_str());
  return fd;
}

// Between fork and exec only async-signal-safe calls.
[[noreturn]] void exec_peer(char** args, int in, int out, int err, int report, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl
  dup2(in, STDIN_FILENO);
  dup2(out, STDOUT_FILENO);
  dup2(err, STDERR_FILENO);
  execvp(args[0], args);
  const int e = errno;
  [[maybe_unused]] ssize_t w = write(report, &e, sizeof e);  // read by the parent: "cannot start ..."
  _exit(127);
}

}  // namespace

PeerProcess::PeerProcess(const std::vector<std::string>& argv, std::string name) : name_(std::move(name)) {
  if (argv.empty()) throw Error("internal: starting " + name_ + " with an empty command");
  err_file_ = anonymous_file();
  int in[2], out[2], report[2];
  if (pipe2(in, O_CLOEXEC) != 0) throw Error("cannot create a pipe for " + name_ + ": " + errno_text(errno));
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    throw Error("cannot create a pipe for " + name_ + ": " + errno_text(errno));
  }
  if (pipe2(report, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]), close(out[0]), close(out[1]);
    throw Error("cannot create a pipe for " + name_ + ": " + errno_text(errno));
  }
  // Everything the child needs is built before fork.
  std::vector<std::string> args = argv;
  std::vector<char*> c_args;
  for (auto& a : args) c_args.push_back(a.data());
  c_args.push_back(nullptr);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) exec_peer(c_args.data(), in[0], out[1], err_file_, report[1], parent);
  const int fork_errno = errno;
  close(in[0]), close(out[1]), close(report[1]);
  to_peer_ = in[1];
  from_peer_ = out[0];
  if (pid_ < 0) {
    close(report[0]);
    close_fd(to_peer_), close_fd(from_peer_), close_fd(err_file_);
    throw Error("cannot fork to start " + name_ + ": " + errno_text(fork_errno));
  }
  setpgid(pid_, pid_);  // also here, so kill_now never misses the group
  // The report pipe closes at exec (O_CLOEXEC) or carries exec's errno.
  int exec_errno = 0;
  ssize_t got;
  while ((got = read(report[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
  }
  close(report[0]);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    kill_now();
    close_fd(to_peer_), close_fd(from_peer_), close_fd(err_file_);
    throw Error("cannot start " + name_ + " (" + argv[0] + "): " + errno_text(exec_errno));
  }
  fcntl(to_peer_, F_SETFL, fcntl(to_peer_, F_GETFL) | O_NONBLOCK);
  fcntl(from_peer_, F_SETFL, fcntl(from_peer_, F_GETFL) | O_NONBLOCK);
}

PeerProcess::~PeerProcess() {
  close_fd(to_peer_);  // end of input: a well-behaved peer quits on its own
  kill_now();          // and one that does not is not waited for
  close_fd(from_peer_);
  close_fd(err_file_);
}

void PeerProcess::kill_now() {
  if (reaped_ || pid_ <= 0) return;
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  while (waitpid(pid_, &wait_status_, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
}

std::string PeerProcess::ended_how() {
  // A peer that closed its output is usually exiting: give it a moment.
  for (int i = 0; i < 100 && !reaped_; ++i) {
    const pid_t r = waitpid(pid_, &wait_status_, WNOHANG);
    if (r == pid_) reaped_ = true;
    else if (r < 0 && errno != EINTR) break;
    else std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!reaped_) return "it is still running";
  if (WIFEXITED(wait_status_)) return "exit code " + std::to_string(WEXITSTATUS(wait_status_));
  if (WIFSIGNALED(wait_status_)) {
    const int s = WTERMSIG(wait_status_);
    return "killed by signal " + std::to_string(s) + " (SIG" + (sigabbrev_np(s) ? sigabbrev_np(s) : "?") + ")";
  }
  return "it ended";
}

void PeerProcess::fail(const std::string& what) {
  std::string message = name_ + " " + what;
  const std::string tail = stderr_tail();
  message += tail.empty() ? "; nothing on its stderr" : "; its stderr ends: " + tail;
  kill_now();
  close_fd(to_peer_);
  close_fd(from_peer_);
  throw Error(message);
}

void PeerProcess::write_all(const void* data, size_t bytes, double timeout_s) {
  if (to_peer_ < 0) throw Error(name_ + " has already ended");
  const auto deadline = deadline_after(timeout_s);
  SigpipeBlocked blocked;
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t w = write(to_peer_, p, bytes);
    if (w > 0) {
      p += w;
      bytes -= static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EPIPE) fail("stopped reading its input (" + ended_how() + ")");
    if (w < 0 && errno != EAGAIN) fail("cannot be written to: " + errno_text(errno));
    pollfd f{to_peer_, POLLOUT, 0};
    const int ms = ms_left(deadline);
    if (ms == 0 || (poll(&f, 1, ms) == 0 && ms_left(deadline) == 0)) {
      kill_now();
      fail("took no input for " + seconds_text(timeout_s) + " s and was killed");
    }
  }
}

void PeerProcess::read_exact(void* data, size_t bytes, double timeout_s) {
  if (from_peer_ < 0) throw Error(name_ + " has already ended");
  const auto deadline = deadline_after(timeout_s);
  char* p = static_cast<char*>(data);
  while (bytes > 0) {
    const ssize_t r = read(from_peer_, p, bytes);
    if (r > 0) {
      p += r;
      bytes -= static_cast<size_t>(r);
      continue;
    }
    if (r == 0) fail("closed its output (" + ended_how() + ")");
    if (errno == EINTR) continue;
    if (errno != EAGAIN) fail("cannot be read from: " + errno_text(errno));
    pollfd f{from_peer_, POLLIN, 0};
    const int ms = ms_left(deadline);
    if (ms == 0 || (poll(&f, 1, ms) == 0 && ms_left(deadline) == 0)) {
      kill_now();
      fail("sent nothing for " + seconds_text(timeout_s) + " s and was killed");
    }
  }
}

std::string PeerProcess::read_line(size_t max_bytes, double timeout_s) {
  // One byte at a time: whatever follows the line (binary frames) stays in
  // the pipe for read_exact. Lines here are short (a handshake).
  const auto deadline = deadline_after(timeout_s);
  std::string line;
  for (;;) {
    const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
    if (left <= 0) {
      kill_now();
      fail("did not finish its line within " + seconds_text(timeout_s) + " s and was killed");
    }
    char c;
    read_exact(&c, 1, left);
    if (c == '\n') return line;
    if (line.size() >= max_bytes) fail("wrote a line longer than " + std::to_string(max_bytes) + " bytes");
    line += c;
  }
}

std::string PeerProcess::stderr_tail(size_t max_bytes) const {
  struct stat st {};
  if (err_file_ < 0 || fstat(err_file_, &st) != 0 || st.st_size <= 0) return {};
  const size_t size = static_cast<size_t>(st.st_size);
  const size_t want = std::min(size, max_bytes + 8);  // a little more, so text_tail can cut at a character
  std::string bytes(want, '\0');
  const ssize_t got = pread(err_file_, bytes.data(), want, static_cast<off_t>(size - want));
  if (got <= 0) return {};
  bytes.resize(static_cast<size_t>(got));
  while (!bytes.empty() && (bytes.back() == '\n' || bytes.back() == '\r' || bytes.back() == ' ')) bytes.pop_back();
  return text_tail(bytes, max_bytes);
}

}  // namespace fb
