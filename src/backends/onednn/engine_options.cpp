#include "backends/onednn/engine_options.h"

#include <sstream>

#include "common/error.h"

namespace fb::onednn {
namespace {

struct Switch {
  const char* name;
  bool EngineOptions::*field;
};
constexpr Switch kSwitches[] = {
    {"nofold", &EngineOptions::fold_bn},   {"nofuse", &EngineOptions::fuse_act},
    {"nosum", &EngineOptions::fuse_sum},   {"nodwfuse", &EngineOptions::fuse_dw},
    {"plain", &EngineOptions::blocked},    {"noprepack", &EngineOptions::prepack},
    {"noplan", &EngineOptions::plan_memory}, {"notune", &EngineOptions::tune},
    {"nodedupe", &EngineOptions::dedupe},
};

}  // namespace

std::string EngineOptions::str() const {
  std::string s;
  for (const auto& sw : kSwitches)
    if (!(this->*sw.field)) s += (s.empty() ? "" : ",") + std::string(sw.name);
  return s;
}

const char* layout_policy_name(EngineOptions::Layout l) {
  switch (l) {
    case EngineOptions::Layout::Library: return "library (nChw16c)";
    case EngineOptions::Layout::Blocked8: return "nChw8c";
    case EngineOptions::Layout::Nhwc: return "nhwc";
  }
  return "?";
}

EngineOptions parse_engine_options(const std::string& variant) {
  EngineOptions o;
  std::stringstream in(variant);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    bool found = false;
    for (const auto& sw : kSwitches)
      if (item == sw.name) {
        o.*sw.field = false;
        found = true;
      }
    if (!found) {
      std::string valid;
      for (const auto& sw : kSwitches) valid += (valid.empty() ? "" : ", ") + std::string(sw.name);
      throw UsageError("backend 'onednn': unknown switch '" + item + "' in ':" + variant +
                       "'; valid switches (comma-separated): " + valid);
    }
  }
  // Sum and depthwise fusion are post-op fusions too: nofuse turns them off.
  if (!o.fuse_act) o.fuse_sum = o.fuse_dw = false;
  return o;
}

}  // namespace fb::onednn
