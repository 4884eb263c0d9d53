// The measurement record's owner: every section written under the key names
// docs/measurement.md lists, read back typed, and a bad field named.
#include <gtest/gtest.h>

#include <tuple>

#include "common/error.h"
#include "measure/record.h"

namespace fb {
namespace {

using nlohmann::json;

MeasurementRecord full_record() {
  MeasurementRecord r;
  r.descriptor = "resnet50 res=224 classes=1000 backend=onednn batch=2 threads=4";
  r.status = "ok";
  r.per_image_ms = PerImageMs{2, 1.9, 2.1};
  CostSection& c = r.cost.emplace();
  c.macs = 4e9, c.flops = 8e9, c.params = 25e6, c.min_bytes = 3e8, c.peak_activation_bytes = 5e7;
  RooflineSection& f = r.roofline.emplace();
  f.achieved_gflops = 100, f.peak_gflops = 500, f.bandwidth_gbs = 20, f.intensity = 26.7, f.working_set_bytes = 1.5e8;
  f.levels = {{"L2", 1 << 20, 4 << 20, 150}, {"DRAM", 0, 0, 25}};
  f.level = "DRAM";
  f.level_bandwidth_gbs = 25, f.bound_gflops = 500, f.pct_of_peak = 20, f.pct_of_bound = 20;
  f.machine_probed = "2024-01-01T00:00:00Z";
  CountersSection& k = r.counters.emplace();
  k.available = true, k.llc_references = 10, k.llc_misses = 5, k.cycles = 1e9, k.instructions = 2e9;
  CacheSimSection& s = r.cache_sim.emplace();
  s.ll_misses = 7, s.ll_data_misses = 6, s.d1_misses = 70, s.instructions = 1e6, s.data_reads = 3e5,
  s.data_writes = 1e5;
  s.ll_geometry = "6291456,12,64", s.d1_geometry = "32768,8,64", s.i1_geometry = "32768,8,64";
  s.preset = "i5-7600k", s.source = "Intel ARK", s.note = "callgrind", s.collected_runs = 2;
  r.compiled = CompiledSection{3, std::nullopt, {}};
  r.backend_facts = {{"dnnl_version", "3.0"}, {"isa", "avx2"}};
  r.json = {{"environment", {{"cpu_model", "Test CPU"}}}, {"timestamp", "now"}};
  return r;
}

TEST(Record, EverySectionIsWrittenUnderItsDocumentedKeys) {
  const json j = full_record();
  EXPECT_EQ(j["cost"]["per"], "batch");
  for (const char* k : {"macs", "flops", "params", "min_bytes", "peak_activation_bytes"})
    EXPECT_TRUE(j["cost"][k].is_number_integer()) << k;  // counts of the cost model, as it computed them
  EXPECT_EQ(j["cost"]["min_bytes"], 300000000);
  EXPECT_EQ(j["cost"]["peak_activation_bytes"], 50000000);
  EXPECT_DOUBLE_EQ(j["roofline"]["working_set_bytes"].get<double>(), 1.5e8);
  ASSERT_EQ(j["roofline"]["levels"].size(), 2u);
  EXPECT_EQ(j["roofline"]["levels"][0]["name"], "L2");
  EXPECT_EQ(j["roofline"]["level"], "DRAM");
  EXPECT_EQ(j["roofline"]["machine_probed"], "2024-01-01T00:00:00Z");
  EXPECT_EQ(j["counters"]["per"], "inference");
  EXPECT_EQ(j["counters"]["available"], true);
  EXPECT_DOUBLE_EQ(j["counters"]["cycles"].get<double>(), 1e9);
  EXPECT_EQ(j["cache_sim"]["ll_geometry"], "6291456,12,64");
  EXPECT_EQ(j["cache_sim"]["collected_runs"], 2);
  EXPECT_EQ(j["compiled"]["winograd_convs"], 3);
  EXPECT_EQ(j["environment"]["backend_facts"]["dnnl_version"], "3.0");
  EXPECT_EQ(j["environment"]["cpu_model"], "Test CPU");  // the untyped rest, kept
  EXPECT_EQ(j["timestamp"], "now");
}

TEST(Record, EverySectionReadsBack) {
  const MeasurementRecord r = json(full_record()).get<MeasurementRecord>();
  ASSERT_TRUE(r.cost && r.roofline && r.counters && r.cache_sim && r.compiled);
  EXPECT_EQ(r.cost->min_bytes, 3e8);
  EXPECT_EQ(r.cost->peak_activation_bytes, 5e7);
  EXPECT_EQ(r.roofline->working_set_bytes, 1.5e8);
  ASSERT_EQ(r.roofline->levels.size(), 2u);
  EXPECT_EQ(r.roofline->levels[1].name, "DRAM");
  EXPECT_EQ(r.roofline->levels[0].capacity_bytes, 4 << 20);
  EXPECT_EQ(r.roofline->level, "DRAM");
  EXPECT_EQ(r.roofline->pct_of_bound, 20);
  EXPECT_EQ(r.llc_misses(), 5);
  EXPECT_EQ(r.counters->instructions, 2e9);
  EXPECT_EQ(r.ll_misses(), 7);
  EXPECT_EQ(r.cache_sim->ll_geometry, "6291456,12,64");
  EXPECT_EQ(r.cache_sim->collected_runs, 2);
  EXPECT_EQ(r.compiled->winograd_convs, 3);
  EXPECT_EQ(r.backend_facts, (std::vector<std::pair<std::string, std::string>>{{"dnnl_version", "3.0"}, {"isa", "avx2"}}));
}

TEST(Record, NoRooflineOrSimulationIsWrittenAsNullAndFieldsOfANewerFormbenchAreKept) {
  MeasurementRecord r;
  r.status = "ok";
  json j = r;
  EXPECT_TRUE(j.contains("roofline") && j["roofline"].is_null());
  EXPECT_TRUE(j.contains("cache_sim") && j["cache_sim"].is_null());
  EXPECT_FALSE(j.contains("cost"));

  json newer = full_record();
  newer["cost"]["future_count"] = 9;
  newer["environment"]["backend_facts"]["threads"] = 4;  // not a string: kept as its JSON text
  const MeasurementRecord back = newer.get<MeasurementRecord>();
  EXPECT_EQ(json(back)["cost"]["future_count"], 9);
  EXPECT_EQ(back.backend_facts.back(), (std::pair<std::string, std::string>{"threads", "4"}));
}

TEST(Record, CountersAreReadOnlyWhereAvailableIsTrue) {
  json j = full_record();
  j["counters"]["available"] = 1;
  j["counters"]["llc_misses"] = "lots";
  EXPECT_FALSE(j.get<MeasurementRecord>().llc_misses());
  j["counters"] = "none";
  EXPECT_FALSE(j.get<MeasurementRecord>().counters);
}

TEST(Record, ABadFieldOfASectionIsNamed) {
  struct Case {
    const char* pointer;
    json value;
    const char* expect;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"/cost/min_bytes", -1, "record field cost.min_bytes is -1, outside"},
           {"/cost/peak_activation_bytes", "big", "record field cost.peak_activation_bytes is not a number"},
           {"/cost", 5, "record field cost is not an object"},
           {"/roofline/working_set_bytes", 1e31, "record field roofline.working_set_bytes is 1e+31, outside"},
           {"/roofline/levels", 3, "record field roofline.levels is not an array of at most 16 levels"},
           {"/roofline/levels/0/bandwidth_gbs", "fast", "memory level field bandwidth_gbs is not a number"},
           {"/roofline/level", 2, "record field roofline.level is not a string"},
           {"/roofline/pct_of_bound", -5, "record field roofline.pct_of_bound is -5, outside"},
           {"/counters/cycles", -1, "record field counters.cycles is -1, outside"},
           {"/counters/reason", 7, "record field counters.reason is not a string"},
           {"/cache_sim/d1_misses", -2, "record field cache_sim.d1_misses is -2, outside"},
           {"/cache_sim/ll_geometry", 64, "record field cache_sim.ll_geometry is not a string"},
           {"/compiled/winograd_convs", -1, "record field compiled.winograd_convs is -1, outside"},
           {"/compiled", "yes", "record field compiled is not an object"}}) {
    json j = full_record();
    j[json::json_pointer(c.pointer)] = c.value;
    try {
      j.get<MeasurementRecord>();
      ADD_FAILURE() << "accepted " << c.pointer;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(c.expect), std::string::npos) << c.pointer << " -> " << e.what();
    }
  }
  json many = full_record();
  many["roofline"]["levels"] = json::array();
  for (int i = 0; i < 17; ++i) many["roofline"]["levels"].push_back(to_json(MemoryRoof{"L1d", 1, 1, 1}));
  EXPECT_THROW(many.get<MeasurementRecord>(), UsageError);
}


