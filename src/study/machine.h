#pragma once
// The machine a measurement ran on. Its id is a hash of what decides
// performance (CPU model, family and widest vector ISA, cores, memory, kernel), so identical nodes of a
// cluster share one id and their shards merge into one data set.
#include <cstdint>
#include <string>

namespace fb::study {

struct MachineInfo {
  std::string id;  // 16 hex digits
  std::string cpu_model, kernel, hostname;
  int64_t cores = 0;         // online logical CPUs
  int64_t memory_bytes = 0;  // MemTotal
};

MachineInfo this_machine();
// "AMD EPYC (family 25 model 1 stepping 1, avx2)" from /proc/cpuinfo text:
// VMs often name different CPUs alike ("AMD EPYC" for a Zen 3 without
// AVX-512 and a Zen 4 with it), and two CPUs must never share a machine id.
std::string cpu_identity(const std::string& cpuinfo);
std::string machine_id_of(const MachineInfo& m);  // the hash of cpu, cores, memory, kernel

// UTC "2024-05-01T12:00:00.123Z": sorts as text in time order.
std::string utc_now();

}  // namespace fb::study
