#pragma once
// The memory pre-flight's common parts: what the machine has, what a
// configuration needs, and the one message that refuses it.
#include <cstdint>
#include <string>

namespace fb {

// Resident bytes a configuration needs by its backend's memory policy
// (docs/backends.md), with the terms it adds up.
struct MemoryEstimate {
  int64_t bytes = 0;
  std::string how;  // "all activations 1.20 GiB + weights x2 0.10 GiB + runtime 0.06 GiB"
};

// MemAvailable from /proc/meminfo, in bytes (0 if unreadable).
int64_t mem_available_bytes();

// Empty if `need` fits in 90 % of `available` bytes (0 = unknown: it fits),
// else the reason, with what to do.
std::string memory_refusal(const MemoryEstimate& need, int64_t available);

}  // namespace fb
