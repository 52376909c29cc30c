// Bad input must produce an error that says what is wrong, from validation and from Allocate.
#include "regalloc/validate.h"

#include <string>

#include "gtest/gtest.h"
#include "regalloc/checker.h"
#include "regalloc/function_builder.h"
#include "regalloc/regalloc.h"
#include "regalloc/test_env.h"

namespace lathe::regalloc {
namespace {

constexpr RegClass kI = RegClass::kInt;

// Expects both validation and both allocators to reject `fn` with a message containing `what`.
void ExpectRejected(const Function& fn, const std::string& what, const MachineEnv& env = TestEnv()) {
  absl::Status v = ValidateFunction(fn, env);
  RegisterAllocator ra;
  Allocation alloc;
  absl::Status a = ra.Allocate(fn, env, Algorithm::kSinglePass, &alloc);
  absl::Status b = ra.Allocate(fn, env, Algorithm::kOptimizing, &alloc);
  EXPECT_FALSE(a.ok());
  EXPECT_FALSE(b.ok());
  EXPECT_NE(a.message().find(what), std::string::npos) << a;
  EXPECT_EQ(a.message(), b.message());
  if (!v.ok()) {
    EXPECT_EQ(v.message(), a.message());
  }
}

Operand RegUse(uint32_t v) { return Operand::Use(v, kI, Constraint::kReg); }
Operand RegDef(uint32_t v) { return Operand::Def(v, kI, Constraint::kReg); }

TEST(ValidateTest, AcceptsASmallValidFunction) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  b.AddInst({RegUse(v0), RegDef(v1)});
  b.AddInst({Operand::FixedUse(v1, R(0))}, 0, kInstReturn);
  Function fn = b.Finish();
  EXPECT_TRUE(ValidateFunction(fn, TestEnv()).ok()) << ValidateFunction(fn, TestEnv());
}

TEST(ValidateTest, RejectsTwoDefinitions) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  b.AddInst({RegDef(v0)});
  b.AddInst({RegUse(v0)}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "v0 is defined more than once (not SSA)");
}

TEST(ValidateTest, RejectsUseWithoutDef) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegUse(v0)}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "v0 is used but not defined on every path");
}

TEST(ValidateTest, RejectsUseNotDominatedByDef) {
  // block0 -> block1 (defines v1) -> block3; block0 -> block2 -> block3; block3 uses v1.
  FunctionBuilder b;
  const uint32_t c = b.NewVreg(kI), v1 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(c)});
  b.AddInst({RegUse(c)}, 0, kInstBranch);
  b.AddSucc(1, {});
  b.AddSucc(2, {});
  b.StartBlock({});
  b.AddInst({RegDef(v1)});
  b.AddInst({}, 0, kInstBranch);
  b.AddSucc(3, {});
  b.StartBlock({});
  b.AddInst({}, 0, kInstBranch);
  b.AddSucc(3, {});
  b.StartBlock({});
  b.AddInst({RegUse(v1)}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "v1 is used but not defined on every path");
}

TEST(ValidateTest, AcceptsADominatingDefLaidOutAfterTheUse) {
  // block0 -> block2 (defines v0) -> block1 (uses v0): the use comes first in block order.
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v1)});
  b.AddInst({}, 0, kInstBranch);
  b.AddSucc(2, {});
  b.StartBlock({});
  b.AddInst({RegUse(v0), RegUse(v1)}, 0, kInstReturn);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  b.AddInst({RegUse(v0)}, 0, kInstBranch);
  b.AddSucc(1, {});
  const Function fn = b.Finish();
  Validator validator;
  ASSERT_TRUE(validator.Run(fn, TestEnv()).ok()) << validator.Run(fn, TestEnv());
  EXPECT_TRUE(validator.crosses_blocks(v0));
  EXPECT_TRUE(validator.crosses_blocks(v1));
  // Both allocators (the optimizing one seeds liveness from this use) produce checked code.
  RegisterAllocator ra;
  Allocation alloc;
  for (Algorithm a : {Algorithm::kSinglePass, Algorithm::kOptimizing}) {
    ASSERT_TRUE(ra.Allocate(fn, TestEnv(), a, &alloc).ok()) << AlgorithmName(a);
    EXPECT_TRUE(CheckAllocation(fn, TestEnv(), alloc).ok()) << AlgorithmName(a) << ": "
                                                            << CheckAllocation(fn, TestEnv(), alloc);
  }
}

