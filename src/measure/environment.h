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
};

std::string cpu_model();                // /proc/cpuinfo "model name"
std::vector<CacheLevel> host_caches();  // sysfs, cpu0
std::string formbench_revision();       // `git describe --always --dirty` at configure time

nlohmann::json environment_json(const BackendChoice& choice);

}  // namespace fb
