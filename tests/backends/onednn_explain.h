#pragma once
// What a onednn test reads from a compiled plan's explain text.
#include <string>

namespace fb::test {

// Whether oneDNN planned for AVX-512 (its header's ", isa avx512..."): only
// there does oneDNN 2.6 have Winograd and a real fused 1x1 + depthwise
// kernel, so tests expect those only then.
inline bool plans_for_avx512(const std::string& explain) { return explain.find(", isa avx512") != std::string::npos; }

}  // namespace fb::test
