#include "bench/alloc_input_stats.h"

#include <string>

#include "gtest/gtest.h"
#include "regalloc/function_builder.h"
#include "regalloc/test_env.h"

namespace lathe::bench {
namespace {

using regalloc::Constraint;
using regalloc::Operand;
using regalloc::OperandPos;
using regalloc::RegClass;

double Row(const AllocInputStats& s, const std::string& name) {
  for (const auto& [n, v] : s.Rows()) {
    if (n == name) return v;
  }
  ADD_FAILURE() << "no row " << name;
  return -1;
}

// Two blocks: every constraint but Stack, one late use, one early def, one clobbering
// instruction, one block parameter, one value (v0) read outside its block, one float def and one
// vreg (v5) that nothing defines.
regalloc::Function Sample() {
  regalloc::FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(RegClass::kInt), v1 = b.NewVreg(RegClass::kInt), v2 = b.NewVreg(RegClass::kInt),
                 v3 = b.NewVreg(RegClass::kInt), v4 = b.NewVreg(RegClass::kFloat);
  b.NewVreg(RegClass::kInt);
  regalloc::PRegSet clobbered;
  clobbered.Add(regalloc::R(1));
  const uint32_t clobbers = b.AddClobberSet(clobbered);
  b.StartBlock({});
  b.AddInst({Operand::Def(v0, RegClass::kInt, Constraint::kReg)});
  b.AddInst({Operand::FixedDef(v1, regalloc::R(0))});
  b.AddInst({Operand::Use(v0, RegClass::kInt, Constraint::kReg),
             Operand::Use(v1, RegClass::kInt, Constraint::kAny, OperandPos::kLate),
             Operand::ReuseDef(v2, RegClass::kInt, 0)},
            clobbers);
  b.AddInst({Operand::Use(v2, RegClass::kInt, Constraint::kAny)}, 0, regalloc::kInstBranch);
  b.AddSucc(1, {v2});
  b.StartBlock({v3});
  b.AddInst({Operand::Def(v4, RegClass::kFloat, Constraint::kReg, OperandPos::kEarly)});
  b.AddInst({Operand::Use(v3, RegClass::kInt, Constraint::kReg), Operand::Use(v0, RegClass::kInt, Constraint::kAny)},
            0, regalloc::kInstReturn);
  return b.Finish();
}

TEST(AllocInputStatsTest, CountsShapeConstraintsAndCrossingValues) {
  AllocInputStats s;
  ASSERT_TRUE(s.Add(Sample(), regalloc::TestEnv()).ok());
  EXPECT_EQ(s.functions(), 1u);
  EXPECT_EQ(s.insts(), 6u);
  EXPECT_DOUBLE_EQ(Row(s, "blocks per function"), 2);
  EXPECT_DOUBLE_EQ(Row(s, "% insts in functions of 1000+ insts"), 0);
  EXPECT_DOUBLE_EQ(Row(s, "insts per block"), 3);
  EXPECT_DOUBLE_EQ(Row(s, "operands per inst"), 9.0 / 6);
  EXPECT_DOUBLE_EQ(Row(s, "uses per inst"), 5.0 / 6);
  EXPECT_DOUBLE_EQ(Row(s, "defs per inst"), 4.0 / 6);
  EXPECT_DOUBLE_EQ(Row(s, "% operands Any"), 100.0 * 3 / 9);
  EXPECT_DOUBLE_EQ(Row(s, "% operands Reg"), 100.0 * 4 / 9);
  EXPECT_DOUBLE_EQ(Row(s, "% operands Stack"), 0);
  EXPECT_DOUBLE_EQ(Row(s, "% operands FixedReg"), 100.0 * 1 / 9);
  EXPECT_DOUBLE_EQ(Row(s, "% operands Reuse"), 100.0 * 1 / 9);
  EXPECT_DOUBLE_EQ(Row(s, "% operands float/vector class"), 100.0 * 1 / 9);
  EXPECT_DOUBLE_EQ(Row(s, "% uses late"), 100.0 * 1 / 5);
  EXPECT_DOUBLE_EQ(Row(s, "% defs early"), 100.0 * 1 / 4);
  EXPECT_DOUBLE_EQ(Row(s, "% insts with clobbers"), 100.0 * 1 / 6);
  EXPECT_DOUBLE_EQ(Row(s, "block params per block"), 0.5);
  EXPECT_DOUBLE_EQ(Row(s, "successor edges per block"), 0.5);
  EXPECT_DOUBLE_EQ(Row(s, "branch args per edge"), 1);
  EXPECT_DOUBLE_EQ(Row(s, "most successors of a block"), 1);
  EXPECT_DOUBLE_EQ(Row(s, "most predecessors of a block"), 1);
  EXPECT_DOUBLE_EQ(Row(s, "vregs per inst"), 1);
  EXPECT_DOUBLE_EQ(Row(s, "defined vregs per inst"), 5.0 / 6);
  EXPECT_DOUBLE_EQ(Row(s, "% vregs never defined"), 100.0 * 1 / 6);
  // Defined: v0-v4. Only v0 is read outside its defining block (v2 is a branch argument of its
  // own block, v3 a parameter used where it is defined).
  EXPECT_DOUBLE_EQ(Row(s, "% defined vregs crossing blocks"), 100.0 * 1 / 5);
}

TEST(AllocInputStatsTest, RatiosAreOverTheSumsOfAllFunctions) {
  AllocInputStats s;
  ASSERT_TRUE(s.Add(Sample(), regalloc::TestEnv()).ok());
  regalloc::FunctionBuilder b;
  b.StartBlock({});
  b.AddInst({}, 0, regalloc::kInstReturn);
  ASSERT_TRUE(s.Add(b.Finish(), regalloc::TestEnv()).ok());
  EXPECT_EQ(s.functions(), 2u);
  EXPECT_EQ(s.insts(), 7u);
  EXPECT_EQ(s.max_insts(), 6u);
  EXPECT_DOUBLE_EQ(Row(s, "blocks per function"), 1.5);
  EXPECT_DOUBLE_EQ(Row(s, "insts per block"), 7.0 / 3);
  EXPECT_DOUBLE_EQ(Row(s, "operands per inst"), 9.0 / 7);
}

regalloc::Function StraightLine(uint32_t insts) {
  regalloc::FunctionBuilder b;
  b.StartBlock({});
  for (uint32_t i = 1; i < insts; ++i) b.AddInst({});
  b.AddInst({}, 0, regalloc::kInstReturn);
  return b.Finish();
}

TEST(AllocInputStatsTest, LargeFunctionsStartAtTheThreshold) {
  AllocInputStats s;
  ASSERT_TRUE(s.Add(StraightLine(AllocInputStats::kLargeFunction), regalloc::TestEnv()).ok());
  ASSERT_TRUE(s.Add(StraightLine(AllocInputStats::kLargeFunction - 1), regalloc::TestEnv()).ok());
  EXPECT_EQ(s.max_insts(), AllocInputStats::kLargeFunction);
  EXPECT_DOUBLE_EQ(Row(s, "largest function (insts)"), 1000);
  EXPECT_DOUBLE_EQ(Row(s, "% insts in functions of 1000+ insts"), 100.0 * 1000 / 1999);
}

TEST(AllocInputStatsTest, WidestBranchAndJoin) {
  // Block 0 branches three ways (a jump table); the three arms join in block 4.
  regalloc::FunctionBuilder b;
  b.StartBlock({});
  b.AddInst({}, 0, regalloc::kInstBranch);
  for (uint32_t arm = 1; arm <= 3; ++arm) b.AddSucc(arm, {});
  for (uint32_t arm = 1; arm <= 3; ++arm) {
    b.StartBlock({});
    b.AddInst({}, 0, regalloc::kInstBranch);
    b.AddSucc(4, {});
  }
  b.StartBlock({});
  b.AddInst({}, 0, regalloc::kInstReturn);
  AllocInputStats s;
  ASSERT_TRUE(s.Add(b.Finish(), regalloc::TestEnv()).ok());
  EXPECT_DOUBLE_EQ(Row(s, "most successors of a block"), 3);
  EXPECT_DOUBLE_EQ(Row(s, "most predecessors of a block"), 3);
  EXPECT_DOUBLE_EQ(Row(s, "successor edges per block"), 6.0 / 5);
}

TEST(AllocInputStatsTest, InvalidFunctionIsAnErrorAndCountsNothing) {
  AllocInputStats s;
  regalloc::FunctionBuilder b;
  const uint32_t v = b.NewVreg(RegClass::kInt);
  b.StartBlock({});
  b.AddInst({Operand::Use(v, RegClass::kInt, Constraint::kReg)}, 0, regalloc::kInstReturn);
  const absl::Status st = s.Add(b.Finish(), regalloc::TestEnv());
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.functions(), 0u);
  EXPECT_EQ(s.insts(), 0u);
  EXPECT_DOUBLE_EQ(Row(s, "insts per block"), 0);
}

}  // namespace
}  // namespace lathe::bench