TEST(ValidateTest, ValuesUsedOnlyInTheirBlockDoNotCrossBlocks) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI), p = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  b.AddInst({RegUse(v0), RegDef(v1)});
  b.AddInst({}, 0, kInstBranch);
  b.AddSucc(1, {v1});
  b.StartBlock({p});
  b.AddInst({RegUse(p)}, 0, kInstReturn);
  Validator validator;
  ASSERT_TRUE(validator.Run(b.Finish(), TestEnv()).ok());
  EXPECT_FALSE(validator.crosses_blocks(v0));
  EXPECT_FALSE(validator.crosses_blocks(v1));  // a branch argument is read by its own block
  EXPECT_FALSE(validator.crosses_blocks(p));
}

TEST(ValidateTest, RejectsUseBeforeDefLaterInTheSameBlock) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegUse(v0)});
  b.AddInst({RegDef(v0)});
  b.AddInst({}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "v0 is used but not defined on every path");
}

TEST(ValidateTest, RejectsUseBeforeDefInTheSameInstruction) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegUse(v0), RegDef(v0)});
  b.AddInst({}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "v0 is used but not defined");
}

TEST(ValidateTest, RejectsTwoValuesFixedToOneRegister) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v0), RegDef(v1)});
  b.AddInst({Operand::FixedUse(v0, R(1)), Operand::FixedUse(v1, R(1))}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "register 1 is fixed for two different used values");
}

TEST(ValidateTest, RejectsMoreRegisterOperandsThanRegisters) {
  FunctionBuilder b;
  uint32_t v[5];
  for (auto& x : v) x = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({Operand::Def(v[0], kI, Constraint::kStack), Operand::Def(v[1], kI, Constraint::kStack),
             Operand::Def(v[2], kI, Constraint::kStack), Operand::Def(v[3], kI, Constraint::kStack),
             Operand::Def(v[4], kI, Constraint::kStack)});
  b.AddInst({RegUse(v[0]), RegUse(v[1]), RegUse(v[2]), RegUse(v[3]), RegUse(v[4])}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "needs 5 registers of class int but only 4 are allocatable");
}

TEST(ValidateTest, RejectsEarlyDefAndUseFixedToOneRegister) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  b.AddInst({Operand::FixedUse(v0, R(2)), Operand::FixedDef(v1, R(2), OperandPos::kEarly)});
  b.AddInst({}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "both a fixed use and a fixed early def");
}

TEST(ValidateTest, RejectsLateUseInClobberedRegister) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  PRegSet clob;
  clob.Add(R(3));
  const uint32_t cs = b.AddClobberSet(clob);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  b.AddInst({Operand::FixedUse(v0, R(3), OperandPos::kLate)}, cs);
  b.AddInst({}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "late use fixed to register 3 which the instruction defines or clobbers");
}

TEST(ValidateTest, RejectsFixedRegisterThatIsNotAllocatable) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({Operand::FixedDef(v0, R(7))});
  b.AddInst({}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "fixed register 7 of class int is not allocatable");
}

TEST(ValidateTest, RejectsBadReuse) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  b.AddInst({Operand::Use(v0, kI, Constraint::kAny), Operand::ReuseDef(v1, kI, 0)});
  b.AddInst({}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "a reuse def needs an early Reg or FixedReg use of its class");
  FunctionBuilder c;
  const uint32_t w = c.NewVreg(kI);
  c.StartBlock({});
  c.AddInst({Operand::ReuseDef(w, kI, 5)});
  c.AddInst({}, 0, kInstReturn);
  ExpectRejected(c.Finish(), "reuse index out of range");
}

