#include "backends/onednn/isa.h"

#include <oneapi/dnnl/dnnl.hpp>

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

std::string effective_isa() {
  const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
  std::string best = "unknown";
  for (const auto& i : kIsas)
    if (i.isa == isa) best = i.name;
  return best;
}

}  // namespace fb::onednn
