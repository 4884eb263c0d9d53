#pragma once
// Cache simulation where no PMU exists: the configuration is re-run under
// valgrind's callgrind with its cache simulator, collection switched on only
// around a fixed number of inferences (callgrind.h client requests), and the
// per-inference LL (last-level) misses, D1 misses and instructions are read
// back from callgrind's output file. The counts are deterministic.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/process.h"
#include "measure/record.h"

namespace fb {

struct CacheGeometry {
  int64_t size_bytes = 0;
  int assoc = 0;
  int line_bytes = 0;
  std::string str() const;  // "6291456,12,64": valgrind's --LL= syntax
};

struct CacheSimSetup {
  std::string name;  // as given: "host", "i5-7600k" or "S,A,L"
  CacheGeometry ll, d1, i1;
  std::string source;  // where the LL geometry comes from
};

// "host" (sysfs of cpu0), "i5-7600k" (the study's machine; see
// docs/measurement.md) or "SIZE,ASSOC,LINE" for the LL with the host's L1s.
// UsageError for anything else or a geometry callgrind cannot simulate.
CacheSimSetup cache_sim_setup(const std::string& spec);

// valgrind arguments up to (not including) the program to run.
std::vector<std::string> valgrind_args(const CacheSimSetup& s, const std::string& out_file);

// The totals line of a callgrind.out file, by event name (Ir, D1mr, ...).
std::map<std::string, int64_t> parse_callgrind_totals(const std::string& path);

// Inside the simulated child: instrumentation is off until
// start_instrumentation() (the simulated caches start empty then), and
// collection is off except while `fn` runs.
bool running_on_valgrind();
void start_instrumentation();
void collect_only(const std::function<void()>& fn);

// How many inferences the simulated child runs: one simulated warm-up outside
// collection, then this many collected.
constexpr int kCacheSimRuns = 1;  // each simulated run of a large network costs minutes

// Runs `exe measure --cache-sim-child DESCRIPTOR` under valgrind and returns
// the record's cache_sim section (per inference), or throws Error.
// `env` is the configuration's env.* (set directly: no re-exec under valgrind).
CacheSimSection simulate_cache(const std::string& exe, const std::string& descriptor, const CacheSimSetup& s,
                              const EnvVars& env, double timeout_s);

}  // namespace fb
