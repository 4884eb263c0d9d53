#include "backends/onednn/isa.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <iterator>
#include <mutex>

#include "common/error.h"

namespace fb::onednn {
namespace {

struct IsaName {
  dnnl::cpu_isa isa;
  const char* name;
};
constexpr IsaName kIsas[] = {
    {dnnl::cpu_isa::sse41, "sse41"},
    {dnnl::cpu_isa::avx, "avx"},
    {dnnl::cpu_isa::avx2, "avx2"},
    {dnnl::cpu_isa::avx2_vnni, "avx2_vnni"},
    {dnnl::cpu_isa::avx512_core, "avx512_core"},
    {dnnl::cpu_isa::avx512_core_vnni, "avx512_core_vnni"},
    {dnnl::cpu_isa::avx512_core_bf16, "avx512_core_bf16"},
    {dnnl::cpu_isa::avx512_core_amx, "avx512_core_amx"},
    {dnnl::cpu_isa::all, "all"},
};

std::mutex g_mutex;
std::string g_applied;  // the cap this process runs under, once set

const IsaName& find_isa(const std::string& name) {
  std::string valid;
  for (const auto& i : kIsas) {
    if (name == i.name) return i;
    valid += (valid.empty() ? "" : ", ") + std::string(i.name);
  }
  throw UsageError("unknown ISA '" + name + "'; oneDNN accepts: " + valid);
}

}  // namespace

void check_isa_name(const std::string& name) {
  if (!name.empty()) find_isa(name);
}

void apply_isa_cap(const std::string& name) {
  if (name.empty()) return;
  std::lock_guard lock(g_mutex);
  if (name == g_applied) return;
  const IsaName* found = &find_isa(name);
  if (!g_applied.empty())
    throw UsageError("this process already runs oneDNN capped at '" + g_applied + "'; the cap is process-wide, so run '" +
                     name + "' in its own process");
  if (dnnl::set_max_cpu_isa(found->isa) != dnnl::status::success)
    throw Error("oneDNN can no longer be capped at '" + name +
                "': the ISA is fixed at the first primitive a process creates; set the cap before anything else runs");
  g_applied = name;
}

namespace {

// Position in kIsas (ascending), or -1 for a name it does not hold.
int rank_of(const std::string& name) {
  for (size_t i = 0; i < std::size(kIsas); ++i)
    if (name == kIsas[i].name) return static_cast<int>(i);
  return -1;
}

// The lowest ISA with a kernel for p, and the lowest with native instructions.
const char* lowest_for(Precision p) { return p == Precision::bf16 ? "avx512_core" : "sse41"; }
const char* native_from(Precision p) { return p == Precision::bf16 ? "avx512_core_bf16" : "avx512_core_vnni"; }

}  // namespace

void check_precision_cap(Precision p, const std::string& isa) {
  if (p == Precision::fp32 || isa.empty() || isa == "all") return;
  const int cap = rank_of(isa);
  if (cap >= 0 && cap < rank_of(lowest_for(p)))
    throw UsageError(std::string("precision=") + precision_name(p) + " under isa=" + isa +
                     ": oneDNN 2.6 has " + precision_name(p) + " kernels from " + lowest_for(p) +
                     " up only; cap at " + lowest_for(p) + " or above, or measure fp32");
}

void require_precision_kernels(Precision p) {
  if (p == Precision::fp32) return;
  const int have = rank_of(effective_isa());
  if (have >= 0 && have < rank_of(lowest_for(p)))
    throw UsageError(std::string("precision=") + precision_name(p) + ": this machine runs oneDNN at " + effective_isa() +
                     ", and oneDNN 2.6 has " + precision_name(p) + " kernels from " + lowest_for(p) + " up only");
}

bool int8_has_vnni() {
  const std::string isa = effective_isa();
  return rank_of(isa) >= rank_of(native_from(Precision::int8)) || isa == "avx2_vnni";  // VNNI on AVX2 too
}

std::string precision_kernels(Precision p) {
  if (p == Precision::fp32) return "fp32";
  const std::string isa = effective_isa();
  const bool native = p == Precision::int8 ? int8_has_vnni() : rank_of(isa) >= rank_of(native_from(p));
  if (p == Precision::bf16)
    return native ? "bf16, native (" + isa + ")"
                  : "bf16, emulated (" + isa + " lacks AVX512_BF16: oneDNN converts and multiplies in fp32 instructions)";
  return native ? "int8, VNNI (" + isa + ")" : "int8, without VNNI (" + isa + ": 3 instructions per multiply-add)";
}

std::string effective_isa() {
  const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
  std::string best = "unknown";
  for (const auto& i : kIsas)
    if (i.isa == isa) best = i.name;
  return best;
}

}  // namespace fb::onednn
