#include "measure/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "common/error.h"
#include "common/timestamp.h"

extern char** environ;

namespace fb {
namespace {

std::string tail(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  return "..." + s.substr(s.size() - n);
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The child's environment: ours with `env` overriding.
constexpr size_t kErrKeep = 65536;

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

}  // namespace

std::string ChildResult::describe() const {
  if (timed_out) return "timed out after " + std::to_string(static_cast<long long>(seconds + 0.5)) + " s and was killed";
  if (signal)
    return "killed by signal " + std::to_string(signal) + " (SIG" + sigabbrev_np(signal) + ", " + strsignal(signal) + ")";
  return "exit code " + std::to_string(exit_code);
}

ChildResult run_child(const std::vector<std::string>& argv, const EnvVars& env, double timeout_s) {
  if (argv.empty()) throw Error("run_child: empty command");
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  // Everything the child needs is built before fork: after it, only exec.
  std::vector<std::string> args = argv, envs = child_environment(env);
  auto c_args = c_strings(args), c_env = c_strings(envs);
  const pid_t parent = getpid();
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) throw Error(std::string("cannot fork: ") + std::strerror(errno));
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the parent died before prctl
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execvpe(c_args[0], c_args.data(), c_env.data());
    dprintf(STDERR_FILENO, "cannot start %s: %s\n", c_args[0], strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so the kill below never misses the group
  close(out_pipe[1]);
  close(err_pipe[1]);

  ChildResult r;
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_pipes = 2;
  char buf[65536];
  while (open_pipes > 0) {
    double left = timeout_s - elapsed();
    if (left <= 0) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    if (poll(fds, 2, static_cast<int>(std::min(left * 1000 + 1, 1000.0))) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        (i == 0 ? r.out : r.err).append(buf, static_cast<size_t>(n));
        if (r.err.size() > 2 * kErrKeep) r.err.erase(0, r.err.size() - kErrKeep);
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
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

Record failed_record(const std::string& descriptor, const std::string& error) {
  Record r = {{"descriptor", descriptor}, {"status", "failed"}, {"error", error}, {"timestamp", utc_timestamp()}};
  // Same keys as a good record, so consumers extract fields uniformly.
  for (const char* k : {"latency_ms", "per_image_ms", "cost", "roofline", "counters", "cache_sim", "foreign_cpu_pct",
                        "interference", "environment"})
    r[k] = nullptr;
  return r;
}

Record run_measure_child(const std::string& descriptor, const ChildOptions& opts) {
  std::vector<std::string> argv = {opts.exe.empty() ? self_exe() : opts.exe, "measure"};
  argv.insert(argv.end(), opts.flags.begin(), opts.flags.end());
  argv.push_back("--");
  argv.push_back(descriptor);
  ChildResult r = run_child(argv, opts.env, opts.timeout_s);
  std::string what = r.describe();
  std::string stderr_tail = trim(tail(r.err, 2000));
  Record rec;
  try {
    rec = nlohmann::json::parse(r.out);
  } catch (const nlohmann::json::exception&) {
    std::string msg = "measure child " + what + " without a JSON record";
    if (!stderr_tail.empty()) msg += "; stderr: " + stderr_tail;
    else if (!r.out.empty()) msg += "; stdout: " + trim(tail(r.out, 500));
    return failed_record(descriptor, msg);
  }
  if (!rec.is_object() || !rec.contains("status"))
    return failed_record(descriptor, "measure child " + what + " and printed JSON that is not a record");
  if (!r.exited_cleanly() && rec["status"] == "ok") {
    rec["status"] = "failed";
    rec["error"] = "measure child " + what + " after printing its record; stderr: " + stderr_tail;
  }
  return rec;
}

}  // namespace fb
