#include "regalloc/boundary_assignment.h"

#include <algorithm>

#include "regalloc/loop_depth.h"

namespace lathe::regalloc {
namespace {

constexpr uint32_t kNone = 0xffffffffu;
constexpr uint8_t kNoReg = 0xff;
constexpr float kMustHaveReg = 1e30f;

}  // namespace

uint32_t BoundaryAssignment::Find(uint32_t v) {
  while (parent_[v] != v) {
    parent_[v] = parent_[parent_[v]];
    v = parent_[v];
  }
  return v;
}

void BoundaryAssignment::Run(const Function& fn, const MachineEnv& env, const Liveness& live,
                             std::vector<PReg>* boundary) {
  const uint32_t nv = fn.num_vregs;
  const uint32_t ni = static_cast<uint32_t>(fn.insts.size());
  boundary->assign(nv, PReg());
  ComputeLoopDepth(fn, &depth_);
  start_.assign(nv, kNone);
  end_.assign(nv, 0);
  weight_.assign(nv, 0.0f);
  hint_.assign(nv, kNoReg);
  parent_.resize(nv);
  for (uint32_t v = 0; v < nv; ++v) parent_[v] = v;
  auto touch = [&](uint32_t v, uint32_t pos) {
    start_[v] = std::min(start_[v], pos);
    end_[v] = std::max(end_[v], pos);
  };

  blocked_.Reset(ni);
  // Intervals: values live at some boundary, block parameters and branch arguments.
  std::vector<uint8_t>& global = global_;
  global.assign(nv, 0);
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const Block& bl = fn.blocks[b];
    for (uint32_t v : live.live_in(b)) {
      global[v] = 1;
      touch(v, bl.insts_begin);
    }
    for (uint32_t v : live.live_out(b)) {
      global[v] = 1;
      touch(v, bl.insts_end - 1);
    }
    for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) {
      global[fn.params[p]] = 1;
      touch(fn.params[p], bl.insts_begin);
    }
    const float freq = static_cast<float>(uint32_t{1} << (3 * std::min<uint32_t>(depth_[b], 5)));
    for (uint32_t s = bl.succs_begin; s < bl.succs_end; ++s) {
      const Block& to = fn.blocks[fn.succs[s]];
      for (uint32_t a = fn.edge_args_begin[s]; a < fn.edge_args_begin[s + 1]; ++a) {
        const uint32_t v = fn.edge_args[a];
        const uint32_t p = fn.params[to.params_begin + (a - fn.edge_args_begin[s])];
        global[v] = 1;
        touch(v, bl.insts_end - 1);
        // A single-successor block writes the parameter's register before its branch.
        if (bl.succs_end - bl.succs_begin == 1) touch(p, bl.insts_end - 1);
        weight_[v] += freq;
        weight_[p] += freq;
        parent_[Find(v)] = Find(p);
      }
    }
    for (uint32_t i = bl.insts_begin; i < bl.insts_end; ++i) {
      const Inst& inst = fn.insts[i];
      // Registers an interval strictly containing i cannot keep.
      PRegSet blocks = fn.clobber_sets[inst.clobbers];
      for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
        const Operand& op = fn.operands[k];
        const uint32_t v = op.vreg();
        touch(v, i);
        weight_[v] += freq;
        if (op.constraint() == Constraint::kFixedReg) {
          blocks.Add(op.fixed_reg());
          if (hint_[v] == kNoReg) hint_[v] = op.fixed_reg().bits();
        }
        if (op.constraint() == Constraint::kReuse) {
          parent_[Find(v)] = Find(fn.operands[inst.operands_begin + op.reuse_index()].vreg());
        }
        if ((inst.flags & kInstBranch) && op.constraint() == Constraint::kReg) {
          global[v] = 1;
          weight_[v] = kMustHaveReg;
        }
      }
      if (!blocks.empty()) blocked_.Add(i, blocks);
    }
  }
  blocked_.Build();

  // Sort global intervals by start (counting sort).
  count_.assign(ni + 1, 0);
  uint32_t num = 0;
  for (uint32_t v = 0; v < nv; ++v) {
    if (global[v] && start_[v] != kNone) {
      ++count_[start_[v] + 1];
      ++num;
      if (weight_[v] < kMustHaveReg) weight_[v] /= static_cast<float>(end_[v] - start_[v] + 1);
    }
  }
  for (uint32_t i = 0; i < ni; ++i) count_[i + 1] += count_[i];
  order_.resize(num);
  for (uint32_t v = 0; v < nv; ++v) {
    if (global[v] && start_[v] != kNone) order_[count_[start_[v]]++] = v;
  }

  group_reg_.assign(nv, kNoReg);
  uint32_t active_owner[kNumPRegIndices];
  uint64_t active[kNumRegClasses] = {0, 0, 0}, all[kNumRegClasses] = {0, 0, 0};
  uint32_t min_end[kNumRegClasses] = {kNone, kNone, kNone};
  for (int c = 0; c < kNumRegClasses; ++c) {
    for (PReg r : env.regs[c]) all[c] |= uint64_t{1} << r.hw();
  }
  for (uint32_t v : order_) {
    const RegClass cls = fn.vreg_class[v];
    const int c = static_cast<int>(cls);
    // Expire intervals that ended before this one starts (none can have if the earliest end
    // among the active ones, possibly stale-low after an eviction, is not before it).
    if (start_[v] > min_end[c]) {
      uint32_t earliest = kNone;
      for (uint64_t m = active[c]; m; m &= m - 1) {
        const int hw = __builtin_ctzll(m);
        const uint32_t end = end_[active_owner[c * kMaxRegsPerClass + hw]];
        if (end < start_[v]) {
          active[c] &= ~(uint64_t{1} << hw);
        } else {
          earliest = std::min(earliest, end);
        }
      }
      min_end[c] = earliest;
    }
    // A value a branch must read from a register gets one even if it must move around a call.
    const uint64_t blk = weight_[v] >= kMustHaveReg ? 0 : blocked_.Between(start_[v], end_[v], cls);
    const uint64_t free = all[c] & ~active[c] & ~blk;
    PReg pick;
    const uint8_t g = group_reg_[Find(v)];
    if (g != kNoReg && PReg::FromIndex(g).reg_class() == cls && (free >> PReg::FromIndex(g).hw() & 1)) {
      pick = PReg::FromIndex(g);
    } else if (hint_[v] != kNoReg && (free >> PReg::FromIndex(hint_[v]).hw() & 1)) {
      pick = PReg::FromIndex(hint_[v]);
    } else if (free) {
      for (PReg r : env.regs[c]) {
        if (free >> r.hw() & 1) {
          pick = r;
          break;
        }
      }
    } else {
      // Evict the cheapest active interval that could give up its register, if cheaper than v.
      float best = weight_[v];
      for (uint64_t m = active[c] & ~blk; m; m &= m - 1) {
        const int hw = __builtin_ctzll(m);
        const uint32_t w = active_owner[c * kMaxRegsPerClass + hw];
        if (weight_[w] < best) {
          best = weight_[w];
          pick = PReg(cls, hw);
        }
      }
      if (pick.valid()) (*boundary)[active_owner[pick.index()]] = PReg();
    }
    if (!pick.valid()) continue;
    (*boundary)[v] = pick;
    active[c] |= uint64_t{1} << pick.hw();
    active_owner[pick.index()] = v;
    min_end[c] = std::min(min_end[c], end_[v]);
    if (group_reg_[Find(v)] == kNoReg) group_reg_[Find(v)] = pick.bits();
  }
  ReserveBranchRegisters(fn, env, live, boundary);
}

