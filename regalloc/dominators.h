// Dominator tree of a structurally valid function's block graph (block 0 is the entry),
// answering "does block a dominate block b" in O(1).
//
// Compute(): reverse postorder by a DFS with an explicit stack, immediate dominators by the
// iterative algorithm of Cooper, Harvey and Kennedy over RPO numbers, then a preorder numbering of
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
  // Blocks in reverse postorder (every block's dominators come before it).
  const std::vector<uint32_t>& rpo() const { return rpo_; }

 private:
  std::vector<uint32_t> rpo_;       // block per RPO number
  std::vector<uint32_t> number_;    // RPO number per block
  std::vector<uint32_t> idom_;      // by RPO number: RPO number of the immediate dominator
  std::vector<uint32_t> pre_, size_;  // by block: preorder number and subtree size
  std::vector<uint32_t> stack_, cursor_;
};

}  // namespace lathe::regalloc
