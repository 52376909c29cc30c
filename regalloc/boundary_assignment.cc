#include "regalloc/boundary_assignment.h"

#include <algorithm>
#include <cstddef>
#include <cstring>


namespace lathe::regalloc {
namespace {

constexpr float kMustHaveReg = 1e30f;

// resize + memset: std::vector::assign fills element by element.
template <typename T>
void Fill(std::vector<T>* v, size_t n, uint8_t byte) {
  v->resize(n);
  if (n != 0) std::memset(static_cast<void*>(v->data()), byte, n * sizeof(T));
}

}  // namespace

// Roots have parent kNone.
uint32_t BoundaryAssignment::Find(uint32_t v) {
  while (iv_[v].parent != kNone) {
    const uint32_t p = iv_[v].parent;
    if (iv_[p].parent != kNone) iv_[v].parent = iv_[p].parent;
    v = p;
  }
  return v;
}

void BoundaryAssignment::Union(uint32_t a, uint32_t b) {
  const uint32_t ra = Find(a), rb = Find(b);
  if (ra != rb) iv_[ra].parent = rb;
}

void BoundaryAssignment::Run(const Function& fn, const MachineEnv& env, const Liveness& live,
                             std::vector<PReg>* boundary) {
  const uint32_t nv = fn.num_vregs;
  const uint32_t ni = static_cast<uint32_t>(fn.insts.size());
  static_assert(kNone == 0xffffffffu && kNoReg == 0xff, "Fill sets every byte");
  Fill(boundary, nv, 0xff);  // PReg::Invalid()
  loop_depth_.Compute(fn, &depth_);
  // Values live across a block boundary start with the hull of those positions (liveness
  // gathers it); block parameters, branch arguments and operands extend it below.
  iv_.resize(nv);
  for (uint32_t v = 0; v < nv; ++v) {
    VregInfo x;
    const Liveness::Hull h = live.boundary_hull(v);
    x.start = h.first;
    x.end = h.last;
    x.global = h.first != kNone;
    iv_[v] = x;
  }
  auto touch = [&](uint32_t v, uint32_t pos) {
    iv_[v].start = std::min(iv_[v].start, pos);
    iv_[v].end = std::max(iv_[v].end, pos);
  };

  blocked_.Reset(ni);
  // Intervals: values live at some boundary, block parameters and branch arguments.
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const Block& bl = fn.blocks[b];
    for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) {
      iv_[fn.params[p]].global = 1;
      touch(fn.params[p], bl.insts_begin);
    }
    const float freq = static_cast<float>(uint32_t{1} << (3 * std::min<uint32_t>(depth_[b], 5)));
    for (uint32_t s = bl.succs_begin; s < bl.succs_end; ++s) {
      const Block& to = fn.blocks[fn.succs[s]];
      for (uint32_t a = fn.edge_args_begin[s]; a < fn.edge_args_begin[s + 1]; ++a) {
        const uint32_t v = fn.edge_args[a];
        const uint32_t p = fn.params[to.params_begin + (a - fn.edge_args_begin[s])];
        iv_[v].global = 1;
        touch(v, bl.insts_end - 1);
        // A single-successor block writes the parameter's register before its branch.
        if (bl.succs_end - bl.succs_begin == 1) touch(p, bl.insts_end - 1);
        iv_[v].weight += freq;
        iv_[p].weight += freq;
        Union(v, p);
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
        iv_[v].weight += freq;
        if (op.constraint() == Constraint::kFixedReg) {
          blocks.Add(op.fixed_reg());
          if (iv_[v].hint == kNoReg) iv_[v].hint = op.fixed_reg().bits();
        }
        if (op.constraint() == Constraint::kReuse) {
          Union(v, fn.operands[inst.operands_begin + op.reuse_index()].vreg());
        }
      }
      if (!blocks.empty()) blocked_.Add(i, blocks);
    }
    const Inst& term = fn.insts[bl.insts_end - 1];
    if (term.flags & kInstBranch) {
      for (uint32_t k = term.operands_begin; k < term.operands_end; ++k) {
        const Operand& op = fn.operands[k];
        if (op.constraint() == Constraint::kReg) {
          iv_[op.vreg()].global = 1;
          iv_[op.vreg()].weight = kMustHaveReg;
        }
      }
    }
  }
  blocked_.Build();

  // Sort global intervals by start (counting sort). Values without an interval take key ni, a
  // last bucket that is cut off afterwards: no branch on whether a value has one.
  count_.assign(ni + 2, 0);
  for (uint32_t v = 0; v < nv; ++v) {
    VregInfo& x = iv_[v];
    const bool has = x.global && x.start != kNone;
    ++count_[(has ? x.start : ni) + 1];
    const float scaled = x.weight / static_cast<float>(x.end - x.start + 1);
    x.weight = has && x.weight < kMustHaveReg ? scaled : x.weight;
  }
  const uint32_t num = nv - count_[ni + 1];
  for (uint32_t i = 0; i <= ni; ++i) count_[i + 1] += count_[i];
  order_.resize(nv);
  for (uint32_t v = 0; v < nv; ++v) {
    const VregInfo& x = iv_[v];
    const bool has = x.global && x.start != kNone;
    order_[count_[has ? x.start : ni]++] = v;
  }
  order_.resize(num);

  // Per register: the active interval holding it, with copies of its end and weight so the
  // expiry and eviction loops read this small table rather than scattered VregInfo entries.
  uint32_t active_owner[kNumPRegIndices];
  uint32_t active_end[kNumPRegIndices];
  float active_weight[kNumPRegIndices];
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
    if (iv_[v].start > min_end[c]) {
      uint32_t earliest = kNone;
      for (uint64_t m = active[c]; m; m &= m - 1) {
        const int hw = __builtin_ctzll(m);
        const uint32_t end = active_end[c * kMaxRegsPerClass + hw];
        if (end < iv_[v].start) {
          active[c] &= ~(uint64_t{1} << hw);
        } else {
          earliest = std::min(earliest, end);
        }
      }
      min_end[c] = earliest;
    }
    // A value a branch must read from a register gets one even if it must move around a call.
    const uint64_t blk = iv_[v].weight >= kMustHaveReg ? 0 : blocked_.Between(iv_[v].start, iv_[v].end, cls);
    const uint64_t free = all[c] & ~active[c] & ~blk;
    PReg pick;
    const uint32_t root = Find(v);  // groups no longer change
    const uint8_t g = iv_[root].group_reg;
    if (g != kNoReg && PReg::FromIndex(g).reg_class() == cls && (free >> PReg::FromIndex(g).hw() & 1)) {
      pick = PReg::FromIndex(g);
    } else if (iv_[v].hint != kNoReg && (free >> PReg::FromIndex(iv_[v].hint).hw() & 1)) {
      pick = PReg::FromIndex(iv_[v].hint);
    } else if (free) {
      for (PReg r : env.regs[c]) {
        if (free >> r.hw() & 1) {
          pick = r;
          break;
        }
      }
    } else {
      // Evict the cheapest active interval that could give up its register, if cheaper than v.
      float best = iv_[v].weight;
      for (uint64_t m = active[c] & ~blk; m; m &= m - 1) {
        const int hw = __builtin_ctzll(m);
        const float w = active_weight[c * kMaxRegsPerClass + hw];
        if (w < best) {
          best = w;
          pick = PReg(cls, hw);
        }
      }
      if (pick.valid()) (*boundary)[active_owner[pick.index()]] = PReg();
    }
    if (!pick.valid()) continue;
    (*boundary)[v] = pick;
    active[c] |= uint64_t{1} << pick.hw();
    active_owner[pick.index()] = v;
    active_end[pick.index()] = iv_[v].end;
    active_weight[pick.index()] = iv_[v].weight;
    min_end[c] = std::min(min_end[c], iv_[v].end);
    if (iv_[root].group_reg == kNoReg) iv_[root].group_reg = pick.bits();
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
      // Only live-out values keep their value in their boundary register through the moves; a
      // successor parameter's register receives the new value (a loop-carried parameter the
      // branch also reads needs another register).
      const size_t num_live_out = cand.size();
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
          const auto live_end = cand.begin() + static_cast<std::ptrdiff_t>(num_live_out);
          if (!(std::find(cand.begin(), live_end, op.vreg()) != live_end && (*boundary)[op.vreg()].valid())) {
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
          if (victim == kNone || iv_[v].weight < iv_[victim].weight) victim = v;
        }
        if (victim == kNone) break;
        (*boundary)[victim] = PReg();
      }
    }
  }
}

}  // namespace lathe::regalloc
