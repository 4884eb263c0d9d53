#pragma once
// The ISA cap. oneDNN fixes its instruction set for the whole process at the
// first primitive it creates (or the first ISA query), so a cap can be set
// once per process, before anything else; asking for another one later is
// an error, not a silent no-op.
#include <string>

#include "common/precision.h"

namespace fb::onednn {

// UsageError for an ISA name oneDNN does not know (empty: no cap, fine).
// Checks only; sets nothing.
void check_isa_name(const std::string& name);
// Empty name: no cap. UsageError for unknown names; Error when too late.
void apply_isa_cap(const std::string& name);
std::string effective_isa();

// Reduced precision needs AVX-512: oneDNN 2.6 has bf16 kernels from
// avx512_core (emulating the bf16 instructions there, native from
// avx512_core_bf16) and int8 kernels from sse41 (VNNI from avx512_core_vnni
// or avx2_vnni). By name, before oneDNN starts: UsageError when the cap
// `isa` leaves `p` no kernel.
void check_precision_cap(Precision p, const std::string& isa);
// After the cap: UsageError when this machine's effective ISA has no kernel for p.
void require_precision_kernels(Precision p);
// Whether this machine's int8 kernels multiply-add with VNNI. Without it
// oneDNN adds pairs of u8 x s8 products in 16 bits, which saturate unless
// the weights keep to 7 bits (quantize.cpp).
bool int8_has_vnni();
// What runs p here, for explain and the record: "bf16, native (avx512_core_bf16)".
std::string precision_kernels(Precision p);

}  // namespace fb::onednn
