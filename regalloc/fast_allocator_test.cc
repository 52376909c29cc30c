// FastAllocator on small hand-built functions: the exact edits of the backward walk (values that
// cross blocks stored at their definition and reloaded at block starts, evictions around fixed
// registers and clobbers, slot-to-slot parameter moves, rotated loop parameters), each also
// accepted by the checker.
#include "regalloc/fast_allocator.h"

#include <vector>

#include "gtest/gtest.h"
#include "regalloc/checker.h"
#include "regalloc/function_builder.h"
#include "regalloc/print.h"
#include "regalloc/test_env.h"
#include "regalloc/validate.h"

namespace lathe::regalloc {
namespace {

constexpr RegClass kI = RegClass::kInt;

Allocation AllocateFast(const Function& fn, const MachineEnv& env) {
  Validator v;
  Allocation out;
  EXPECT_TRUE(v.Run(fn, env).ok()) << v.Run(fn, env);
  FastAllocator fa;
  const absl::Status s = fa.Run(fn, env, v, &out);
  EXPECT_TRUE(s.ok()) << s;
  const absl::Status c = CheckAllocation(fn, env, out);
  EXPECT_TRUE(c.ok()) << c << "\n" << FunctionToString(fn, &out);
  return out;
}

bool HasEdit(const Allocation& a, ProgPoint p, Location from, Location to) {
  for (const Edit& e : a.edits) {
    if (e.point == p && e.from == from && e.to == to) return true;
  }
  return false;
}

TEST(FastAllocatorTest, StraightLineNeedsNoEdits) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({Operand::Def(v0, kI, Constraint::kReg)});
  b.AddInst({Operand::Use(v0, kI, Constraint::kReg), Operand::Def(v1, kI, Constraint::kReg)});
  b.AddInst({Operand::Use(v1, kI, Constraint::kReg)}, 0, kInstReturn);
  const Function fn = b.Finish();
  const Allocation a = AllocateFast(fn, TestEnv());
  EXPECT_TRUE(a.edits.empty()) << FunctionToString(fn, &a);
  EXPECT_EQ(a.num_spill_slots, 0u);
  // Preference order: the first allocatable register serves both values (v0 dies where v1 is born).
  EXPECT_EQ(a.operand_locs[0], Location::Reg(R(0)));
  EXPECT_EQ(a.operand_locs[3], Location::Reg(R(0)));
}

TEST(FastAllocatorTest, CrossBlockValueIsStoredAtDefAndReloadedAtBlockStart) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({Operand::Def(v0, kI, Constraint::kReg)});  // i0
  b.AddInst({}, 0, kInstBranch);                          // i1
  b.AddSucc(1, {});
  b.StartBlock({});
  b.AddInst({Operand::Use(v0, kI, Constraint::kReg)}, 0, kInstReturn);  // i2
  const Function fn = b.Finish();
  const Allocation a = AllocateFast(fn, TestEnv());
  ASSERT_EQ(a.num_spill_slots, 1u);
  const Location def = a.operand_locs[0], use = a.operand_locs[1];
  ASSERT_TRUE(def.is_reg() && use.is_reg());
  EXPECT_TRUE(HasEdit(a, ProgPoint::After(0), def, Location::Stack(0)));
  EXPECT_TRUE(HasEdit(a, ProgPoint::Before(2), Location::Stack(0), use));
  EXPECT_EQ(a.edits.size(), 2u);
}

TEST(FastAllocatorTest, FixedDefEvictsTheHolderThroughItsSlot) {
  // v0 lives in r0 across i1, whose def is fixed to r0: v0 is stored at its definition and
  // reloaded after i1 (the edits say exactly that).
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({Operand::Def(v0, kI, Constraint::kReg)});  // i0
  b.AddInst({Operand::FixedDef(v1, R(0))});             // i1
  b.AddInst({Operand::FixedUse(v0, R(0)), Operand::Use(v1, kI, Constraint::kReg)}, 0, kInstReturn);
  const Function fn = b.Finish();
  const Allocation a = AllocateFast(fn, TestEnv());
  EXPECT_EQ(a.operand_locs[1], Location::Reg(R(0)));
  EXPECT_EQ(a.operand_locs[2], Location::Reg(R(0)));
  const Location v1_use = a.operand_locs[3];
  ASSERT_TRUE(v1_use.is_reg());
  EXPECT_NE(v1_use, Location::Reg(R(0)));
  EXPECT_TRUE(HasEdit(a, ProgPoint::After(1), Location::Reg(R(0)), v1_use));
  EXPECT_EQ(a.num_spill_slots, 1u);
  EXPECT_TRUE(HasEdit(a, ProgPoint::After(0), a.operand_locs[0], Location::Stack(0)));
  EXPECT_TRUE(HasEdit(a, ProgPoint::After(1), Location::Stack(0), Location::Reg(R(0))));
}

