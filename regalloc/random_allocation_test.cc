// Both allocators on 10,000 random programs; the checker must accept every allocation, and the
// optimizing allocator must insert fewer moves (and fewer spills plus reloads) than the
// single-pass one on each quarter of them.
#include <cstdio>

#include "gtest/gtest.h"
#include "regalloc/checker.h"
#include "regalloc/print.h"
#include "regalloc/random_program.h"
#include "regalloc/regalloc.h"
#include "regalloc/validate.h"

namespace lathe::regalloc {
namespace {

RandomProgramOptions OptionsFor(uint64_t seed) {
  Rng r(seed ^ 0xabcdef);
  RandomProgramOptions o;
  o.num_blocks = 1 + r.Below(12);
  o.max_insts_per_block = 1 + r.Below(10);
  o.num_int_regs = 4 + r.Below(6);
  o.num_float_regs = 2 + r.Below(4);
  o.scratch = r.Percent(50);
  return o;
}

// Allocates fn with both algorithms and checks each allocation; adds the edit counts to
// totals[0] (single-pass) and totals[1] (optimizing) when given.
::testing::AssertionResult AllocatesAndChecks(RegisterAllocator& ra, const Function& fn, const MachineEnv& env,
                                              uint64_t seed, Allocation* alloc, EditStats* totals = nullptr) {
  for (Algorithm a : {Algorithm::kSinglePass, Algorithm::kOptimizing}) {
    absl::Status s = ra.Allocate(fn, env, a, alloc);
    if (!s.ok()) {
      return ::testing::AssertionFailure() << "seed " << seed << " " << AlgorithmName(a) << ": " << s << "\n"
                                           << FunctionToString(fn);
    }
    absl::Status c = CheckAllocation(fn, env, *alloc);
    if (!c.ok()) {
      return ::testing::AssertionFailure() << "seed " << seed << " " << AlgorithmName(a) << ": " << c << "\n"
                                           << FunctionToString(fn, alloc);
    }
    if (totals != nullptr) {
      const EditStats e = CountEdits(*alloc);
      EditStats& t = totals[a == Algorithm::kOptimizing];
      t.reg_moves += e.reg_moves;
      t.spills += e.spills;
      t.reloads += e.reloads;
    }
  }
  return ::testing::AssertionSuccess();
}

// Seeds [first, first + count): four tests of 2,500 programs make 10,000 per run. (Not sharded:
// test.sh reads each target's own test.xml.)
void RunPrograms(uint64_t first, int count) {
  RegisterAllocator ra;
  Function fn;
  MachineEnv env;
  Allocation alloc;
  EditStats total[2];
  uint64_t insts = 0;
  const int kPrograms = count;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    GenerateRandomProgram(seed, OptionsFor(seed), &fn, &env);
    ASSERT_TRUE(ValidateFunction(fn, env).ok()) << "seed " << seed << ": " << ValidateFunction(fn, env);
    insts += fn.insts.size();
    ASSERT_TRUE(AllocatesAndChecks(ra, fn, env, seed, &alloc, total));
  }
  for (int k = 0; k < 2; ++k) {
    std::printf("%s: %d programs, %llu insts, %llu moves (%llu reg-reg, %llu spills, %llu reloads)\n",
                k ? "optimizing" : "single_pass", kPrograms, static_cast<unsigned long long>(insts),
                static_cast<unsigned long long>(total[k].total()),
                static_cast<unsigned long long>(total[k].reg_moves),
                static_cast<unsigned long long>(total[k].spills),
                static_cast<unsigned long long>(total[k].reloads));
  }
  EXPECT_LT(total[1].total(), total[0].total());
  EXPECT_LT(total[1].spills + total[1].reloads, total[0].spills + total[0].reloads);
}

TEST(RandomAllocationTest, Programs0To2499) { RunPrograms(0, 2500); }
TEST(RandomAllocationTest, Programs2500To4999) { RunPrograms(2500, 2500); }
TEST(RandomAllocationTest, Programs5000To7499) { RunPrograms(5000, 2500); }
TEST(RandomAllocationTest, Programs7500To9999) { RunPrograms(7500, 2500); }

// Few registers and many calls, fixed operands, reuses, late uses and block parameters.
TEST(RandomAllocationTest, HighPressurePrograms) {
  RegisterAllocator ra;
  Function fn;
  MachineEnv env;
  Allocation alloc;
  for (uint64_t seed = 0; seed < 1500; ++seed) {
    Rng r(seed * 7 + 3);
    RandomProgramOptions o;
    o.num_blocks = 1 + r.Below(30);
    o.max_insts_per_block = 1 + r.Below(14);
    o.num_int_regs = 4 + r.Below(3);
    o.num_float_regs = 2 + r.Below(2);
    o.scratch = r.Percent(50);
    o.max_params = r.Below(6);
    o.call_percent = r.Below(50);
    o.fixed_percent = r.Below(50);
    o.reuse_percent = r.Below(70);
    o.late_percent = r.Below(50);
    o.stack_percent = r.Below(20);
    o.float_percent = r.Below(60);
    GenerateRandomProgram(seed + 100000, o, &fn, &env);
    ASSERT_TRUE(AllocatesAndChecks(ra, fn, env, seed, &alloc));
  }
}

// The shape most backend instructions have (Reg uses and defs, two-address reuses, few fixed
// operands and calls): the single-pass allocator's path for plain instructions carries these.
TEST(RandomAllocationTest, MostlyRegisterOperandPrograms) {
  RegisterAllocator ra;
  Function fn;
  MachineEnv env;
  Allocation alloc;
  for (uint64_t seed = 0; seed < 1500; ++seed) {
    Rng r(seed * 13 + 5);
    RandomProgramOptions o;
    o.num_blocks = 1 + r.Below(30);
    o.max_insts_per_block = 1 + r.Below(20);
    o.num_int_regs = 4 + r.Below(12);
    o.num_float_regs = 2 + r.Below(14);
    o.scratch = r.Percent(50);
    o.max_params = r.Below(4);
    o.call_percent = r.Below(4);
    o.fixed_percent = r.Below(3);
    o.stack_percent = 0;
    o.reuse_percent = r.Below(60);
    o.late_percent = r.Below(3);
    o.any_use_percent = r.Below(5);
    o.any_def_percent = r.Below(5);
    o.stack_def_percent = 0;
    o.early_def_percent = r.Below(3);
    o.clobber_percent = r.Below(3);
    GenerateRandomProgram(seed + 200000, o, &fn, &env);
    ASSERT_TRUE(AllocatesAndChecks(ra, fn, env, seed, &alloc));
  }
}

}  // namespace
}  // namespace lathe::regalloc
