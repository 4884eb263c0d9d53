#pragma once
// The ISA cap. oneDNN fixes its instruction set for the whole process at the
// first primitive it creates (or the first ISA query), so a cap can be set
// once per process, before anything else; asking for another one later is
// an error, not a silent no-op.
#include <string>

namespace fb::onednn {

// UsageError for an ISA name oneDNN does not know (empty: no cap, fine).
// Checks only; sets nothing.
void check_isa_name(const std::string& name);
// Empty name: no cap. UsageError for unknown names; Error when too late.
void apply_isa_cap(const std::string& name);
std::string effective_isa();

}  // namespace fb::onednn
