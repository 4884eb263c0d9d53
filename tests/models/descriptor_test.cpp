#include <gtest/gtest.h>

#include "common/error.h"
#include "models/catalog.h"

namespace fb {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_model(text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Descriptor, ParsePrintRoundTrip) {
  for (const char* text : {"pattern:dw_bottleneck depth=30 width=128 res=224", "x", "a b=1 c=two"}) {
    Descriptor d = Descriptor::parse(text);
    EXPECT_EQ(d.str(), text);
    EXPECT_EQ(Descriptor::parse(d.str()).str(), d.str());
  }
  Descriptor d = Descriptor::parse("  m   k=v  ");
  EXPECT_EQ(d.head, "m");
  EXPECT_EQ(d.get("k"), "v");
  EXPECT_FALSE(d.get("z"));
}

TEST(Descriptor, MalformedTokensAreRejected) {
  EXPECT_THROW(Descriptor::parse("m k="), UsageError);
  EXPECT_THROW(Descriptor::parse("m =v"), UsageError);
  EXPECT_THROW(Descriptor::parse("m k=1 k=2"), UsageError);
  EXPECT_THROW(Descriptor::parse("k=1"), UsageError);
  EXPECT_THROW(Descriptor::parse("m n"), UsageError);
}

TEST(ModelSpec, CanonicalFormFillsDefaultsInKnobOrder) {
  ModelSpec s = parse_model("pattern:grouped width=64 depth=30");
  EXPECT_EQ(s.str(), "pattern:grouped depth=30 width=64 res=224 classes=1000 groups=8");
  EXPECT_EQ(parse_model(s.str()).str(), s.str());
  EXPECT_EQ(s.knob("depth"), 30);
}

TEST(ModelSpec, BadInputNamesTheProblem) {
  EXPECT_NE(error_of("pattern:nope").find("unknown model 'pattern:nope'; known models: pattern:standard"),
            std::string::npos);
  EXPECT_NE(error_of("pattern:standard groups=4").find("pattern:standard has no knob 'groups'"), std::string::npos);
  EXPECT_EQ(error_of("pattern:standard depth=ten"), "pattern:standard depth: 'ten' is not a whole number; expected 1..1000");
  EXPECT_EQ(error_of("pattern:standard depth=0"), "pattern:standard depth: '0' is out of range (1..1000)");
  // Beyond int64 it is still out of range, not "not a whole number".
  EXPECT_EQ(error_of("pattern:standard depth=100000000000000000000"),
            "pattern:standard depth: '100000000000000000000' is out of range (1..1000)");
}

TEST(ModelSpec, BatchIsBounded) {
  ModelSpec s = parse_model("pattern:standard depth=1 width=8 res=16");
  EXPECT_NO_THROW(s.build(kMaxBatch));
  try {
    s.build(4611686018427387905);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "batch: 4611686018427387905 is out of range (1..65536)");
  }
}

TEST(ModelSpec, IgnoredKeysPassThrough) {
  ModelSpec s = resolve_model(Descriptor::parse("pattern:standard depth=3 batch=8 backend=torch"), {"batch", "backend"});
  EXPECT_EQ(s.knob("depth"), 3);
}

}  // namespace
}  // namespace fb
