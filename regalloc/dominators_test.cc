// Dominators against the definition (a dominates b iff b is unreachable from the entry once a is
// removed), on hand-built CFGs and on random ones laid out out of dominance order.
#include "regalloc/dominators.h"

#include <vector>

#include "gtest/gtest.h"
#include "regalloc/function_builder.h"
#include "regalloc/random_program.h"

namespace lathe::regalloc {
namespace {

constexpr uint32_t kNoneBlock = 0xffffffffu;

// Blocks reachable from the entry without passing through `removed` (kNoneBlock: remove nothing).
std::vector<bool> ReachableAvoiding(const Function& fn, uint32_t removed) {
  std::vector<bool> seen(fn.blocks.size(), false);
  if (removed == 0) return seen;
  std::vector<uint32_t> stack = {0};
  seen[0] = true;
  while (!stack.empty()) {
    const uint32_t b = stack.back();
    stack.pop_back();
    for (uint32_t s = fn.blocks[b].succs_begin; s < fn.blocks[b].succs_end; ++s) {
      const uint32_t t = fn.succs[s];
      if (t != removed && !seen[t]) {
        seen[t] = true;
        stack.push_back(t);
      }
    }
  }
  return seen;
}

void ExpectMatchesDefinition(const Function& fn, const Dominators& dom) {
  const uint32_t nb = static_cast<uint32_t>(fn.blocks.size());
  for (uint32_t a = 0; a < nb; ++a) {
    const std::vector<bool> reach = ReachableAvoiding(fn, a);
    for (uint32_t b = 0; b < nb; ++b) {
      EXPECT_EQ(dom.Dominates(a, b), a == b || !reach[b]) << "a=" << a << " b=" << b;
    }
  }
}

// Adds a block with one terminator and the given successors.
void AddBlock(FunctionBuilder* b, std::initializer_list<uint32_t> succs) {
  b->StartBlock({});
  b->AddInst({}, 0, succs.size() == 0 ? kInstReturn : kInstBranch);
  for (uint32_t s : succs) b->AddSucc(s, {});
}

TEST(DominatorsTest, LoopLaidOutBeforeItsDominator) {
  // 0 -> 3 -> 1 -> 2 -> 1 (loop), 2 -> 4. Block 1 is dominated by the later block 3.
  FunctionBuilder b;
  AddBlock(&b, {3});
  AddBlock(&b, {2});
  AddBlock(&b, {1, 4});
  AddBlock(&b, {1});
  AddBlock(&b, {});
  const Function fn = b.Finish();
  Dominators dom;
  ASSERT_EQ(dom.Compute(fn), Dominators::kAllReachable);
  EXPECT_TRUE(dom.Dominates(3, 1));
  EXPECT_TRUE(dom.Dominates(1, 4));
  EXPECT_FALSE(dom.Dominates(2, 1));
  EXPECT_FALSE(dom.Dominates(4, 2));
  ExpectMatchesDefinition(fn, dom);
}

TEST(DominatorsTest, ReportsTheFirstUnreachableBlock) {
  FunctionBuilder b;
  AddBlock(&b, {2});
  AddBlock(&b, {2});
  AddBlock(&b, {});
  AddBlock(&b, {});
  Dominators dom;
  EXPECT_EQ(dom.Compute(b.Finish()), 1u);
}

TEST(DominatorsTest, RandomGraphsMatchTheDefinition) {
  Dominators dom;
  Function fn;
  MachineEnv env;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    RandomProgramOptions o;
    o.num_blocks = 2 + static_cast<uint32_t>(seed % 25);
    o.max_insts_per_block = 2;
    o.loop_span = seed % 3 == 0 ? 0 : 4;
    GenerateRandomProgram(seed, o, &fn, &env);
    ASSERT_EQ(dom.Compute(fn), Dominators::kAllReachable) << "seed " << seed;
    ExpectMatchesDefinition(fn, dom);
    if (HasFailure()) FAIL() << "seed " << seed;
  }
}

// Graphs laid out mostly in dominance order, with back edges to random earlier blocks (some to a
// block that does not dominate the source: irreducible loops) and some blocks reached only from
// later ones: both the block-order path and the fallback must match the definition.
TEST(DominatorsTest, MostlyOrderedGraphsMatchTheDefinition) {
  Dominators dom;
  Rng rng(7);
  int block_order = 0, fallback = 0;
  for (int round = 0; round < 400; ++round) {
    const uint32_t nb = 2 + rng.Below(20);
    FunctionBuilder b;
    for (uint32_t x = 0; x < nb; ++x) {
      b.StartBlock({});
      std::vector<uint32_t> succs;
      if (x + 1 < nb) {
        // Forward edges; rarely skip the fall-through so a block may lack an earlier predecessor.
        if (!rng.Percent(8)) succs.push_back(x + 1);
        if (rng.Percent(40)) succs.push_back(x + 1 + rng.Below(nb - x - 1));
      }
      if (x > 0 && rng.Percent(25)) succs.push_back(rng.Below(x + 1));  // back edge (or self loop)
      b.AddInst({}, 0, succs.empty() ? kInstReturn : kInstBranch);
      for (uint32_t s : succs) b.AddSucc(s, {});
    }
    const Function fn = b.Finish();
    const std::vector<bool> reach = ReachableAvoiding(fn, kNoneBlock);
    bool all = true;
    for (uint32_t x = 0; x < nb; ++x) all &= reach[x];
    if (!all) {
      EXPECT_NE(dom.Compute(fn), Dominators::kAllReachable) << "round " << round;
      continue;
    }
    ASSERT_EQ(dom.Compute(fn), Dominators::kAllReachable) << "round " << round;
    (dom.used_block_order() ? block_order : fallback)++;
    ExpectMatchesDefinition(fn, dom);
    if (HasFailure()) FAIL() << "round " << round;
  }
  // Both paths were taken often enough to mean something.
  EXPECT_GT(block_order, 100);
  EXPECT_GT(fallback, 20);
}

}  // namespace
}  // namespace lathe::regalloc
