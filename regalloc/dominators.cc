#include "regalloc/dominators.h"

namespace lathe::regalloc {

bool Dominators::ComputeInBlockOrder(const Function& fn) {
  const uint32_t nb = static_cast<uint32_t>(fn.blocks.size());
  constexpr uint32_t kUnseen = 0xffffffffu;
  idom_.resize(nb);
  idom_[0] = 0;
  bool retreating = false;
  for (uint32_t b = 1; b < nb; ++b) {
    const Block& bl = fn.blocks[b];
    uint32_t d = kUnseen;
    for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) {
      uint32_t x = fn.preds[p];
      if (x >= b) {
        retreating = true;
        continue;
      }
      if (d == kUnseen) {
        d = x;
        continue;
      }
      while (x != d) {
        while (x > d) x = idom_[x];
        while (d > x) d = idom_[d];
      }
    }
    if (d == kUnseen) return false;  // no earlier predecessor: block order is not topological here
    idom_[b] = d;
  }
  for (uint32_t b = 1; retreating && b < nb; ++b) {
    const Block& bl = fn.blocks[b];
    for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) {
      uint32_t x = fn.preds[p];
      if (x < b) continue;
      while (x > b) x = idom_[x];
      if (x != b) return false;
    }
  }
  rpo_.resize(nb);
  number_.resize(nb);
  for (uint32_t b = 0; b < nb; ++b) rpo_[b] = number_[b] = b;
  return true;
}

uint32_t Dominators::Compute(const Function& fn) {
  const uint32_t nb = static_cast<uint32_t>(fn.blocks.size());
  constexpr uint32_t kUnseen = 0xffffffffu;
  used_block_order_ = ComputeInBlockOrder(fn);
  if (used_block_order_) {
    Number(nb);
    return kAllReachable;
  }
  // Postorder into rpo_ (reversed below); cursor_ is each stacked block's next successor.
  number_.assign(nb, kUnseen);
  cursor_.resize(nb);
  rpo_.clear();
  stack_.clear();
  stack_.push_back(0);
  number_[0] = 0;
  cursor_[0] = fn.blocks[0].succs_begin;
  while (!stack_.empty()) {
    const uint32_t b = stack_.back();
    const uint32_t end = fn.blocks[b].succs_end;
    uint32_t& c = cursor_[b];
    while (c < end && number_[fn.succs[c]] != kUnseen) ++c;
    if (c == end) {
      rpo_.push_back(b);
      stack_.pop_back();
      continue;
    }
    const uint32_t s = fn.succs[c++];
    number_[s] = 0;
    cursor_[s] = fn.blocks[s].succs_begin;
    stack_.push_back(s);
  }
  const uint32_t n = static_cast<uint32_t>(rpo_.size());
  if (n != nb) {
    for (uint32_t b = 0; b < nb; ++b) {
      if (number_[b] == kUnseen) return b;
    }
  }
  for (uint32_t k = 0; k < n / 2; ++k) std::swap(rpo_[k], rpo_[n - 1 - k]);
  for (uint32_t k = 0; k < n; ++k) number_[rpo_[k]] = k;

  idom_.assign(n, kUnseen);
  idom_[0] = 0;
  // The first pass skips retreating edges (their sources are not numbered yet), so it computes
  // the dominators of the graph without them. That is final when every retreating edge p -> b
  // has b dominating p (always so in a reducible graph): such an edge changes no dominator.
  // Otherwise iterate to a fixpoint.
  bool first = true;
  for (bool changed = true; changed;) {
    changed = false;
    for (uint32_t k = 1; k < n; ++k) {
      const Block& bl = fn.blocks[rpo_[k]];
      uint32_t d = kUnseen;
      for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) {
        uint32_t x = number_[fn.preds[p]];
        if (idom_[x] == kUnseen) continue;
        if (d == kUnseen) {
          d = x;
          continue;
        }
        while (x != d) {
          while (x > d) x = idom_[x];
          while (d > x) d = idom_[d];
        }
      }
      if (idom_[k] != d) {
        idom_[k] = d;
        changed = true;
      }
    }
    if (first && changed) {
      first = false;
      bool final = true;
      for (uint32_t k = 1; k < n && final; ++k) {
        const Block& bl = fn.blocks[rpo_[k]];
        for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) {
          uint32_t x = number_[fn.preds[p]];
          if (x < k) continue;
          while (x > k) x = idom_[x];
          final &= x == k;
        }
      }
      changed = !final;
    }
  }
  Number(nb);
  return kAllReachable;
}

void Dominators::Number(uint32_t nb) {
  const uint32_t n = nb;
  // A parent precedes its children in RPO, so subtree sizes accumulate backwards and preorder
  // numbers hand out consecutive ranges forwards (cursor_ = the next free number under a node).
  cursor_.resize(nb);
  size_.assign(nb, 1);
  for (uint32_t k = n; k-- > 1;) size_[rpo_[idom_[k]]] += size_[rpo_[k]];
  pre_.resize(nb);
  pre_[0] = 0;
  cursor_[0] = 1;
  for (uint32_t k = 1; k < n; ++k) {
    const uint32_t b = rpo_[k], parent = rpo_[idom_[k]];
    pre_[b] = cursor_[parent];
    cursor_[parent] += size_[b];
    cursor_[b] = pre_[b] + 1;
  }
}

}  // namespace lathe::regalloc
