// The measurement descriptor: canonical order, round trip, clear errors.
#include <gtest/gtest.h>

#include "common/error.h"
#include "measure/config.h"

namespace fb {
namespace {

TEST(MeasureConfig, CanonicalFormFillsDefaultsAndOrdersFields) {
  MeasureConfig c = MeasureConfig::parse("pattern:dw_bottleneck threads=2 batch=8 width=32 backend=onednn depth=20");
  EXPECT_EQ(c.str(),
            "pattern:dw_bottleneck depth=20 width=32 res=224 classes=1000 reduction=4 expansion=1 backend=onednn "
            "batch=8 threads=2");
  EXPECT_EQ(c.batch, 8);
  EXPECT_EQ(c.threads, 2);
  EXPECT_TRUE(c.isa.empty());
  EXPECT_TRUE(c.cache_sim.empty());
}

TEST(MeasureConfig, RoundTripsOptionalFields) {
  for (const char* text :
       {"pattern:standard depth=3 width=16 res=32 classes=10 backend=reference batch=1 threads=1",
        "pattern:grouped depth=2 width=32 res=64 classes=1000 groups=8 backend=onednn:nofuse batch=4 threads=2 "
        "isa=avx2 cache_sim=i5-7600k",
        "pattern:standard depth=3 width=16 res=32 classes=10 backend=torch batch=2 threads=1 cache_sim=6291456,12,64 "
        "env.GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4294967296 env.OMP_PROC_BIND=true"}) {
    MeasureConfig c = MeasureConfig::parse(text);
    EXPECT_EQ(c.str(), text);
    EXPECT_EQ(MeasureConfig::parse(c.str()).str(), c.str());
  }
  MeasureConfig c = MeasureConfig::parse(
      "pattern:standard backend=torch batch=2 threads=1 env.GLIBC_TUNABLES=glibc.malloc.mmap_threshold=4294967296");
  ASSERT_EQ(c.env.size(), 1u);
  EXPECT_EQ(c.env[0].first, "GLIBC_TUNABLES");
  EXPECT_EQ(c.env[0].second, "glibc.malloc.mmap_threshold=4294967296");
}

// profile=1 is a run field: canonical after cache_sim, before env.*; 0 is
// never written, so a descriptor without a profile keeps its store key.
TEST(MeasureConfig, ProfileIsARunFieldWrittenOnlyWhenOn) {
  const std::string base = "pattern:standard depth=3 width=16 res=32 classes=10 backend=torch batch=2 threads=1";
  MeasureConfig on = MeasureConfig::parse(base + " env.OMP_PROC_BIND=true profile=1 cache_sim=host");
  EXPECT_TRUE(on.profile);
  EXPECT_EQ(on.str(), base + " cache_sim=host profile=1 env.OMP_PROC_BIND=true");
  EXPECT_EQ(MeasureConfig::parse(on.str()).str(), on.str());
  MeasureConfig off = MeasureConfig::parse(base + " profile=0");
  EXPECT_FALSE(off.profile);
  EXPECT_EQ(off.str(), base);
  EXPECT_FALSE(MeasureConfig::parse(base).profile);
  const RunFields f = RunFields::split(Descriptor::parse(base + " profile=1"));
  EXPECT_EQ(f.profile, "1");
  EXPECT_FALSE(f.model.get("profile"));  // a run field, not a model knob
  try {
    MeasureConfig::parse(base + " profile=yes");
    ADD_FAILURE() << "profile=yes accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("profile=yes must be 0 or 1"), std::string::npos) << e.what();
  }
}

TEST(MeasureConfig, CheckIsARunFieldWrittenOnlyWhenOn) {
  const std::string base = "pattern:standard depth=3 width=16 res=32 classes=10 backend=ort batch=2 threads=1";
  MeasureConfig on = MeasureConfig::parse(base + " check=1 profile=1");
  EXPECT_TRUE(on.check);
  EXPECT_EQ(on.str(), base + " profile=1 check=1");
  EXPECT_EQ(MeasureConfig::parse(on.str()).str(), on.str());
  EXPECT_EQ(MeasureConfig::parse(base + " check=0").str(), base);
  EXPECT_EQ(RunFields::split(Descriptor::parse(on.str())).check, "1");
  EXPECT_FALSE(RunFields::split(Descriptor::parse(on.str())).model.get("check"));
  try {
    MeasureConfig::parse(base + " check=yes");
    ADD_FAILURE() << "check=yes accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("check=yes must be 0 or 1"), std::string::npos) << e.what();
  }
}

// precision= is a run field after isa; fp32, the default, is never written,
// so every store key from before precision existed is still its key.
TEST(MeasureConfig, PrecisionIsARunFieldWrittenOnlyWhenReduced) {
  const std::string base = "pattern:standard depth=3 width=16 res=32 classes=10 backend=onednn batch=2 threads=1";
  MeasureConfig bf16 = MeasureConfig::parse(base + " cache_sim=host precision=bf16 isa=avx512_core");
  EXPECT_EQ(bf16.precision, Precision::bf16);
  EXPECT_EQ(bf16.str(), base + " isa=avx512_core precision=bf16 cache_sim=host");
  EXPECT_EQ(MeasureConfig::parse(base + " precision=fp32").str(), base);
  MeasureConfig int8 = MeasureConfig::parse(base + " precision=int8 calibration=8");
  EXPECT_EQ(int8.calibration, 8);
  EXPECT_EQ(int8.str(), base + " precision=int8 calibration=8");
  EXPECT_EQ(RunFields::split(Descriptor::parse(int8.str())).precision, "int8");
  EXPECT_FALSE(RunFields::split(Descriptor::parse(int8.str())).model.get("precision"));
  auto refused = [&](const std::string& fields, const std::string& says) {
    try {
      MeasureConfig::parse(base + " " + fields);
      ADD_FAILURE() << fields << " accepted";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  };
  refused("precision=fp16", "unknown precision 'fp16'; precisions: fp32 (the default), bf16, int8");
  refused("precision=bf16 calibration=8", "calibration= sets int8's calibration set; it needs precision=int8");
  refused("precision=int8 calibration=0", "calibration");
  refused("precision=int8 calibration=99999999999999999999", "calibration");
}

TEST(MeasureConfig, BadDescriptorsSayWhatIsWrong) {
  struct Case {
    const char* text;
    const char* expect;
  };
  for (const Case& k : std::initializer_list<Case>{
           {"pattern:standard batch=1 threads=1", "missing backend"},
           {"pattern:standard backend=reference threads=1", "missing batch"},
           {"pattern:standard backend=reference batch=1", "missing threads"},
           {"pattern:standard backend=reference batch=0 threads=1", "batch: '0' is out of range (1..65536)"},
           {"pattern:standard backend=reference batch=x threads=1", "batch: 'x' is not a whole number; expected 1..65536"},
           {"pattern:standard backend=reference batch=1 threads=1 colour=red", "no knob 'colour'"},
           {"pattern:nope backend=reference batch=1 threads=1", "unknown model"},
           {"pattern:standard backend=reference batch=1 batch=2 threads=1", "given twice"},
           {"pattern:standard backend=reference batch=1 threads=1 env.=1", "needs a variable name"}}) {
    try {
      MeasureConfig::parse(k.text);
      ADD_FAILURE() << "accepted: " << k.text;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(k.expect), std::string::npos) << k.text << " -> " << e.what();
    }
  }
}

// The one parser of the run fields reads what the store and the report get:
// a model this build does not know, numbers it does not check.
TEST(RunFields, SplitsTheRunFieldsFromAModelItDoesNotBuild) {
  const RunFields f = RunFields::split(Descriptor::parse(
      "pattern:from_the_future depth=3 hue=7 backend=onednn:nofuse batch=abc threads=2 isa=avx2 cache_sim=host "
      "env.OMP_PROC_BIND=true env.=x"));
  EXPECT_EQ(f.model.str(), "pattern:from_the_future depth=3 hue=7");
  EXPECT_EQ(f.backend, "onednn:nofuse");
  EXPECT_EQ(f.batch, "abc");
  EXPECT_EQ(f.threads, "2");
  EXPECT_EQ(f.isa, "avx2");
  EXPECT_EQ(f.cache_sim, "host");
  ASSERT_EQ(f.env.size(), 2u);
  EXPECT_EQ(f.env[0], (std::pair<std::string, std::string>{"OMP_PROC_BIND", "true"}));
  EXPECT_EQ(f.env[1], (std::pair<std::string, std::string>{"", "x"}));

  const RunFields bare = RunFields::split(Descriptor::parse("resnet50"));
  EXPECT_EQ(bare.model.str(), "resnet50");
  EXPECT_TRUE(bare.backend.empty() && bare.batch.empty() && bare.threads.empty() && bare.env.empty());
}

// The composer writes what the parser splits: the model, then the run fields.
TEST(RunFields, ComposedDescriptorSplitsBackIntoItsFields) {
  MeasureConfig c{parse_model("pattern:standard depth=3 width=16 res=32 classes=10"), "torch", 4, 2, "", "host",
                  {{"B", "2"}, {"A", "1"}}};
  EXPECT_EQ(c.str(), "pattern:standard depth=3 width=16 res=32 classes=10 backend=torch batch=4 threads=2 "
                     "cache_sim=host env.B=2 env.A=1");
  const RunFields f = RunFields::split(Descriptor::parse(c.str()));
  EXPECT_EQ(f.model.str(), c.model.str());
  EXPECT_EQ(f.batch, "4");
  EXPECT_TRUE(f.isa.empty());
  EXPECT_EQ(f.env, c.env);
}

}  // namespace
}  // namespace fb
