#include "measure/child_process.h"

#include "common/timestamp.h"
#include "common/utf8.h"

namespace fb {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

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
  // The child's bytes become record text here: valid UTF-8 from now on.
  std::string stderr_tail = trim(text_tail(r.err, 2000));
  Record rec;
  try {
    rec = nlohmann::json::parse(r.out);
  } catch (const nlohmann::json::exception&) {
    std::string msg = "measure child " + what + " without a JSON record";
    if (!stderr_tail.empty()) msg += "; stderr: " + stderr_tail;
    else if (!r.out.empty()) msg += "; stdout: " + trim(text_tail(r.out, 500));
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
