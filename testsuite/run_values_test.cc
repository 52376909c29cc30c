#include "testsuite/run_values.h"

#include "gtest/gtest.h"

namespace lathe::testsuite {
namespace {

using ir::Type;

u128 Parse(const char* text, Type t) {
  absl::StatusOr<u128> v = ParseRunValue(text, t);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status();
  return v.ok() ? *v : 0;
}

TEST(RunValues, Integers) {
  EXPECT_EQ(Parse("-1", ir::kI8), u128{0xff});
  EXPECT_EQ(Parse("255", ir::kI8), u128{0xff});
  EXPECT_EQ(Parse("0xffff_ffff", ir::kI32), u128{0xffffffffu});
  EXPECT_EQ(Parse("true", ir::kI8), u128{1});
  EXPECT_EQ(Parse("-170141183460469231731687303715884105728", ir::kI128), u128{1} << 127);
  EXPECT_FALSE(ParseRunValue("256", ir::kI8).ok());
  EXPECT_FALSE(ParseRunValue("-129", ir::kI8).ok());
  EXPECT_FALSE(ParseRunValue("12x", ir::kI32).ok());
  EXPECT_FALSE(ParseRunValue("", ir::kI32).ok());
  EXPECT_EQ(FormatRunValue(0xff, ir::kI8), "-1");
  EXPECT_EQ(FormatRunValue(u128{1} << 127, ir::kI128), "-170141183460469231731687303715884105728");
}

TEST(RunValues, Floats) {
  EXPECT_EQ(Parse("0x1.0", ir::kF32), u128{0x3f800000u});
  EXPECT_EQ(Parse("-0x0.0", ir::kF64), u128{0x8000000000000000ull});
  EXPECT_EQ(Parse("+NaN:0x1", ir::kF32), u128{0x7fc00001u});
  EXPECT_EQ(Parse("-Inf", ir::kF16), u128{0xfc00});
  EXPECT_FALSE(ParseRunValue("one", ir::kF32).ok());
  EXPECT_EQ(FormatRunValue(0x3f800000u, ir::kF32), "0x1.000000p0");
  // Bit equality: NaN payloads and the sign of zero matter.
  EXPECT_FALSE(RunValuesEqual(0x7fc00000u, 0x7fc00001u, ir::kF32));
  EXPECT_FALSE(RunValuesEqual(0, 0x80000000u, ir::kF32));
}

TEST(RunValues, Vectors) {
  Type i32x4 = Type::Vector(ir::kI32, 4);
  u128 v = Parse("[1 2 3 -1]", i32x4);
  EXPECT_EQ(v, (u128{0xffffffffu} << 96) | (u128{3} << 64) | (u128{2} << 32) | 1);
  EXPECT_EQ(FormatRunValue(v, i32x4), "[1 2 3 -1]");
  EXPECT_EQ(Parse("0x00000004000000030000000200000001", i32x4), (u128{4} << 96) | (u128{3} << 64) | (u128{2} << 32) | 1);
  EXPECT_FALSE(ParseRunValue("[1 2 3]", i32x4).ok());
  EXPECT_FALSE(ParseRunValue("[1 2 3 4", i32x4).ok());
  EXPECT_EQ(Parse("[0 -1] ; a comment", Type::Vector(ir::kI64, 2)), ~u128{0} << 64);
}

}  // namespace
}  // namespace lathe::testsuite