MeasurementRecord profiled_record() {
  MeasurementRecord r = full_record();
  ProfileSection& p = r.profile.emplace();
  p.step_sum_ms = 3.5, p.end_to_end_ms = 3.8, p.steps = 12;
  p.step_timing = "A step is one primitive.";
  p.by_op_kind = {{"depthwise", 4, 2.0, 2.0 / 3.5, 8.5, 12.0}, {"conv 1x1", 8, 1.5, 1.5 / 3.5, 40, 9}};
  p.by_node = {{"block1.dw", 1, 0.5, 0.5 / 3.5, 8, 12}};
  return r;
}

// profile=1's section: written under profile.*, read back typed.
TEST(Record, TheProfileSectionRoundTrips) {
  const json j = profiled_record();
  EXPECT_EQ(j["profile"]["per"], "batch");
  EXPECT_EQ(j["profile"]["by_op_kind"][0]["name"], "depthwise");
  EXPECT_DOUBLE_EQ(j["profile"]["step_sum_ms"].get<double>(), 3.5);
  const MeasurementRecord r = j.get<MeasurementRecord>();
  ASSERT_TRUE(r.profile);
  EXPECT_EQ(r.profile->steps, 12);
  EXPECT_EQ(r.profile->end_to_end_ms, 3.8);
  EXPECT_EQ(r.profile->step_timing, "A step is one primitive.");
  ASSERT_EQ(r.profile->by_op_kind.size(), 2u);
  EXPECT_EQ(r.profile->by_op_kind[1].name, "conv 1x1");
  EXPECT_EQ(r.profile->by_op_kind[1].steps, 8);
  EXPECT_EQ(r.profile->by_op_kind[1].median_ms, 1.5);
  EXPECT_EQ(r.profile->by_op_kind[1].gflops, 40);
  ASSERT_EQ(r.profile->by_node.size(), 1u);
  EXPECT_EQ(r.profile->by_node[0].name, "block1.dw");
  EXPECT_FALSE(json(full_record()).contains("profile"));  // no profile=1, no section
  EXPECT_FALSE(json(full_record()).get<MeasurementRecord>().profile);
}

