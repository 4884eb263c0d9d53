#include "common/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "common/error.h"

extern char** environ;

namespace fb {
namespace {

constexpr size_t kErrKeep = 65536;

// The child's environment: ours with `env` overriding.
std::vector<std::string> child_environment(const EnvVars& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    std::string key = kv.substr(0, kv.find('='));
    bool overridden = false;
    for (const auto& [k, v] : env) overridden |= (k == key);
    if (!overridden) out.push_back(kv);
  }
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Between fork and exec only async-signal-safe calls: write, not printf.
void write_all(int fd, const char* s) {
  for (size_t n = std::strlen(s); n > 0;) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= static_cast<size_t>(w);
  }
}

[[noreturn]] void exec_child(char** args, char** envs, int in, int out, int err, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the parent died before prctl
  dup2(in, STDIN_FILENO);
  dup2(out, STDOUT_FILENO);
  dup2(err, STDERR_FILENO);
  execvpe(args[0], args, envs);
  const int e = errno;
  write_all(STDERR_FILENO, "cannot start ");
  write_all(STDERR_FILENO, args[0]);
  write_all(STDERR_FILENO, ": ");
  write_all(STDERR_FILENO, strerrordesc_np(e) ? strerrordesc_np(e) : "unknown error");
  write_all(STDERR_FILENO, "\n");
  _exit(127);
}

// True once the child has ended; it stays a zombie (WNOWAIT), so its pid and
// process group id cannot be reused before we kill the group and reap it.
bool has_exited(pid_t pid) {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

// The child's stdout and stderr read ends, appended to as data arrives.
struct Pipes {
  pollfd fds[2];
  std::string* sinks[2];

  int open() const { return (fds[0].fd >= 0) + (fds[1].fd >= 0); }
  // Reads what poll reported ready; closes a pipe at EOF.
  void read_ready() {
    char buf[65536];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
        if (i == 1 && sinks[i]->size() > 2 * kErrKeep) sinks[i]->erase(0, sinks[i]->size() - kErrKeep);
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
  }
  void close_all() {
    for (auto& f : fds)
      if (f.fd >= 0) close(f.fd), f.fd = -1;
  }
};

}  // namespace

std::string ChildResult::describe() const {
  if (timed_out) return "timed out after " + std::to_string(static_cast<long long>(seconds + 0.5)) + " s and was killed";
  if (signal)
    return "killed by signal " + std::to_string(signal) + " (SIG" + sigabbrev_np(signal) + ", " + strsignal(signal) + ")";
  return "exit code " + std::to_string(exit_code);
}

ChildResult run_child(const std::vector<std::string>& argv, const EnvVars& env, double timeout_s) {
  if (argv.empty()) throw Error("run_child: empty command");
  if (!std::isfinite(timeout_s) || timeout_s <= 0)
    throw Error("the time limit for " + argv[0] + " must be a finite number of seconds above 0, got " +
                std::to_string(timeout_s));
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]), close(out_pipe[1]);
    throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  const int null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
  // Everything the child needs is built before fork: after it, only exec.
  std::vector<std::string> args = argv, envs = child_environment(env);
  auto c_args = c_strings(args), c_env = c_strings(envs);
  const pid_t parent = getpid();
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) exec_child(c_args.data(), c_env.data(), null_in < 0 ? STDIN_FILENO : null_in, out_pipe[1], err_pipe[1], parent);
  const int fork_errno = errno;
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (null_in >= 0) close(null_in);
  if (pid < 0) {
    close(out_pipe[0]), close(err_pipe[0]);
    throw Error(std::string("cannot fork to start ") + argv[0] + ": " + std::strerror(fork_errno));
  }
  setpgid(pid, pid);  // also here, so the kill below never misses the group

  ChildResult r;
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  Pipes pipes{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}, {&r.out, &r.err}};
  // A pidfd becomes readable when the child ends, so a child that closed its
  // pipes still wakes us; without one (old kernel) we look every 20 ms.
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  while (!has_exited(pid)) {
    const double left = timeout_s - elapsed();
    if (left <= 0) {
      r.timed_out = true;
      break;
    }
    pollfd fds[3] = {pipes.fds[0], pipes.fds[1], {pidfd, POLLIN, 0}};
    const double step_ms = pidfd >= 0 ? 1000 : 20;
    const int wait_ms = static_cast<int>(std::ceil(std::min(left * 1000, step_ms)));
    if (poll(fds, 3, wait_ms) < 0 && errno != EINTR) break;
    pipes.fds[0].revents = fds[0].revents;
    pipes.fds[1].revents = fds[1].revents;
    pipes.read_ready();
  }
  // Whether it exited or ran out of time: end the whole group, so no
  // descendant keeps running (and disturbing the next measurement) or keeps
  // the pipes open; then take what is left in the pipes and reap the child.
  kill(-pid, SIGKILL);
  const auto drain_until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (pipes.open() > 0 && std::chrono::steady_clock::now() < drain_until) {
    if (poll(pipes.fds, 2, 100) == 0) break;
    pipes.read_ready();
  }
  pipes.close_all();
  if (pidfd >= 0) close(pidfd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.seconds = elapsed();
  if (r.err.size() > kErrKeep) r.err.erase(0, r.err.size() - kErrKeep);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status) && !r.timed_out) r.signal = WTERMSIG(status);
  return r;
}

std::string self_exe() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) throw Error(std::string("readlink /proc/self/exe: ") + std::strerror(errno));
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace fb
