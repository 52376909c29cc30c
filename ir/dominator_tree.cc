#include "ir/dominator_tree.h"

#include <utility>

namespace lathe::ir {

void DominatorTree::Compute(const Function& f, const ControlFlowGraph& cfg) {
  const size_t n = f.dfg.num_blocks();
  rpo_number_.assign(n, kNone);
  idom_.assign(n, Block());
  children_.assign(n, {});
  pre_.assign(n, kNone);
  post_.assign(n, kNone);
  rpo_.clear();
  Block entry = f.layout.entry_block();
  if (!entry.valid()) return;
  // Post-order DFS with an explicit stack of (block, next successor index).
  std::vector<Block> post;
  std::vector<char> visited(n, 0);
  std::vector<std::pair<Block, size_t>> stack;
  stack.push_back({entry, 0});
  visited[entry.index()] = 1;
  while (!stack.empty()) {
    auto& [b, k] = stack.back();
    auto succs = cfg.successors(b);
    if (k < succs.size()) {
      Block s = succs[k++];
      if (!visited[s.index()]) {
        visited[s.index()] = 1;
        stack.push_back({s, 0});
      }
    } else {
      post.push_back(b);
      stack.pop_back();
    }
  }
  rpo_.assign(post.rbegin(), post.rend());
  for (size_t i = 0; i < rpo_.size(); ++i) rpo_number_[rpo_[i].index()] = static_cast<uint32_t>(i);
  // Cooper-Harvey-Kennedy: iterate to a fixed point, intersecting along RPO numbers.
  idom_[entry.index()] = entry;
  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t i = 1; i < rpo_.size(); ++i) {
      Block b = rpo_[i];
      Block new_idom;
      for (const CfgEdge& e : cfg.predecessors(b)) {
        Block p = e.block;
        if (rpo_number_[p.index()] == kNone || !idom_[p.index()].valid()) continue;
        if (!new_idom.valid()) {
          new_idom = p;
          continue;
        }
        Block x = p, y = new_idom;
        while (x != y) {
          while (rpo_number_[x.index()] > rpo_number_[y.index()]) x = idom_[x.index()];
          while (rpo_number_[y.index()] > rpo_number_[x.index()]) y = idom_[y.index()];
        }
        new_idom = x;
      }
      if (new_idom.valid() && idom_[b.index()] != new_idom) {
        idom_[b.index()] = new_idom;
        changed = true;
      }
    }
  }
  idom_[entry.index()] = Block();
  for (size_t i = 1; i < rpo_.size(); ++i) {
    Block b = rpo_[i];
    if (idom_[b.index()].valid()) children_[idom_[b.index()].index()].push_back(b);
  }
  // Interval numbering of the tree, again with an explicit stack.
  uint32_t clock = 0;
  std::vector<std::pair<Block, size_t>> walk;
  walk.push_back({entry, 0});
  pre_[entry.index()] = clock++;
  while (!walk.empty()) {
    auto& [b, k] = walk.back();
    if (k < children_[b.index()].size()) {
      Block c = children_[b.index()][k++];
      pre_[c.index()] = clock++;
      walk.push_back({c, 0});
    } else {
      post_[b.index()] = clock++;
      walk.pop_back();
    }
  }
}

bool DominatorTree::Dominates(Block a, Block b) const {
  if (!IsReachable(a) || !IsReachable(b)) return false;
  return pre_[a.index()] <= pre_[b.index()] && post_[b.index()] <= post_[a.index()];
}

bool DominatorTree::InstDominates(const Function& f, Inst a, Inst b) const {
  Block ba = f.layout.inst_block(a), bb = f.layout.inst_block(b);
  if (ba == bb) return a == b || f.layout.InstBefore(a, b);
  return Dominates(ba, bb);
}

}  // namespace lathe::ir
