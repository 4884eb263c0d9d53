// check=1 (measure/output_check.h): the measured backend's output against
// the reference backend's, on the same model at a small input.
#include <gtest/gtest.h>

#include "backends/backend.h"
#include "measure/output_check.h"

namespace fb {
namespace {

MeasureConfig config(const std::string& text) { return MeasureConfig::parse(text); }

TEST(OutputCheck, AnAgreeingBackendAtTheSmallInput) {
  const MeasureConfig c = config("pattern:grouped depth=4 width=32 res=224 backend=onednn batch=8 threads=2 check=1");
  const CheckSection s = check_against_reference(c, choose_backend("onednn", 2), 1);
  EXPECT_EQ(s.against, "reference");
  EXPECT_NE(s.at.find("res=32"), std::string::npos) << s.at;  // not the measured 224
  EXPECT_EQ(s.error, "");
  EXPECT_TRUE(s.agrees);
  EXPECT_GT(s.max_ref, 0);
  EXPECT_LT(s.relative, 1e-4);
  EXPECT_EQ(s.bound, kCheckBound);
}

TEST(OutputCheck, ASmallerInputOrTheArchitecturesMinimumIsKept) {
  // Already below 32: checked as measured.
  EXPECT_NE(check_against_reference(config("pattern:standard depth=2 width=8 res=16 backend=onednn batch=1 threads=1"),
                                    choose_backend("onednn", 1), 1)
                .at.find("res=16"),
            std::string::npos);
  // Inception-v3 needs at least 75 pixels: checked there, not at 32.
  const MeasureConfig inception = config("inception_v3 backend=onednn batch=1 threads=2");
  const ModelDef& def = *inception.model.def;
  int64_t min_res = 0;
  for (const auto& k : def.knobs)
    if (k.name == "res") min_res = k.min_value;
  ASSERT_GT(min_res, 32);
  EXPECT_NE(check_against_reference(inception, choose_backend("onednn", 2), 1).at.find("res=" + std::to_string(min_res)),
            std::string::npos);
}

// A backend that cannot run the model says why in the section; no exception:
// the timed measurement already stands.
TEST(OutputCheck, ABackendThatCannotRunTheModelGivesItsErrorNotAnException) {
  const MeasureConfig c = config("pattern:standard depth=2 width=8 res=16 backend=onednn batch=1 threads=1");
  BackendChoice bad = choose_backend("onednn", 1);
  bad.options.isa = "no_such_isa";
  const CheckSection s = check_against_reference(c, bad, 1);
  EXPECT_FALSE(s.agrees);
  EXPECT_NE(s.error.find("no_such_isa"), std::string::npos) << s.error;
}

}  // namespace
}  // namespace fb
