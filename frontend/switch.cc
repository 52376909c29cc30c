#include "frontend/switch.h"

#include <algorithm>

namespace lathe::frontend {

using ir::Block;
using ir::Value;

void Switch::SetEntry(uint64_t key, Block target) {
  for (auto& e : entries_) {
    if (e.first == key) {
      e.second = target;
      return;
    }
  }
  entries_.push_back({key, target});
}

void Switch::Emit(FunctionBuilder& fb, Value value, Block otherwise) const {
  std::vector<std::pair<uint64_t, Block>> sorted = entries_;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  struct Run {
    uint64_t first;
    std::vector<Block> targets;
  };
  std::vector<Run> runs;
  for (const auto& [key, block] : sorted) {
    if (!runs.empty() && runs.back().first + runs.back().targets.size() == key) {
      runs.back().targets.push_back(block);
    } else {
      runs.push_back(Run{key, {block}});
    }
  }
  // Short runs are cheaper as individual comparisons.
  std::vector<Run> split;
  for (const Run& r : runs) {
    if (r.targets.size() >= kMinTableRun) {
      split.push_back(r);
    } else {
      for (size_t k = 0; k < r.targets.size(); ++k) split.push_back(Run{r.first + k, {r.targets[k]}});
    }
  }
  if (split.empty()) {
    fb.Jump(otherwise);
    return;
  }
  // Each work item dispatches runs [lo, hi) from its own block.
  struct Work {
    size_t lo, hi;
    Block block;
  };
  std::vector<Work> work;
  work.push_back(Work{0, split.size(), fb.current_block()});
  while (!work.empty()) {
    Work w = work.back();
    work.pop_back();
    fb.SwitchToBlock(w.block);
    if (w.hi - w.lo == 1) {
      const Run& r = split[w.lo];
      if (r.targets.size() == 1) {
        Value k = fb.Iconst(fb.ValueType(value), static_cast<int64_t>(r.first));
        Value c = fb.Icmp(ir::IntCC::kEq, value, k);
        fb.Brif(c, r.targets[0], {}, otherwise, {});
      } else {
        ir::Type t = fb.ValueType(value);
        Value index = value;
        if (r.first != 0) index = fb.Binary(ir::Opcode::kIsub, value, fb.Iconst(t, static_cast<int64_t>(r.first)));
        if (t != ir::kI32) {
          // br_table takes an i32 index: range-check at full width, then narrow or widen.
          Block in_range = fb.CreateBlock();
          Value n = fb.Iconst(t, static_cast<int64_t>(r.targets.size()));
          Value ok = fb.Icmp(ir::IntCC::kUlt, index, n);
          fb.Brif(ok, in_range, {}, otherwise, {});
          fb.SealBlock(in_range);
          fb.SwitchToBlock(in_range);
          index = t.bits_total() > 32 ? fb.Convert(ir::Opcode::kIreduce, ir::kI32, index)
                                      : fb.Convert(ir::Opcode::kUextend, ir::kI32, index);
        }
        fb.BrTable(index, otherwise, r.targets);
      }
      continue;
    }
    size_t mid = w.lo + (w.hi - w.lo) / 2;
    Block left = fb.CreateBlock(), right = fb.CreateBlock();
    Value pivot = fb.Iconst(fb.ValueType(value), static_cast<int64_t>(split[mid].first));
    Value lt = fb.Icmp(ir::IntCC::kUlt, value, pivot);
    fb.Brif(lt, left, {}, right, {});
    fb.SealBlock(left);
    fb.SealBlock(right);
    work.push_back(Work{mid, w.hi, right});
    work.push_back(Work{w.lo, mid, left});
  }
}

}  // namespace lathe::frontend
