// CFG, dominator tree and loop analysis on small parsed functions with known answers.
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "ir/cfg.h"
#include "ir/dominator_tree.h"
#include "ir/loop_analysis.h"
#include "ir/parser.h"

namespace lathe::ir {
namespace {

std::unique_ptr<Function> Parse(const char* text) {
  auto f = ParseFunction(text);
  EXPECT_TRUE(f.ok()) << f.status();
  return f.ok() ? std::move(*f) : std::make_unique<Function>();
}

// block0 -> block1 (outer header) -> block2 (inner header) <-> block3, block3 -> block1,
// block1 -> block4 (exit); block5 is unreachable.
constexpr char kNested[] = R"(
function %nested(i8) {
block0(v0: i8):
    jump block1
block1:
    brif v0, block2, block4
block2:
    jump block3
block3:
    brif v0, block2, block1
block4:
    return
block5:
    jump block4
})";

TEST(Analysis, CfgListsSuccessorsAndPredecessors) {
  auto f = Parse(kNested);
  ControlFlowGraph cfg;
  cfg.Compute(*f);
  ASSERT_EQ(cfg.successors(Block(1)).size(), 2u);
  EXPECT_EQ(cfg.successors(Block(1))[0], Block(2));
  EXPECT_EQ(cfg.successors(Block(1))[1], Block(4));
  EXPECT_EQ(cfg.predecessors(Block(1)).size(), 2u);  // block0 and block3
  EXPECT_EQ(cfg.predecessors(Block(4)).size(), 2u);  // block1 and the unreachable block5
}

TEST(Analysis, DominatorTreeOfNestedLoops) {
  auto f = Parse(kNested);
  ControlFlowGraph cfg;
  cfg.Compute(*f);
  DominatorTree dt;
  dt.Compute(*f, cfg);
  EXPECT_FALSE(dt.idom(Block(0)).valid());
  EXPECT_EQ(dt.idom(Block(1)), Block(0));
  EXPECT_EQ(dt.idom(Block(2)), Block(1));
  EXPECT_EQ(dt.idom(Block(3)), Block(2));
  EXPECT_EQ(dt.idom(Block(4)), Block(1));
  EXPECT_FALSE(dt.IsReachable(Block(5)));
  EXPECT_TRUE(dt.Dominates(Block(1), Block(3)));
  EXPECT_FALSE(dt.Dominates(Block(3), Block(1)));
  EXPECT_FALSE(dt.Dominates(Block(2), Block(4)));
  EXPECT_FALSE(dt.Dominates(Block(5), Block(4)));
  EXPECT_EQ(dt.rpo()[0], Block(0));
}

TEST(Analysis, LoopNesting) {
  auto f = Parse(kNested);
  ControlFlowGraph cfg;
  cfg.Compute(*f);
  DominatorTree dt;
  dt.Compute(*f, cfg);
  LoopAnalysis loops;
  loops.Compute(*f, cfg, dt);
  ASSERT_EQ(loops.num_loops(), 2u);
  EXPECT_TRUE(loops.IsLoopHeader(Block(1)));
  EXPECT_TRUE(loops.IsLoopHeader(Block(2)));
  EXPECT_EQ(loops.block_depth(Block(0)), 0u);
  EXPECT_EQ(loops.block_depth(Block(1)), 1u);
  EXPECT_EQ(loops.block_depth(Block(2)), 2u);
  EXPECT_EQ(loops.block_depth(Block(3)), 2u);
  EXPECT_EQ(loops.block_depth(Block(4)), 0u);
  uint32_t inner = loops.innermost_loop(Block(3));
  EXPECT_EQ(loops.header(inner), Block(2));
  EXPECT_EQ(loops.header(loops.parent(inner)), Block(1));
}

TEST(Analysis, IrreducibleCycleHasNoNaturalLoop) {
  // block1 and block2 jump to each other but neither dominates the other.
  auto f = Parse(R"(
function %irreducible(i8) {
block0(v0: i8):
    brif v0, block1, block2
block1:
    brif v0, block2, block3
block2:
    brif v0, block1, block3
block3:
    return
})");
  ControlFlowGraph cfg;
  cfg.Compute(*f);
  DominatorTree dt;
  dt.Compute(*f, cfg);
  EXPECT_EQ(dt.idom(Block(1)), Block(0));
  EXPECT_EQ(dt.idom(Block(2)), Block(0));
  EXPECT_EQ(dt.idom(Block(3)), Block(0));
  LoopAnalysis loops;
  loops.Compute(*f, cfg, dt);
  EXPECT_EQ(loops.num_loops(), 0u);
}

TEST(Analysis, LongChainDoesNotRecurse) {
  std::string text = "function %chain() {\n";
  const int n = 50000;
  for (int i = 0; i < n; ++i) text += "block" + std::to_string(i) + ":\n    jump block" + std::to_string(i + 1) + "\n";
  text += "block" + std::to_string(n) + ":\n    return\n}\n";
  auto f = Parse(text.c_str());
  ControlFlowGraph cfg;
  cfg.Compute(*f);
  DominatorTree dt;
  dt.Compute(*f, cfg);
  EXPECT_EQ(dt.idom(Block(n)), Block(n - 1));
  EXPECT_TRUE(dt.Dominates(Block(0), Block(n)));
  LoopAnalysis loops;
  loops.Compute(*f, cfg, dt);
  EXPECT_EQ(loops.num_loops(), 0u);
}

}  // namespace
}  // namespace lathe::ir
