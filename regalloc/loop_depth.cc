#include "regalloc/loop_depth.h"

#include <algorithm>
#include <utility>

namespace lathe::regalloc {

void LoopDepth::Compute(const Function& fn, std::vector<uint32_t>* depth) {
  const uint32_t nb = static_cast<uint32_t>(fn.blocks.size());
  depth->assign(nb, 0);
  // Iterative DFS; an edge to a block still on the stack is a back edge.
  enum : uint8_t { kUnseen, kOnStack, kDone };
  std::vector<uint8_t>& state = state_;
  state.assign(nb, kUnseen);
  auto& stack = stack_;
  auto& back_edges = back_edges_;
  stack.clear();
  back_edges.clear();
  if (nb == 0) return;
  // Preorder numbers and subtree ends: a loop body lies in its header's DFS subtree, which keeps
  // the body walk from escaping through irreducible entries.
  std::vector<uint32_t>& pre = pre_;
  std::vector<uint32_t>& pre_end = pre_end_;
  pre.resize(nb);
  pre_end.resize(nb);
  uint32_t counter = 0;
  stack.push_back({0, fn.blocks[0].succs_begin});
  state[0] = kOnStack;
  pre[0] = counter++;
  while (!stack.empty()) {
    auto& [b, next] = stack.back();
    if (next == fn.blocks[b].succs_end) {
      state[b] = kDone;
      pre_end[b] = counter;
      stack.pop_back();
      continue;
    }
    const uint32_t s = fn.succs[next++];
    if (state[s] == kOnStack) {
      back_edges.push_back({b, s});
    } else if (state[s] == kUnseen) {
      state[s] = kOnStack;
      pre[s] = counter++;
      stack.push_back({s, fn.blocks[s].succs_begin});
    }
  }
  // Each back edge's natural loop: blocks that reach the latch without passing the header.
  // Several back edges to one header form one loop: group them by header.
  std::sort(back_edges.begin(), back_edges.end(),
            [](const auto& x, const auto& y) { return x.second < y.second; });
  std::vector<uint32_t>& mark = mark_;
  std::vector<uint32_t>& work = work_;
  mark.assign(nb, 0xffffffffu);
  for (uint32_t e = 0; e < back_edges.size(); ++e) {
    const uint32_t header = back_edges[e].second;
    if (e > 0 && back_edges[e - 1].second == header) continue;
    mark[header] = e;
    ++(*depth)[header];
    work.clear();
    for (uint32_t f = e; f < back_edges.size() && back_edges[f].second == header; ++f) {
      if (mark[back_edges[f].first] != e) {
        mark[back_edges[f].first] = e;
        ++(*depth)[back_edges[f].first];
        work.push_back(back_edges[f].first);
      }
    }
    while (!work.empty()) {
      const uint32_t b = work.back();
      work.pop_back();
      for (uint32_t p = fn.blocks[b].preds_begin; p < fn.blocks[b].preds_end; ++p) {
        const uint32_t q = fn.preds[p];
        if (mark[q] != e && pre[q] >= pre[header] && pre[q] < pre_end[header]) {
          mark[q] = e;
          ++(*depth)[q];
          work.push_back(q);
        }
      }
    }
  }
}

}  // namespace lathe::regalloc
