// Unit tests of the text layer: types, floats, error locations and canonical printing.
#include <string>

#include "gtest/gtest.h"
#include "ir/ieee_float.h"
#include "ir/parser.h"
#include "ir/printer.h"

namespace lathe::ir {
namespace {

TEST(Types, ParseAndDerive) {
  EXPECT_EQ(Type::Parse("i32x4")->Name(), "i32x4");
  EXPECT_FALSE(Type::Parse("i32x3").has_value());
  EXPECT_FALSE(Type::Parse("i7").has_value());
  Type v = *Type::Parse("i16x8");
  EXPECT_EQ(v.bits_total(), 128u);
  EXPECT_EQ(v.merge_lanes().Name(), "i32x4");
  EXPECT_EQ(v.split_lanes().Name(), "i8x16");
  EXPECT_EQ(Type::Parse("f64x2")->as_truthy().Name(), "i64x2");
  EXPECT_EQ(kF32.as_truthy(), kI8);
  EXPECT_FALSE(kI8.half_width().valid());
}

TEST(IeeeFloat, FormatsLikeCranelift) {
  EXPECT_EQ(FormatIeee(0x40800000u, kSingle), "0x1.000000p2");
  EXPECT_EQ(FormatIeee(0x4010000000000000ull, kDouble), "0x1.0000000000000p2");
  EXPECT_EQ(FormatIeee(0x8000u, kHalf), "-0.0");
  EXPECT_EQ(FormatIeee(0x7fc00000u, kSingle), "+NaN");
  EXPECT_EQ(FormatIeee(0x7f800001u, kSingle), "+sNaN:0x1");
  EXPECT_EQ(FormatIeee(0xff800000u, kSingle), "-Inf");
  EXPECT_EQ(FormatIeee(0x00000001u, kSingle), "0x0.000002p-126");
}

TEST(IeeeFloat, ParsesExactValuesAndRejectsInexactOnes) {
  u128 bits;
  std::string err;
  ASSERT_TRUE(ParseIeee("0x4.0p0", kDouble, &bits, &err)) << err;
  EXPECT_EQ(static_cast<uint64_t>(bits), 0x4010000000000000ull);
  ASSERT_TRUE(ParseIeee("-0x1.8p-1", kSingle, &bits, &err)) << err;
  EXPECT_EQ(static_cast<uint64_t>(bits), 0xbf400000u);
  ASSERT_TRUE(ParseIeee("+NaN:0x1", kHalf, &bits, &err)) << err;
  EXPECT_EQ(static_cast<uint64_t>(bits), 0x7e01u);
  EXPECT_FALSE(ParseIeee("0x1.000001p0", kHalf, &bits, &err));
  EXPECT_FALSE(ParseIeee("0x1p99999", kSingle, &bits, &err));
  EXPECT_FALSE(ParseIeee("0x", kSingle, &bits, &err));
}

TEST(Parser, ErrorsCarryLineAndColumn) {
  auto f = ParseTestFile("function %f(i32) {\nblock0(v0: i32):\n    v1 = iadd v0,\n    return\n}\n", "x.clif");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(std::string(f.status().message()), "x.clif:4:5: expected a value (vN) (found 'return')");
  f = ParseTestFile("function %f() {\nblock0:\n    v1 = frobnicate\n}\n", "x.clif");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(std::string(f.status().message()), "x.clif:3:10: unknown opcode 'frobnicate' (found 'frobnicate')");
  f = ParseTestFile("function %f() {\nblock0:\n    v1 = iconst 1\n}\n", "x.clif");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(std::string(f.status().message()).find("x.clif:3:10: 'iconst' needs a type suffix"), std::string::npos);
}

TEST(Parser, KeepsHeadersAndRunDirectives) {
  auto f = ParseTestFile(R"(test interpret
test run
set opt_level=speed
target x86_64 has_avx

function %add(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = iadd v0, v1
    return v2
}
; run: %add(1, 2) == 3
; run: %add(-1, 1) == 0
)", "t.clif");
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->headers.size(), 4u);
  EXPECT_EQ(f->headers[2].words[0], "opt_level=speed");
  ASSERT_EQ(f->functions.size(), 1u);
  const auto& runs = f->functions[0].run_directives;
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1].function, "add");
  EXPECT_EQ(runs[1].args, (std::vector<std::string>{"-1", "1"}));
  EXPECT_EQ(runs[1].expected, std::vector<std::string>{"0"});
  EXPECT_EQ(PrintTestFile(*f), R"(test interpret
test run
set opt_level=speed
target x86_64 has_avx

function %add(i32, i32) -> i32 fast {
block0(v0: i32, v1: i32):
    v2 = iadd v0, v1
    return v2
}
; run: %add(1, 2) == 3
; run: %add(-1, 1) == 0
)");
}

TEST(Printer, SuffixOnlyWhereTheTypeCannotBeInferred) {
  auto f = ParseFunction(R"(function %f(i32) -> i32 {
block0(v0: i32):
    jump block1
block1:
    v1 = iadd.i32 v0, v0
    v2 = iadd.i32 v1, v1
    return v2
})");
  ASSERT_TRUE(f.ok()) << f.status();
  std::string text = PrintFunction(**f);
  EXPECT_NE(text.find("v1 = iadd.i32 v0, v0"), std::string::npos) << text;  // v0 is from block0
  EXPECT_NE(text.find("v2 = iadd v1, v1"), std::string::npos) << text;      // v1 is local
}

TEST(Layout, InsertBeforeKeepsConstantTimeOrder) {
  Layout l;
  Block b(0);
  l.AppendBlock(b);
  l.AppendInst(Inst(0), b);
  l.AppendInst(Inst(1), b);
  // Insert many instructions between the same two neighbours to force renumbering.
  for (uint32_t i = 2; i < 200; ++i) l.InsertInstBefore(Inst(i), Inst(1));
  EXPECT_TRUE(l.InstBefore(Inst(0), Inst(2)));
  EXPECT_TRUE(l.InstBefore(Inst(2), Inst(3)));
  EXPECT_TRUE(l.InstBefore(Inst(199), Inst(1)));
  EXPECT_FALSE(l.InstBefore(Inst(1), Inst(199)));
  int n = 0;
  for (Inst i = l.first_inst(b); i.valid(); i = l.next_inst(i)) ++n;
  EXPECT_EQ(n, 200);
}

}  // namespace
}  // namespace lathe::ir