// The shapes a two-address instruction must not take, each next to otherwise valid operands.
TEST(ValidateTest, RejectsMisusedReuseConstraints) {
  struct Case {
    const char* what;
    Operand bad;
  };
  for (const Case& k : {Case{"two defs reuse the same input", Operand::ReuseDef(3, kI, 1)},
                        Case{"only defs may reuse a register",
                             Operand::Use(0, kI, Constraint::kReuse, OperandPos::kLate)},
                        Case{"a reuse def must be late",
                             Operand::Def(3, kI, Constraint::kReuse, OperandPos::kEarly)}}) {
    FunctionBuilder b;
    const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI), v2 = b.NewVreg(kI);
    b.NewVreg(kI);  // v3
    b.StartBlock({});
    b.AddInst({RegDef(v0), RegDef(v1)});
    b.AddInst({RegUse(v0), RegUse(v1), Operand::ReuseDef(v2, kI, 1), k.bad});
    b.AddInst({}, 0, kInstReturn);
    // Four registers in every class, so the operand count alone does not call for the full check.
    MachineEnv env = TestEnv();
    env.regs[1].push_back(F(2));
    env.regs[1].push_back(F(3));
    ExpectRejected(b.Finish(), k.what, env);
  }
}

TEST(ValidateTest, RejectsCriticalEdge) {
  FunctionBuilder b;
  const uint32_t c = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(c)});
  b.AddInst({RegUse(c)}, 0, kInstBranch);
  b.AddSucc(1, {});
  b.AddSucc(2, {});
  b.StartBlock({});
  b.AddInst({}, 0, kInstBranch);
  b.AddSucc(2, {});
  b.StartBlock({});
  b.AddInst({}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "edge block 0 -> block 2 is critical");
}

// A jump 0 -> 1 whose predecessor list names another block; and the same edge listed twice on
// both sides (consistent lists, but the edge is critical).
TEST(ValidateTest, RejectsDisagreeingEdgeLists) {
  FunctionBuilder b;
  b.StartBlock({});
  b.AddInst({}, 0, kInstBranch);
  b.AddSucc(1, {});
  b.StartBlock({});
  b.AddInst({}, 0, kInstReturn);
  Function fn = b.Finish();
  ASSERT_EQ(fn.preds.size(), 1u);
  fn.preds[0] = 1;
  ExpectRejected(fn, "block 1 lists block 1 as a predecessor 1 times, but that block lists it as a successor 0 times");

  FunctionBuilder c;
  c.StartBlock({});
  c.AddInst({}, 0, kInstBranch);
  c.AddSucc(1, {});
  c.AddSucc(1, {});
  c.StartBlock({});
  c.AddInst({}, 0, kInstReturn);
  Function twice = c.Finish();
  ASSERT_EQ(twice.preds.size(), 2u);
  ExpectRejected(twice, "edge block 0 -> block 1 is critical");
}

// Entries of the edge arrays that no block's range covers are still read by the edge-list check,
// so they must be in range too (this once indexed past a table).
TEST(ValidateTest, RejectsOutOfRangeEntriesOutsideEveryBlockRange) {
  FunctionBuilder b;
  b.StartBlock({});
  b.AddInst({}, 0, kInstReturn);
  Function fn = b.Finish();
  fn.succs = {1000000};
  fn.preds = {0};
  fn.edge_args_begin = {0, 0};
  ExpectRejected(fn, "succs[0] = 1000000 is not a block");
  fn.succs = {0};
  fn.preds = {77};
  ExpectRejected(fn, "preds[0] = 77 is not a block");
  fn.preds = {0};
  fn.params = {5};
  ExpectRejected(fn, "params[0]: parameter vreg out of range");
}

TEST(ValidateTest, RejectsArgumentCountMismatch) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), p = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  b.AddInst({}, 0, kInstBranch);
  b.AddSucc(1, {});
  b.StartBlock({p});
  b.AddInst({RegUse(p)}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "passes 0 arguments, expected 1");
}

