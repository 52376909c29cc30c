// Dominator tree over the blocks reachable from the entry, computed with the iterative
// algorithm of Cooper, Harvey and Kennedy ("A Simple, Fast Dominance Algorithm", 2001) on a
// reverse post-order found with an explicit stack (no recursion, whatever the CFG's depth).
// Unreachable blocks have no immediate dominator and dominate nothing.
#ifndef LATHE_IR_DOMINATOR_TREE_H_
#define LATHE_IR_DOMINATOR_TREE_H_

#include <vector>

#include "absl/types/span.h"
#include "ir/cfg.h"
#include "ir/function.h"

namespace lathe::ir {

class DominatorTree {
 public:
  void Compute(const Function& f, const ControlFlowGraph& cfg);

  bool IsReachable(Block b) const { return b.index() < rpo_number_.size() && rpo_number_[b.index()] != kNone; }
  // The entry block's idom is none.
  Block idom(Block b) const { return IsReachable(b) ? idom_[b.index()] : Block(); }
  // Reachable blocks in reverse post-order (entry first).
  absl::Span<const Block> rpo() const { return rpo_; }
  // Reflexive: a block dominates itself. Constant time (tree interval numbering).
  bool Dominates(Block a, Block b) const;
  // Does instruction `a` dominate instruction `b` (same block: a is not after b)?
  bool InstDominates(const Function& f, Inst a, Inst b) const;
  absl::Span<const Block> children(Block b) const { return children_[b.index()]; }

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  std::vector<uint32_t> rpo_number_;
  std::vector<Block> rpo_;
  std::vector<Block> idom_;
  std::vector<std::vector<Block>> children_;
  std::vector<uint32_t> pre_, post_;  // dominator-tree DFS interval
};

}  // namespace lathe::ir

#endif  // LATHE_IR_DOMINATOR_TREE_H_
