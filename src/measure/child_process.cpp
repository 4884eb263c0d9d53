#include "measure/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "common/error.h"
#include "measure/environment.h"

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
std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& env) {
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
  if (timed_out) return "timed out";
  if (signal) return std::string("killed by SIG") + sigabbrev_np(signal) + " (" + strsignal(signal) + ")";
  return "exited with status " + std::to_string(exit_code);
}

ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::pair<std::string, std::string>>& env,
                      double timeout_s) {
  if (argv.empty()) throw Error("run_child: no program given");
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    throw Error(std::string("pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);  // own group, so a timeout kills its children too
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<std::string> args = argv, envs = child_environment(env);
  auto c_args = c_strings(args), c_env = c_strings(envs);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, c_args.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out_pipe[1]);
  close(err_pipe[1]);
  ChildResult r;
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    r.exit_code = 127;
    r.err = "cannot start " + argv[0] + ": " + std::strerror(rc);
    return r;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  int open_pipes = 2;
  while (open_pipes > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      break;
    }
    if (poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000))) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
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
  std::string what = r.timed_out ? "timed out after " + std::to_string(static_cast<int>(opts.timeout_s)) + " s"
                                 : r.describe();
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
  if (!r.ok() && rec["status"] == "ok") {
    rec["status"] = "failed";
    rec["error"] = "measure child " + what + " after printing its record; stderr: " + stderr_tail;
  }
  return rec;
}

}  // namespace fb