TEST(ValidateTest, RejectsMissingTerminatorAndBadRanges) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  ExpectRejected(b.Finish(), "a block must end with a branch or return");

  FunctionBuilder c;
  c.StartBlock({});
  c.AddInst({}, 0, kInstReturn);
  Function fn = c.Finish();
  fn.insts[0].operands_end = 99;
  ExpectRejected(fn, "operand range out of bounds");
  fn.insts[0].operands_end = 0;
  fn.blocks[0].insts_end = 5;
  ExpectRejected(fn, "instruction range");
}

TEST(ValidateTest, RejectsOperandClassMismatchAndVregOutOfRange) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({Operand::Def(v0, RegClass::kFloat, Constraint::kReg)});
  b.AddInst({Operand::Use(42, kI, Constraint::kReg)}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "v0 has class int but the operand says float");
  FunctionBuilder c;
  c.StartBlock({});
  c.AddInst({Operand::Use(42, kI, Constraint::kReg)}, 0, kInstReturn);
  ExpectRejected(c.Finish(), "vreg 42 out of range");
}

TEST(ValidateTest, RejectsEntryParametersAndUnreachableBlocks) {
  FunctionBuilder b;
  const uint32_t p = b.NewVreg(kI);
  b.StartBlock({p});
  b.AddInst({RegUse(p)}, 0, kInstReturn);
  ExpectRejected(b.Finish(), "the entry block may not have parameters");
  FunctionBuilder c;
  c.StartBlock({});
  c.AddInst({}, 0, kInstReturn);
  c.StartBlock({});
  c.AddInst({}, 0, kInstReturn);
  ExpectRejected(c.Finish(), "block 1 is unreachable");
}

TEST(ValidateTest, RejectsNonEmptyClobberSetZero) {
  FunctionBuilder b;
  b.StartBlock({});
  b.AddInst({}, 0, kInstReturn);
  Function fn = b.Finish();
  fn.clobber_sets[0].Add(R(0));
  ExpectRejected(fn, "clobber_sets[0] must be the empty set");
}

TEST(ValidateTest, RejectsBadEnvironment) {
  FunctionBuilder b;
  b.StartBlock({});
  b.AddInst({}, 0, kInstReturn);
  MachineEnv env = TestEnv();
  env.scratch[0] = R(1);
  ExpectRejected(b.Finish(), "scratch register of class int must not be allocatable", env);
}

// One allocator object across calls with changing environments: what it remembers of the
// previous environment must never let a bad one through or keep a stale register table.
TEST(ValidateTest, EnvironmentChangesBetweenCalls) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({RegDef(v0)});
  b.AddInst({RegUse(v0), RegDef(v1)});
  b.AddInst({Operand::FixedUse(v1, R(0))}, 0, kInstReturn);
  const Function fn = b.Finish();
  MachineEnv twice = TestEnv();
  twice.regs[0].push_back(R(1));
  MachineEnv small;  // r2 preferred, then r0: allocations must use only these
  small.regs[0] = {R(2), R(0)};
  small.regs[1].push_back(F(0));
  RegisterAllocator ra;
  Allocation alloc;
  for (Algorithm a : {Algorithm::kSinglePass, Algorithm::kOptimizing}) {
    ASSERT_TRUE(ra.Allocate(fn, TestEnv(), a, &alloc).ok());
    absl::Status bad = ra.Allocate(fn, twice, a, &alloc);
    EXPECT_NE(bad.message().find("listed twice"), std::string::npos) << bad;
    absl::Status s = ra.Allocate(fn, small, a, &alloc);
    ASSERT_TRUE(s.ok()) << AlgorithmName(a) << ": " << s;
    EXPECT_TRUE(CheckAllocation(fn, small, alloc).ok()) << CheckAllocation(fn, small, alloc);
    for (const Location& l : alloc.operand_locs) EXPECT_TRUE(!l.is_reg() || l.reg() == R(0) || l.reg() == R(2));
    EXPECT_EQ(alloc.operand_locs[0], Location::Reg(R(2))) << "the preferred register of the new environment";
    ASSERT_TRUE(ra.Allocate(fn, TestEnv(), a, &alloc).ok());
    EXPECT_TRUE(CheckAllocation(fn, TestEnv(), alloc).ok());
  }
}

}  // namespace
}  // namespace lathe::regalloc
