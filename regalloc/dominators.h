// Dominator tree of a structurally valid function's block graph (block 0 is the entry),
// answering "does block a dominate block b" in O(1).
//
// Compute(): when block order itself is topological for the forward edges (every block but the
// entry has an earlier predecessor, and every later predecessor is dominated by the block: the
// usual layout of structured code), immediate dominators in one pass over blocks in order.
// Otherwise reverse postorder by a DFS with an explicit stack and immediate dominators by the
// iterative algorithm of Cooper, Harvey and Kennedy over RPO numbers. Then a preorder numbering of
// the dominator tree derived from subtree sizes (no tree walk), so that a's subtree is the
// interval [pre[a], pre[a] + size[a]). Linear in blocks and edges times the (small) number of
// iterations. The object keeps its buffers across functions.
#pragma once

#include <cstdint>
#include <vector>

#include "regalloc/function.h"

namespace lathe::regalloc {

class Dominators {
 public:
  // Returns the lowest-numbered block that the entry cannot reach, or kAllReachable; the tree
  // is only computed (and Dominates only meaningful) when every block is reachable.
  uint32_t Compute(const Function& fn);
  static constexpr uint32_t kAllReachable = 0xffffffffu;

  bool Dominates(uint32_t a, uint32_t b) const { return pre_[b] - pre_[a] < size_[a]; }
  // Blocks in an order where every block's dominators come before it (reverse postorder, or
  // block order when that qualifies).
  const std::vector<uint32_t>& rpo() const { return rpo_; }
  // Whether the last Compute() took the block-order path (for tests).
  bool used_block_order() const { return used_block_order_; }

 private:
  // The block-order case of Compute(); false when block order does not qualify.
  bool ComputeInBlockOrder(const Function& fn);
  // pre_ and size_ from rpo_ and idom_ (by rpo number).
  void Number(uint32_t nb);

  std::vector<uint32_t> rpo_;       // block per RPO number
  std::vector<uint32_t> number_;    // RPO number per block
  std::vector<uint32_t> idom_;      // by RPO number: RPO number of the immediate dominator
  std::vector<uint32_t> pre_, size_;  // by block: preorder number and subtree size
  std::vector<uint32_t> stack_, cursor_;
  bool used_block_order_ = false;
};

}  // namespace lathe::regalloc
