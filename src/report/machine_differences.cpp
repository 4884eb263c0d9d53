#include "report/machine_differences.h"

#include <fmt/core.h>

#include <cmath>
#include <map>

#include "report/claim_rules.h"

namespace fb::report {
namespace {

using nlohmann::json;

// A string fact from a record, or empty: records may come from anywhere, so
// every type is checked.
std::string text_at(const json& env, const char* section, const char* key) {
  if (!env.is_object() || !env.contains(section) || !env[section].is_object()) return {};
  const json& s = env[section];
  if (!s.contains(key) || !s[key].is_string()) return {};
  return s[key].get<std::string>();
}

std::string backend_fact(const Dataset& d, const std::string& backend, const char* key) {
  auto it = d.backend_environment.find(backend);
  return it == d.backend_environment.end() ? std::string() : text_at(it->second, "backend_facts", key);
}

bool has_flag(const json& env, const std::string& flag) {
  if (!env.is_object() || !env.contains("isa_flags") || !env["isa_flags"].is_array()) return false;
  for (const auto& f : env["isa_flags"])
    if (f.is_string() && f.get<std::string>() == flag) return true;
  return false;
}

double llc_bytes(const json& env) {
  double best = 0;
  if (!env.is_object() || !env.contains("caches") || !env["caches"].is_array()) return 0;
  for (const auto& c : env["caches"])
    if (c.is_object() && c.contains("size_bytes") && c["size_bytes"].is_number() && c.contains("level") &&
        c["level"].is_number() && c["level"].get<double>() >= 2)
      best = std::max(best, c["size_bytes"].get<double>());
  return best;
}

// Geometric mean of a/b over the configurations measured on both backends.
Estimate latency_ratio(const Dataset& d, const std::string& a, const std::string& b, bool zoo_only) {
  std::map<std::string, const Measurement*> on_b;
  for (const auto& m : d.ok)
    if (m.backend == b && m.isa.empty() && m.fp32()) on_b[m.key_without_backend()] = &m;
  std::vector<double> r;
  for (const auto& m : d.ok)
    if (m.backend == a && m.isa.empty() && m.fp32() && (!zoo_only || m.pattern.empty()))
      if (auto it = on_b.find(m.key_without_backend()); it != on_b.end()) r.push_back(m.per_image_ms / it->second->per_image_ms);
  return geometric_mean_estimate(r);
}

}  // namespace

MachineDifferences machine_differences(const Dataset& d, const BackendRoles& roles) {
  MachineDifferences out;
  const json& env = d.environment;
  const std::string acc_isa = backend_fact(d, roles.accelerated, "onednn.isa");
  const std::string native_isa = backend_fact(d, roles.native, "torch.cpu_capability");
  if (!acc_isa.empty() || has_flag(env, "avx512f"))
    out.isa = fmt::format("{} ran {} (the paper's i5-7600K has AVX2 only; this CPU {} AVX-512){}", roles.accelerated,
                          acc_isa.empty() ? "with an unrecorded ISA" : acc_isa, has_flag(env, "avx512f") ? "has" : "lacks",
                          native_isa.empty() ? "" : "; " + roles.native + "'s kernels: " + native_isa);

  // The same configuration with and without an ISA cap on the accelerated backend.
  std::map<std::string, const Measurement*> uncapped;
  for (const auto& m : d.ok)
    if (m.backend == roles.accelerated && m.isa.empty() && !m.fields.get("cache_sim") && m.fp32())
      uncapped[m.key_without_backend()] = &m;
  std::vector<double> cap;
  for (const auto& m : d.ok) {
    if (m.backend != roles.accelerated || m.isa != "avx2" || m.fields.get("cache_sim") || !m.fp32()) continue;
    if (auto it = uncapped.find(m.key_without({"backend", "isa"})); it != uncapped.end())
      cap.push_back(m.per_image_ms / it->second->per_image_ms);
  }
  if (!cap.empty())
    out.isa_cap = "capped to AVX2, " + roles.accelerated + "'s latency changes by " + geometric_mean_estimate(cap).str() +
                  " (measured in this store)";

  if (double llc = llc_bytes(env); llc > 0)
    out.cache = fmt::format("this machine's largest cache is {:.0f} MiB (the paper's i5-7600K: 6 MiB)", llc / (1 << 20));

  std::string native;
  for (const char* key : {"torch.blas_loaded", "torch.glibc_tunables", "torch.ld_preload", "torch.threads"})
    if (auto v = backend_fact(d, roles.native, key); !v.empty()) native += (native.empty() ? "" : ", ") + std::string(key) + " = " + v;
  if (!native.empty()) out.native = roles.native + " baseline: " + native;

  if (Estimate jit = latency_ratio(d, roles.native, "torch-jit", true); jit.n > 0)
    out.jit = roles.native + " latency / torch-jit latency on the zoo: " + jit.str();

  const std::string cpu = env.is_object() && env.contains("cpu_model") && env["cpu_model"].is_string()
                              ? env["cpu_model"].get<std::string>() : "";
  const bool threads = env.is_object() && env.contains("threads") && env["threads"].is_number_integer();
  if (!cpu.empty() || threads)
    out.cpu = fmt::format("measured on {}{} (the paper's: i5-7600K, 4 cores at 3.8 GHz)", cpu.empty() ? "an unrecorded CPU" : cpu,
                          threads ? fmt::format(" with {} threads", env["threads"].get<int64_t>()) : "");
  return out;
}

}  // namespace fb::report
