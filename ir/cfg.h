// Control-flow graph: successor and predecessor lists of the blocks in a function's layout,
// derived from the block calls of its branch instructions. Recompute after editing branches.
// References to blocks that are not in the layout are ignored (the verifier reports them).
#ifndef LATHE_IR_CFG_H_
#define LATHE_IR_CFG_H_

#include <vector>

#include "absl/types/span.h"
#include "ir/function.h"

namespace lathe::ir {

struct CfgEdge {
  Block block;  // the other end
  Inst inst;    // the branch instruction
};

class ControlFlowGraph {
 public:
  void Compute(const Function& f);
  // Each successor appears once per block, in the order first branched to.
  absl::Span<const Block> successors(Block b) const { return succs_[b.index()]; }
  // One entry per (predecessor block, branch instruction) pair.
  absl::Span<const CfgEdge> predecessors(Block b) const { return preds_[b.index()]; }
  size_t num_block_slots() const { return succs_.size(); }

 private:
  std::vector<std::vector<Block>> succs_;
  std::vector<std::vector<CfgEdge>> preds_;
};

}  // namespace lathe::ir

#endif  // LATHE_IR_CFG_H_