TEST(Record, AMalformedProfileIsNamed) {
  struct Case {
    const char* pointer;
    json value;
    const char* expect;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"/profile", "fast", "record field profile is not an object"},
           {"/profile/step_sum_ms", -1, "record field profile.step_sum_ms is -1, outside"},
           {"/profile/end_to_end_ms", nullptr, "record field profile.end_to_end_ms is missing"},
           {"/profile/by_op_kind", nullptr, "record field profile.by_op_kind is missing"},
           {"/profile/by_op_kind", json::object(), "record field profile.by_op_kind is not an array"},
           {"/profile/by_op_kind/1", 3, "record field profile.by_op_kind[1] is not an object"},
           {"/profile/by_op_kind/0/name", "", "record field profile.by_op_kind[0].name is missing or empty"},
           {"/profile/by_op_kind/0/name", 7, "record field profile.by_op_kind[0].name is not a string"},
           {"/profile/by_op_kind/0/median_ms", "1", "record field profile.by_op_kind[0].median_ms is not a number"},
           {"/profile/by_op_kind/1/median_ms", nullptr, "record field profile.by_op_kind[1].median_ms is missing"},
           {"/profile/by_op_kind/0/share", 2, "record field profile.by_op_kind[0].share is 2, outside"},
           {"/profile/by_op_kind/0/steps", -4, "record field profile.by_op_kind[0].steps is -4, outside"},
           {"/profile/by_node/0/gflops", -1, "record field profile.by_node[0].gflops is -1, outside"}}) {
    json j = profiled_record();
    j[json::json_pointer(c.pointer)] = c.value;
    try {
      j.get<MeasurementRecord>();
      ADD_FAILURE() << "accepted " << c.pointer;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(c.expect), std::string::npos) << c.pointer << " -> " << e.what();
    }
  }
}

// Each (JSON pointer, value, message): `j` with that field set so is
// refused, and the message names the field.
void expect_each_refused(const json& j, std::initializer_list<std::tuple<const char*, json, const char*>> cases) {
  for (const auto& [pointer, value, expect] : cases) {
    json bad = j;
    bad[json::json_pointer(pointer)] = value;
    try {
      bad.get<MeasurementRecord>();
      ADD_FAILURE() << "accepted " << pointer;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(expect), std::string::npos) << e.what();
    }
  }
}

// How long compile() took and the backend's split of it.
TEST(Record, CompileTimeAndItsPhasesRoundTrip) {
  MeasurementRecord r = full_record();
  r.compiled = CompiledSection{2, 812.5, {{"lower", 3.0}, {"tuning", 640.25}}};
  const json j = r;
  EXPECT_DOUBLE_EQ(j["compiled"]["compile_ms"].get<double>(), 812.5);
  EXPECT_EQ(j["compiled"]["phases"][1]["name"], "tuning");
  const MeasurementRecord back = j.get<MeasurementRecord>();
  EXPECT_EQ(back.compiled->winograd_convs, 2);
  EXPECT_DOUBLE_EQ(*back.compiled->compile_ms, 812.5);
  EXPECT_EQ(back.compiled->phases_ms, r.compiled->phases_ms);
  expect_each_refused(j, {
           {"/compiled/compile_ms", -1, "record field compiled.compile_ms is -1, outside"},
           {"/compiled/phases", "fast", "record field compiled.phases is not an array"},
           {"/compiled/phases/0", 3, "record field compiled.phases[0] is not an object"},
           {"/compiled/phases/1/name", "", "record field compiled.phases[1].name is missing or empty"},
           {"/compiled/phases/1/ms", nullptr, "record field compiled.phases[1].ms is missing"}});
}

