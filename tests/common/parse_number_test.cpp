// The shared strict number parser: whole strings only, finite, in range, and
// every refusal names the option and the range.
#include <gtest/gtest.h>

#include <cmath>

#include "common/checked.h"
#include "common/error.h"
#include "common/parse_number.h"

namespace fb {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ParseNumber, IntegersAreWholeAndInRange) {
  EXPECT_EQ(parse_int("42", "--batch", 1, 65536), 42);
  EXPECT_EQ(error_of([] { parse_int("4611686018427387905", "--batch", 1, 65536); }),
            "--batch: '4611686018427387905' is out of range (1..65536)");
  EXPECT_EQ(error_of([] { parse_int("100000000000000000000", "depth", 1, 1000); }),
            "depth: '100000000000000000000' is out of range (1..1000)");
  EXPECT_EQ(error_of([] { parse_int("0", "depth", 1, 1000); }), "depth: '0' is out of range (1..1000)");
  EXPECT_EQ(error_of([] { parse_int("ten", "depth", 1, 1000); }),
            "depth: 'ten' is not a whole number; expected 1..1000");
  for (const char* bad : {"", "1.5", "12abc", " 1", "1 ", "+1", "0x10"})
    EXPECT_NE(error_of([&] { parse_int(bad, "n"); }).find("is not a whole number"), std::string::npos) << bad;
  EXPECT_NE(error_of([] { parse_int("-1", "--max-retries", 0, 10); }).find("out of range (0..10)"), std::string::npos);
}

TEST(ParseNumber, RealsAreFiniteAndInRange) {
  EXPECT_DOUBLE_EQ(parse_real("0.02", "--target", 1e-4, 1), 0.02);
  for (const char* bad : {"nan", "inf", "-inf", "1.2.3", "1,5", "", "0.5x"})
    EXPECT_NE(error_of([&] { parse_real(bad, "--target", 0, 1); }).find("--target: '"), std::string::npos) << bad;
  EXPECT_EQ(error_of([] { parse_real("1.2.3", "--target", 0, 1); }), "--target: '1.2.3' is not a number; expected 0..1");
  EXPECT_EQ(error_of([] { parse_real("1e999", "--target", 0, 1); }), "--target: '1e999' is out of range (0..1)");
  EXPECT_EQ(error_of([] { check_real(std::nan(""), "min_time", 0, 1); }), "min_time: nan is out of range (0..1)");
}

TEST(ParseNumber, DurationsAreWholeAndInRange) {
  EXPECT_DOUBLE_EQ(parse_duration("90", "t"), 90);
  EXPECT_DOUBLE_EQ(parse_duration("1.5m", "t"), 90);
  EXPECT_DOUBLE_EQ(parse_duration("1h30m", "t"), 5400);
  EXPECT_DOUBLE_EQ(parse_duration("2d", "t"), 172800);
  // std::stod read "1.2" from these before.
  EXPECT_EQ(error_of([] { parse_duration("1.2.3s", "--max-time"); }),
            "--max-time: '1.2.3s' is not a duration; write e.g. 90s, 15m, 2h or 1h30m");
  for (const char* bad : {"1.2.3", "", "s", "-5", "nan", "inf", "1e3", "30x", "1h30", ".", "5 m"})
    EXPECT_NE(error_of([&] { parse_duration(bad, "--max-time"); }).find("is not a duration"), std::string::npos)
        << bad;
  EXPECT_EQ(error_of([] { parse_duration("0s", "--timeout", 1, 86400); }), "--timeout: '0s' is out of range (1s..1d)");
  EXPECT_EQ(error_of([] { check_duration(INFINITY, "min_time", 0, 86400); }),
            "min_time: inf s is out of range (0s..1d)");
}

TEST(Checked, OverflowIsAUsageErrorNamingTheQuantity) {
  EXPECT_EQ(checked_mul(int64_t{1} << 31, int64_t{1} << 31, "x"), int64_t{1} << 62);
  EXPECT_EQ(error_of([] { checked_mul(int64_t{1} << 32, int64_t{1} << 32, "the MACs of conv1"); }),
            "the MACs of conv1 does not fit in 64 bits; lower batch, res, width or depth");
  EXPECT_THROW(checked_add(INT64_MAX, 1, "x"), UsageError);
}

}  // namespace
}  // namespace fb
