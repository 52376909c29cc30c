#include "ir/loop_analysis.h"

namespace lathe::ir {

void LoopAnalysis::Compute(const Function& f, const ControlFlowGraph& cfg, const DominatorTree& domtree) {
  headers_.clear();
  parents_.clear();
  block_loop_.assign(f.dfg.num_blocks(), kNoLoop);
  // Headers in RPO, so an enclosing loop's header comes before the headers it contains.
  for (Block b : domtree.rpo()) {
    for (const CfgEdge& e : cfg.predecessors(b)) {
      if (domtree.Dominates(b, e.block)) {
        headers_.push_back(b);
        break;
      }
    }
  }
  parents_.assign(headers_.size(), kNoLoop);
  // Process inner loops first (reverse RPO of headers): a block already claimed by an inner
  // loop is skipped over by jumping to that loop's header, and the inner loop gets its parent.
  std::vector<Block> work;
  for (size_t li = headers_.size(); li-- > 0;) {
    const uint32_t loop = static_cast<uint32_t>(li);
    Block h = headers_[li];
    work.clear();
    for (const CfgEdge& e : cfg.predecessors(h)) {
      if (domtree.Dominates(h, e.block)) work.push_back(e.block);
    }
    while (!work.empty()) {
      Block b = work.back();
      work.pop_back();
      if (!domtree.IsReachable(b)) continue;
      uint32_t l = block_loop_[b.index()];
      if (l == kNoLoop) {
        block_loop_[b.index()] = loop;
        if (b == h) continue;
        for (const CfgEdge& e : cfg.predecessors(b)) work.push_back(e.block);
        continue;
      }
      if (l == loop) continue;
      // b is inside an inner loop: find that loop's outermost ancestor so far.
      while (parents_[l] != kNoLoop) l = parents_[l];
      if (l == loop) continue;
      parents_[l] = loop;
      Block inner = headers_[l];
      for (const CfgEdge& e : cfg.predecessors(inner)) {
        if (!domtree.Dominates(inner, e.block)) work.push_back(e.block);
      }
    }
    if (block_loop_[h.index()] == kNoLoop) block_loop_[h.index()] = loop;
  }
}

uint32_t LoopAnalysis::depth(uint32_t loop) const {
  uint32_t d = 0;
  for (uint32_t l = loop; l != kNoLoop; l = parents_[l]) ++d;
  return d;
}

bool LoopAnalysis::IsLoopHeader(Block b) const {
  for (Block h : headers_) {
    if (h == b) return true;
  }
  return false;
}

}  // namespace lathe::ir