// check=1's section and an out-of-process engine's copies: written under
// their documented keys, read back typed; a bad value is named.
TEST(Record, TheCheckSectionAndTheTimeOutsideTheEngineRoundTrip) {
  MeasurementRecord r = full_record();
  r.check = CheckSection{"reference", "resnet18 res=32", 2e-6, 4.0, 5e-7, 1e-3, true, ""};
  r.outside_engine_ms = 0.4;
  const json j = r;
  EXPECT_EQ(j["check"]["against"], "reference");
  EXPECT_EQ(j["check"]["at"], "resnet18 res=32");
  EXPECT_DOUBLE_EQ(j["check"]["relative"].get<double>(), 5e-7);
  EXPECT_EQ(j["check"]["agrees"], true);
  EXPECT_FALSE(j["check"].contains("error"));
  EXPECT_DOUBLE_EQ(j["outside_engine_ms"].get<double>(), 0.4);
  const MeasurementRecord back = j.get<MeasurementRecord>();
  ASSERT_TRUE(back.check);
  EXPECT_EQ(back.check->at, "resnet18 res=32");
  EXPECT_DOUBLE_EQ(back.check->max_ref, 4.0);
  EXPECT_DOUBLE_EQ(back.check->bound, 1e-3);
  EXPECT_TRUE(back.check->agrees);
  EXPECT_DOUBLE_EQ(*back.outside_engine_ms, 0.4);
  EXPECT_FALSE(json(full_record()).contains("check"));  // no check=1, no section
  EXPECT_FALSE(json(full_record()).contains("outside_engine_ms"));

  // A backend that could not run the checked model: its words, no numbers.
  json failed = j;
  failed["check"] = {{"against", "reference"}, {"at", "x"}, {"agrees", false}, {"error", "opencv: cannot"}};
  EXPECT_EQ(failed.get<MeasurementRecord>().check->error, "opencv: cannot");

  expect_each_refused(j, {
           {"/check/relative", -1, "record field check.relative is -1, outside"},
           {"/check/relative", nullptr, "record field check.relative is missing"},
           {"/check/at", nullptr, "record field check.against or check.at is missing"},
           {"/check/bound", 5, "record field check.bound is 5, outside"},
           {"/outside_engine_ms", "fast", "record field outside_engine_ms is not a number"},
           {"/outside_engine_ms", -0.5, "record field outside_engine_ms is -0.5, outside"}});
}

// A reduced precision's accuracy against fp32: written under its documented
// keys, read back typed; a comparison that did not run keeps its words only.
TEST(Record, TheAccuracySectionRoundTrips) {
  MeasurementRecord r = full_record();
  AccuracySection a;
  a.against = "fp32 (the same backend)";
  a.inputs = 32;
  a.max_rel = 0.02, a.mean_rel = 0.003, a.top1 = 0.875, a.top5 = 1, a.confident_inputs = 8, a.confident_top1 = 1;
  a.confident_margin = 1.5, a.calibration_inputs = 16;
  r.accuracy = a;
  const json j = r;
  EXPECT_EQ(j["accuracy"]["against"], "fp32 (the same backend)");
  EXPECT_DOUBLE_EQ(j["accuracy"]["top1"].get<double>(), 0.875);
  EXPECT_EQ(j["accuracy"]["calibration_inputs"], 16);
  const MeasurementRecord back = j.get<MeasurementRecord>();
  ASSERT_TRUE(back.accuracy);
  EXPECT_DOUBLE_EQ(back.accuracy->max_rel, 0.02);
  EXPECT_EQ(back.accuracy->confident_inputs, 8);
  EXPECT_DOUBLE_EQ(back.accuracy->confident_margin, 1.5);
  EXPECT_FALSE(json(full_record()).contains("accuracy"));  // fp32: no section

  json failed = j;
  failed["accuracy"] = {{"against", "fp32 (the same backend)"}, {"inputs", 32}, {"error", "torch: bf16 conv missing"}};
  EXPECT_EQ(failed.get<MeasurementRecord>().accuracy->error, "torch: bf16 conv missing");

  expect_each_refused(j, {
           {"/accuracy/top1", 1.5, "record field accuracy.top1 is 1.5, outside"},
           {"/accuracy/max_rel", nullptr, "record field accuracy.max_rel is missing"},
           {"/accuracy/against", nullptr, "record field accuracy.against is missing"}});
}

}  // namespace
}  // namespace fb
