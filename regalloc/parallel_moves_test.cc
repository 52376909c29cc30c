// The resolver's output, executed on concrete values, must equal the parallel move: random
// permutations with cycles and fan-out over registers and slots, with and without a scratch
// register or free registers.
#include "regalloc/parallel_moves.h"

#include <map>
#include <vector>

#include "gtest/gtest.h"
#include "regalloc/random_program.h"
#include "regalloc/test_env.h"

namespace lathe::regalloc {
namespace {

constexpr int kRegs = 4;   // r0-r3 allocatable (TestEnv)
constexpr int kSlots = 4;  // s0-s3

Location Loc(int i) { return i < kRegs ? Location::Reg(R(i)) : Location::Stack(i - kRegs); }

void RunCase(uint64_t seed, bool scratch, bool free_reg, int* stack_moves_seen) {
  Rng rng(seed);
  MachineEnv env = TestEnv(scratch);
  // With a free register, r3 holds nothing and takes part in no move.
  const int nloc = kRegs + kSlots;
  std::vector<PendingMove> moves;
  std::vector<int> src_of(nloc, -1);
  for (int d = 0; d < nloc; ++d) {
    if (free_reg && d == 3) continue;
    if (!rng.Percent(70)) continue;
    int s;
    do {
      s = static_cast<int>(rng.Below(nloc));
    } while (free_reg && s == 3);
    src_of[d] = s;
    moves.push_back({Loc(s), Loc(d)});
  }
  Allocation alloc;
  alloc.num_spill_slots = kSlots;
  alloc.slot_class.assign(kSlots, RegClass::kInt);
  SpillSlots slots;
  slots.Reset(&alloc);
  uint64_t free_regs[kNumRegClasses] = {free_reg ? uint64_t{1} << 3 : 0, 0, 0};
  ParallelMoveResolver resolver;
  std::vector<Edit> out;
  resolver.Resolve(moves, ProgPoint::Before(0), env, free_regs, &slots, &out);

  // Execute on concrete values: location bits -> value.
  std::map<uint32_t, int> val;
  for (int i = 0; i < nloc; ++i) val[Loc(i).bits()] = 100 + i;
  for (const Edit& e : out) {
    ASSERT_FALSE(e.from.is_stack() && e.to.is_stack()) << "seed " << seed;
    if (e.from.is_stack() || e.to.is_stack()) ++*stack_moves_seen;
    ASSERT_TRUE(val.count(e.from.bits()) || e.from.is_stack()) << "seed " << seed << " reads an unset location";
    val[e.to.bits()] = val[e.from.bits()];
  }
  for (int d = 0; d < nloc; ++d) {
    const int expect = src_of[d] >= 0 ? 100 + src_of[d] : 100 + d;
    if (free_reg && d == 3) continue;  // the free register may be used as a temporary
    EXPECT_EQ(val[Loc(d).bits()], expect) << "seed " << seed << " location " << d;
  }
}

TEST(ParallelMovesTest, RandomParallelMovesWithAndWithoutTemporaries) {
  int stack_moves = 0;
  for (uint64_t seed = 0; seed < 3000; ++seed) {
    for (int mode = 0; mode < 4; ++mode) {
      RunCase(seed, mode & 1, mode & 2, &stack_moves);
      if (HasFatalFailure()) return;
    }
  }
  EXPECT_GT(stack_moves, 0);
}

TEST(ParallelMovesTest, SwapWithoutScratchUsesAnEmergencySlot) {
  MachineEnv env = TestEnv(/*scratch=*/false);
  Allocation alloc;
  SpillSlots slots;
  slots.Reset(&alloc);
  uint64_t none[kNumRegClasses] = {0, 0, 0};
  ParallelMoveResolver resolver;
  std::vector<Edit> out;
  resolver.Resolve({{Location::Reg(R(0)), Location::Reg(R(1))}, {Location::Reg(R(1)), Location::Reg(R(0))}},
                   ProgPoint::Before(0), env, none, &slots, &out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(alloc.num_spill_slots, 1u);  // the emergency slot
  EXPECT_TRUE(out[0].to.is_stack());
}

}  // namespace
}  // namespace lathe::regalloc