TEST(FastAllocatorTest, ClobberedValueIsReloadedAfterTheCall) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI);
  PRegSet all;
  for (int k = 0; k < 4; ++k) all.Add(R(k));
  const uint32_t cs = b.AddClobberSet(all);
  b.StartBlock({});
  b.AddInst({Operand::Def(v0, kI, Constraint::kReg)});                  // i0
  b.AddInst({}, cs);                                                     // i1: call
  b.AddInst({Operand::Use(v0, kI, Constraint::kReg)}, 0, kInstReturn);  // i2
  const Function fn = b.Finish();
  const Allocation a = AllocateFast(fn, TestEnv());
  EXPECT_TRUE(HasEdit(a, ProgPoint::After(1), Location::Stack(0), a.operand_locs[1]));
}

TEST(FastAllocatorTest, RotatedLoopParametersSwapThroughTheResolver) {
  // block1(p, q) jumps to itself with (q, p): each argument slot is also a destination.
  for (bool scratch : {true, false}) {
    FunctionBuilder b;
    const uint32_t a0 = b.NewVreg(kI), a1 = b.NewVreg(kI), p = b.NewVreg(kI), q = b.NewVreg(kI);
    const uint32_t c = b.NewVreg(kI);
    b.StartBlock({});
    b.AddInst({Operand::Def(a0, kI, Constraint::kReg), Operand::Def(a1, kI, Constraint::kReg)});
    b.AddInst({}, 0, kInstBranch);
    b.AddSucc(1, {a0, a1});
    b.StartBlock({p, q});
    b.AddInst({Operand::Def(c, kI, Constraint::kReg)});
    b.AddInst({Operand::Use(c, kI, Constraint::kReg)}, 0, kInstBranch);
    b.AddSucc(2, {});
    b.AddSucc(3, {});
    b.StartBlock({});
    b.AddInst({}, 0, kInstBranch);
    b.AddSucc(1, {q, p});
    b.StartBlock({});
    b.AddInst({Operand::Use(p, kI, Constraint::kReg), Operand::Use(q, kI, Constraint::kAny)}, 0, kInstReturn);
    const Function fn = b.Finish();
    const Allocation a = AllocateFast(fn, TestEnv(scratch));
    for (const Edit& e : a.edits) EXPECT_FALSE(e.from.is_stack() && e.to.is_stack());
  }
}

TEST(FastAllocatorTest, MultiSuccessorArgumentsMoveAtTheSuccessorStart) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), p = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({Operand::Def(v0, kI, Constraint::kReg)});                  // i0
  b.AddInst({Operand::Use(v0, kI, Constraint::kReg)}, 0, kInstBranch);  // i1
  b.AddSucc(1, {v0});
  b.AddSucc(2, {});
  b.StartBlock({p});
  b.AddInst({Operand::Use(p, kI, Constraint::kReg)}, 0, kInstReturn);  // i2
  b.StartBlock({});
  b.AddInst({}, 0, kInstReturn);  // i3
  const Function fn = b.Finish();
  const Allocation a = AllocateFast(fn, TestEnv());
  // v0 is stored at its definition; block 1 copies its slot into p's through a register, then
  // reloads p for the use.
  for (const Edit& e : a.edits) EXPECT_NE(e.point.inst(), 1u) << "no edit around the branch";
  int at_start = 0;
  for (const Edit& e : a.edits) at_start += e.point == ProgPoint::Before(2);
  EXPECT_EQ(at_start, 3);
}

}  // namespace
}  // namespace lathe::regalloc
