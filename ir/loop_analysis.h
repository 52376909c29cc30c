// Natural loops and their nesting. A loop header is a block that dominates one of its
// predecessors (a back edge); the loop body is found by walking predecessors backwards from
// the back edges with a worklist. Loops are nested by header dominance; each block belongs to
// its innermost loop. No recursion.
#ifndef LATHE_IR_LOOP_ANALYSIS_H_
#define LATHE_IR_LOOP_ANALYSIS_H_

#include <cstdint>
#include <vector>

#include "ir/cfg.h"
#include "ir/dominator_tree.h"
#include "ir/function.h"

namespace lathe::ir {

class LoopAnalysis {
 public:
  static constexpr uint32_t kNoLoop = 0xffffffffu;

  void Compute(const Function& f, const ControlFlowGraph& cfg, const DominatorTree& domtree);
  size_t num_loops() const { return headers_.size(); }
  Block header(uint32_t loop) const { return headers_[loop]; }
  uint32_t parent(uint32_t loop) const { return parents_[loop]; }  // kNoLoop if outermost
  uint32_t depth(uint32_t loop) const;                              // 1 for outermost loops
  // Innermost loop containing `b`, or kNoLoop.
  uint32_t innermost_loop(Block b) const {
    return b.index() < block_loop_.size() ? block_loop_[b.index()] : kNoLoop;
  }
  uint32_t block_depth(Block b) const {
    uint32_t l = innermost_loop(b);
    return l == kNoLoop ? 0 : depth(l);
  }
  bool IsLoopHeader(Block b) const;

 private:
  std::vector<Block> headers_;
  std::vector<uint32_t> parents_;
  std::vector<uint32_t> block_loop_;
};

}  // namespace lathe::ir

#endif  // LATHE_IR_LOOP_ANALYSIS_H_
