#include "ir/cfg.h"

#include <algorithm>

namespace lathe::ir {

void ControlFlowGraph::Compute(const Function& f) {
  size_t n = f.dfg.num_blocks();
  succs_.assign(n, {});
  preds_.assign(n, {});
  for (Block b = f.layout.first_block(); b.valid(); b = f.layout.next_block(b)) {
    for (Inst i = f.layout.first_inst(b); i.valid(); i = f.layout.next_inst(i)) {
      for (uint32_t bc : f.dfg.block_calls(i)) {
        Block t = f.dfg.block_call(bc).block;
        if (t.index() >= n || !f.layout.IsBlockInserted(t)) continue;
        auto& s = succs_[b.index()];
        if (std::find(s.begin(), s.end(), t) == s.end()) s.push_back(t);
        auto& p = preds_[t.index()];
        bool seen = false;
        for (const CfgEdge& e : p) seen |= e.block == b && e.inst == i;
        if (!seen) p.push_back(CfgEdge{b, i});
      }
    }
  }
}

}  // namespace lathe::ir
