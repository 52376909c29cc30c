// The checker accepts correct allocations and rejects corrupted ones: hand-built cases for each
// kind of fault, and guaranteed-wrong corruptions of allocations on random programs.
#include "regalloc/checker.h"

#include <algorithm>
#include <string>

#include "gtest/gtest.h"
#include "regalloc/function_builder.h"
#include "regalloc/random_program.h"
#include "regalloc/regalloc.h"
#include "regalloc/test_env.h"

namespace lathe::regalloc {
namespace {

constexpr RegClass kI = RegClass::kInt;
Location Reg(PReg r) { return Location::Reg(r); }
Location Slot(uint32_t s) { return Location::Stack(s); }

void ExpectRejected(const Function& fn, const Allocation& a, const std::string& what) {
  absl::Status s = CheckAllocation(fn, TestEnv(), a);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(what), std::string::npos) << s;
}

// v0 fixed in r0, v1 in a register, a call clobbering r0 and r1, then both used.
struct CallCase {
  Function fn;
  Allocation a;
  CallCase() {
    FunctionBuilder b;
    const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI);
    PRegSet clob;
    clob.Add(R(0));
    clob.Add(R(1));
    const uint32_t cs = b.AddClobberSet(clob);
    b.StartBlock({});
    b.AddInst({Operand::FixedDef(v0, R(0))});                                   // i0
    b.AddInst({Operand::Def(v1, kI, Constraint::kReg)});                        // i1
    b.AddInst({}, cs);                                                          // i2: call
    b.AddInst({Operand::Use(v0, kI, Constraint::kReg), Operand::Use(v1, kI, Constraint::kAny)},
              0, kInstReturn);                                                  // i3
    fn = b.Finish();
    a.operand_locs = {Reg(R(0)), Reg(R(1)), Reg(R(2)), Slot(1)};
    a.num_spill_slots = 2;
    a.slot_class = {kI, kI};
    a.edits = {{ProgPoint::Before(2), Reg(R(0)), Slot(0)},
               {ProgPoint::Before(2), Reg(R(1)), Slot(1)},
               {ProgPoint::Before(3), Slot(0), Reg(R(2))}};
  }
};

TEST(CheckerTest, AcceptsCorrectHandAllocation) {
  CallCase c;
  EXPECT_TRUE(CheckAllocation(c.fn, TestEnv(), c.a).ok()) << CheckAllocation(c.fn, TestEnv(), c.a);
}

TEST(CheckerTest, RejectsMissingReload) {
  CallCase c;
  c.a.edits.pop_back();
  ExpectRejected(c.fn, c.a, "use of v0 reads int_r2 which holds {}");
}

TEST(CheckerTest, RejectsValueLeftInClobberedRegister) {
  CallCase c;
  c.a.operand_locs[3] = Reg(R(1));  // v1 read from r1, which the call clobbered
  ExpectRejected(c.fn, c.a, "use of v1 reads int_r1 which holds {}");
}

TEST(CheckerTest, RejectsMissingSpill) {
  CallCase c;
  c.a.edits.erase(c.a.edits.begin());
  ExpectRejected(c.fn, c.a, "use of v0 reads int_r2 which holds {}");
}

TEST(CheckerTest, RejectsEditsInTheWrongOrder) {
  CallCase c;
  std::swap(c.a.edits[1], c.a.edits[2]);
  ExpectRejected(c.fn, c.a, "not sorted");
}

TEST(CheckerTest, RejectsViolatedConstraints) {
  {
    CallCase c;
    c.a.operand_locs[0] = Reg(R(3));
    ExpectRejected(c.fn, c.a, "fixed to int_r0, got int_r3");
  }
  {
    CallCase c;
    c.a.operand_locs[2] = Slot(0);
    ExpectRejected(c.fn, c.a, "needs a register, got slot0");
  }
  {
    CallCase c;
    c.a.operand_locs[1] = Reg(R(7));  // the scratch register is not allocatable
    ExpectRejected(c.fn, c.a, "int_r7 is not an allocatable register");
  }
  {
    CallCase c;
    c.a.operand_locs[3] = Reg(R(2));  // two different values in one register
    ExpectRejected(c.fn, c.a, "shares int_r2 with another used value");
  }
  {
    CallCase c;
    c.a.edits.push_back({ProgPoint::Before(3), Slot(0), Slot(1)});
    ExpectRejected(c.fn, c.a, "stack-to-stack move");
  }
  {
    CallCase c;
    c.a.edits.push_back({ProgPoint::After(3), Reg(R(2)), Reg(R(3))});
    ExpectRejected(c.fn, c.a, "after a terminator");
  }
}

TEST(CheckerTest, RejectsTwoDefsInOneRegisterAndEarlyDefOverUse) {
  FunctionBuilder b;
  const uint32_t v0 = b.NewVreg(kI), v1 = b.NewVreg(kI), v2 = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({Operand::Def(v0, kI, Constraint::kReg)});
  b.AddInst({Operand::Use(v0, kI, Constraint::kReg), Operand::Def(v1, kI, Constraint::kReg, OperandPos::kEarly),
             Operand::Def(v2, kI, Constraint::kReg)});
  b.AddInst({}, 0, kInstReturn);
  Function fn = b.Finish();
  Allocation a;
  a.operand_locs = {Reg(R(0)), Reg(R(0)), Reg(R(1)), Reg(R(2))};
  EXPECT_TRUE(CheckAllocation(fn, TestEnv(), a).ok()) << CheckAllocation(fn, TestEnv(), a);
  a.operand_locs = {Reg(R(0)), Reg(R(0)), Reg(R(0)), Reg(R(2))};
  ExpectRejected(fn, a, "both read and written in overlapping parts");
  a.operand_locs = {Reg(R(0)), Reg(R(0)), Reg(R(1)), Reg(R(1))};
  ExpectRejected(fn, a, "two defs in int_r1");
}