// A branch reads its Reg operands after the block-end moves have filled the boundary registers
// of everything live out (and the successor's parameters). Make sure registers remain for the
// operands that are not already in one: move the cheapest boundary values to their slots.
void BoundaryAssignment::ReserveBranchRegisters(const Function& fn, const MachineEnv& env,
                                                const Liveness& live, std::vector<PReg>* boundary) {
  std::vector<uint32_t> cand;
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const Block& bl = fn.blocks[b];
    const Inst& inst = fn.insts[bl.insts_end - 1];
    if (!(inst.flags & kInstBranch)) continue;
    // Only classes with a Reg operand can be unsatisfied; skip the candidate scan for the rest.
    bool wants_reg[kNumRegClasses] = {false, false, false};
    for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
      const Operand& op = fn.operands[k];
      if (op.constraint() == Constraint::kReg) wants_reg[static_cast<int>(op.reg_class())] = true;
    }
    for (int c = 0; c < kNumRegClasses; ++c) {
      if (!wants_reg[c]) continue;
      const RegClass cls = static_cast<RegClass>(c);
      cand.clear();
      for (uint32_t v : live.live_out(b)) {
        if ((*boundary)[v].valid() && fn.vreg_class[v] == cls) cand.push_back(v);
      }
      if (bl.succs_end - bl.succs_begin == 1) {
        const Block& sb = fn.blocks[fn.succs[bl.succs_begin]];
        for (uint32_t p = sb.params_begin; p < sb.params_end; ++p) {
          const uint32_t v = fn.params[p];
          if ((*boundary)[v].valid() && fn.vreg_class[v] == cls) cand.push_back(v);
        }
      }
      for (;;) {
        // Operands that will not find their value in a boundary register.
        uint32_t unsatisfied = 0;
        for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
          const Operand& op = fn.operands[k];
          if (op.reg_class() != cls || op.constraint() != Constraint::kReg) continue;
          bool dup = false;
          for (uint32_t j = inst.operands_begin; j < k; ++j) dup |= fn.operands[j].vreg() == op.vreg();
          if (dup) continue;
          if (!(std::find(cand.begin(), cand.end(), op.vreg()) != cand.end() && (*boundary)[op.vreg()].valid())) {
            ++unsatisfied;
          }
        }
        uint32_t busy = 0;
        for (uint32_t v : cand) busy += (*boundary)[v].valid();
        if (unsatisfied == 0 || busy + unsatisfied <= env.regs[c].size()) break;
        uint32_t victim = kNone;
        for (uint32_t v : cand) {
          if (!(*boundary)[v].valid()) continue;
          bool is_operand = false;
          for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
            is_operand |= fn.operands[k].vreg() == v && fn.operands[k].constraint() == Constraint::kReg;
          }
          if (is_operand) continue;
          if (victim == kNone || weight_[v] < weight_[victim]) victim = v;
        }
        if (victim == kNone) break;
        (*boundary)[victim] = PReg();
      }
    }
  }
}

}  // namespace lathe::regalloc
