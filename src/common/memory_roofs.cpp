#include "common/memory_roofs.h"

#include <cmath>

#include "common/error.h"

namespace fb {

size_t roof_for(double working_set_bytes, const std::vector<MemoryRoof>& roofs) {
  for (size_t i = 0; i + 1 < roofs.size(); ++i)
    if (roofs[i].capacity_bytes > 0 && working_set_bytes <= static_cast<double>(roofs[i].capacity_bytes)) return i;
  return roofs.empty() ? 0 : roofs.size() - 1;
}

nlohmann::json to_json(const MemoryRoof& r) {
  return {{"name", r.name}, {"size_bytes", r.size_bytes}, {"capacity_bytes", r.capacity_bytes},
          {"bandwidth_gbs", r.bandwidth_gbs}};
}

namespace {

// Bytes up to 2^60 and GB/s up to 1e9: beyond any machine, far from overflow.
double number_field(const nlohmann::json& j, const char* key, double hi) {
  if (!j.contains(key) || !j[key].is_number()) throw UsageError(std::string("memory level field ") + key + " is not a number");
  const double v = j[key].get<double>();
  if (!std::isfinite(v) || v < 0 || v > hi)
    throw UsageError(std::string("memory level field ") + key + " is " + std::to_string(v) + ", out of range");
  return v;
}

}  // namespace

MemoryRoof memory_roof_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw UsageError("a memory level is not a JSON object");
  if (!j.contains("name") || !j["name"].is_string() || j["name"].get<std::string>().empty())
    throw UsageError("memory level field name is not a non-empty string");
  MemoryRoof r;
  r.name = j["name"].get<std::string>();
  constexpr double kMaxBytes = 1152921504606846976.0;  // 2^60
  r.size_bytes = static_cast<int64_t>(number_field(j, "size_bytes", kMaxBytes));
  r.capacity_bytes = static_cast<int64_t>(number_field(j, "capacity_bytes", kMaxBytes));
  r.bandwidth_gbs = number_field(j, "bandwidth_gbs", 1e9);
  return r;
}

}  // namespace fb
