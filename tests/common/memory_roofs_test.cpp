// Which memory level a working set is drawn against (known answers), and
// roofs read back from a record or cache file that may come from elsewhere.
#include <gtest/gtest.h>

#include "common/error.h"
#include "common/memory_roofs.h"

namespace fb {
namespace {

std::vector<MemoryRoof> roofs() {
  return {{"L1d", 32 << 10, 64 << 10, 400}, {"L2", 1 << 20, 2 << 20, 200}, {"L3", 32 << 20, 32 << 20, 100}, {"DRAM", 0, 0, 30}};
}

TEST(MemoryRoofs, AWorkingSetGoesToTheSmallestLevelThatHoldsIt) {
  EXPECT_EQ(roof_for(0, roofs()), 0u);
  EXPECT_EQ(roof_for(64 << 10, roofs()), 0u);        // exactly full
  EXPECT_EQ(roof_for((64 << 10) + 1, roofs()), 1u);  // one byte over: L2
  EXPECT_EQ(roof_for(2 << 20, roofs()), 1u);
  EXPECT_EQ(roof_for(20 << 20, roofs()), 2u);
  EXPECT_EQ(roof_for(1e12, roofs()), 3u);  // beyond every cache: DRAM
  EXPECT_EQ(roof_for(10, {{"DRAM", 0, 0, 30}}), 0u);
  EXPECT_EQ(working_set_bytes(4e6, 1e6), 5e6);
}

TEST(MemoryRoofs, RoundTripsThroughJsonAndRefusesWhatIsNoRoof) {
  MemoryRoof r = memory_roof_from_json(to_json(roofs()[1]));
  EXPECT_EQ(r.name, "L2");
  EXPECT_EQ(r.capacity_bytes, 2 << 20);
  EXPECT_EQ(r.bandwidth_gbs, 200);
  auto message = [](const nlohmann::json& j) {
    try {
      memory_roof_from_json(j);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  nlohmann::json j = to_json(roofs()[0]);
  EXPECT_EQ(message(nlohmann::json::array()), "a memory level is not a JSON object");
  j["name"] = 3;
  EXPECT_EQ(message(j), "memory level field name is not a non-empty string");
  j = to_json(roofs()[0]);
  j["bandwidth_gbs"] = -1;
  EXPECT_EQ(message(j), "memory level field bandwidth_gbs is -1.000000, out of range");
  j = to_json(roofs()[0]);
  j.erase("capacity_bytes");
  EXPECT_EQ(message(j), "memory level field capacity_bytes is not a number");
}

}  // namespace
}  // namespace fb
