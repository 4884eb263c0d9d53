#pragma once
// The context every record carries: machine (CPU, caches, ISA flags), kernel,
// libraries actually loaded, allocator settings, threads, the backend's own
// facts and formbench's git revision.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "backends/backend.h"

namespace fb {

struct CacheLevel {
  int level = 0;
  std::string type;  // "Data", "Instruction", "Unified"
  int64_t size_bytes = 0;
  int ways = 0;
  int line_bytes = 0;
  int sharing_cpus = 1;  // CPUs in shared_cpu_list: 1 for a private cache
};

std::string cpu_model();                // /proc/cpuinfo "model name"
// The caches of cpu0 from sysfs; `dir` is the folder holding index0, index1,
// ... (a test points it at a fake tree). Empty where sysfs says nothing.
std::vector<CacheLevel> host_caches(const std::string& dir = "/sys/devices/system/cpu/cpu0/cache");
// "0-3,8,10-11" -> 7; 1 for text that is no CPU list.
int count_cpu_list(const std::string& list);
std::string formbench_revision();       // `git describe --always --dirty` at configure time

// The record's `environment` but its backend_facts, which the record types
// (MeasurementRecord::backend_facts, from Backend::environment).
nlohmann::json environment_json(const BackendChoice& choice);

}  // namespace fb