// A loop whose back edge swaps its two parameters: only a correct cycle resolution passes.
TEST(CheckerTest, BlockParameterSwapNeedsACorrectCycleResolution) {
  FunctionBuilder b;
  const uint32_t a0 = b.NewVreg(kI), b0 = b.NewVreg(kI), pa = b.NewVreg(kI), pb = b.NewVreg(kI);
  b.StartBlock({});
  b.AddInst({Operand::FixedDef(a0, R(0)), Operand::FixedDef(b0, R(1))});  // i0
  b.AddInst({}, 0, kInstBranch);                                          // i1
  b.AddSucc(1, {a0, b0});
  b.StartBlock({pa, pb});
  b.AddInst({Operand::FixedUse(pa, R(0)), Operand::FixedUse(pb, R(1))});  // i2
  b.AddInst({}, 0, kInstBranch);                                          // i3
  b.AddSucc(1, {pb, pa});
  Function fn = b.Finish();
  Allocation good;
  good.operand_locs = {Reg(R(0)), Reg(R(1)), Reg(R(0)), Reg(R(1))};
  good.edits = {{ProgPoint::Before(3), Reg(R(0)), Reg(R(7))},
                {ProgPoint::Before(3), Reg(R(1)), Reg(R(0))},
                {ProgPoint::Before(3), Reg(R(7)), Reg(R(1))}};
  EXPECT_TRUE(CheckAllocation(fn, TestEnv(), good).ok()) << CheckAllocation(fn, TestEnv(), good);
  Allocation naive = good;  // sequential moves without a temporary lose one value
  naive.edits = {{ProgPoint::Before(3), Reg(R(1)), Reg(R(0))}, {ProgPoint::Before(3), Reg(R(0)), Reg(R(1))}};
  ExpectRejected(fn, naive, "on some path into block 1");
  Allocation none = good;  // no moves: the parameters arrive swapped
  none.edits.clear();
  ExpectRejected(fn, none, "use of v2 reads int_r0 which holds {v0}");
}

// Corruptions that are wrong whatever the allocation was: the checker must reject every one.
TEST(CheckerTest, RejectsCorruptedAllocationsOfRandomPrograms) {
  RegisterAllocator ra;
  Function fn;
  MachineEnv env;
  Allocation alloc;
  int attempts = 0, rejected = 0;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    RandomProgramOptions o;
    o.num_blocks = 6;
    o.num_int_regs = 5;
    GenerateRandomProgram(seed + 1000, o, &fn, &env);
    for (Algorithm algo : {Algorithm::kSinglePass, Algorithm::kOptimizing}) {
      ASSERT_TRUE(ra.Allocate(fn, env, algo, &alloc).ok());
      ASSERT_TRUE(CheckAllocation(fn, env, alloc).ok());
      Rng rng(seed);
      // Pick a use operand.
      std::vector<uint32_t> uses;
      for (uint32_t k = 0; k < fn.operands.size(); ++k) {
        if (fn.operands[k].is_use()) uses.push_back(k);
      }
      if (uses.empty()) continue;
      const uint32_t k = uses[rng.Below(static_cast<uint32_t>(uses.size()))];
      uint32_t inst = 0;
      while (fn.insts[inst].operands_end <= k) ++inst;
      const RegClass c = fn.operands[k].reg_class();
      {
        // 1. The use reads a spill slot that nothing ever writes.
        Allocation bad = alloc;
        bad.slot_class.push_back(c);
        bad.operand_locs[k] = Location::Stack(bad.num_spill_slots++);
        ++attempts;
        rejected += !CheckAllocation(fn, env, bad).ok();
      }
      if (alloc.operand_locs[k].is_reg()) {
        // 2. Just before the instruction, the use's register is overwritten with garbage.
        Allocation bad = alloc;
        bad.slot_class.push_back(c);
        const Edit e{ProgPoint::Before(inst), Location::Stack(bad.num_spill_slots++), alloc.operand_locs[k]};
        auto pos = std::upper_bound(bad.edits.begin(), bad.edits.end(), e,
                                    [](const Edit& x, const Edit& y) { return x.point < y.point; });
        bad.edits.insert(pos, e);
        ++attempts;
        rejected += !CheckAllocation(fn, env, bad).ok();
      }
      // 3. Every fixed operand moved to another register.
      for (uint32_t j = 0; j < fn.operands.size(); ++j) {
        if (fn.operands[j].constraint() != Constraint::kFixedReg) continue;
        Allocation bad = alloc;
        const auto& regs = env.regs[static_cast<int>(fn.operands[j].reg_class())];
        bad.operand_locs[j] = Location::Reg(regs[0] == fn.operands[j].fixed_reg() ? regs[1] : regs[0]);
        ++attempts;
        rejected += !CheckAllocation(fn, env, bad).ok();
      }
    }
  }
  EXPECT_GT(attempts, 1000);
  EXPECT_EQ(rejected, attempts);
}

}  // namespace
}  // namespace lathe::regalloc
