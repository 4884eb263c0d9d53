#pragma once
// What this machine's store shows that differs from the paper's machine
// (Intel Core i5-7600K: 4 cores, AVX2, 6 MiB LLC, OpenVINO over PyTorch),
// for the claims table's explanations. Only facts read from the store's
// records or measured in it: never a reason that is not in the data.
#include <string>

#include "report/analysis.h"
#include "report/dataset.h"

namespace fb::report {

struct MachineDifferences {
  std::string isa;        // e.g. "onednn ran avx512_core (the paper's CPU has AVX2 only); torch's kernels: AVX2"
  std::string isa_cap;    // e.g. "capping onednn to AVX2 in this store made it 1.31x slower (n = 12)"
  std::string cache;      // e.g. "this machine's LLC is 32 MiB (the paper's 6 MiB)"
  std::string native;     // the native baseline's BLAS, allocator settings, threads
  std::string jit;        // e.g. "torch-jit is 1.4x faster than torch on the zoo (n = 3)"
  std::string cpu;        // model and threads
};

MachineDifferences machine_differences(const Dataset& d, const BackendRoles& roles);

}  // namespace fb::report
