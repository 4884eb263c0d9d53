#pragma once
// Why the engine is faster, from the profiles (profile=1 rows): for each
// configuration profiled on both roles, each op kind's time per image on the
// native framework and on the accelerated engine, the op kind that accounts
// for most of the speed-up (a finding), and a stacked-bar figure.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "report/analysis.h"
#include "report/figures.h"

namespace fb::report {

struct ProfileComparison {
  const Measurement* native = nullptr;
  const Measurement* accelerated = nullptr;
  std::string subject;  // "dw_bottleneck" or a zoo network's name
  std::string fixed;    // its knobs in words: "depth 10, width 32, res 64, batch 1, 2 threads"
  std::vector<std::string> kinds;  // every op kind of either profile, in kProfileKinds order, then by name
  std::map<std::string, double> native_ms, accelerated_ms;  // per image, by op kind (absent: 0)
  double native_total_ms = 0, accelerated_total_ms = 0;     // step sums per image
};

// The op kinds in the order figures stack them.
const std::vector<std::string>& profile_kinds();

// The pairs of profiled rows (same configuration, native and accelerated
// role), in the Dataset's order.
std::vector<ProfileComparison> profile_comparisons(const Dataset& d, const BackendRoles& roles);

// The op kind whose time shrank most (the speed-up's largest source), or,
// when the engine is not faster, the one whose time grew most.
struct SpeedupSource {
  std::string kind;
  double saved_ms = 0;        // per image, native minus accelerated
  double share_of_saving = 0;  // of the whole saving; 0 when there is none
};
SpeedupSource main_speedup_source(const ProfileComparison& c);

// The findings line: "onednn is 3.1x faster than torch on dw_bottleneck
// (...): depthwise accounts for 62 % of the time saved (...)".
Finding profile_finding(const ProfileComparison& c, const BackendRoles& roles);

// One stacked bar per role: time per image by op kind.
Figure profile_figure(const ProfileComparison& c, const BackendRoles& roles, const std::filesystem::path& dir,
                      const std::string& name, const std::string& suffix);

}  // namespace fb::report
