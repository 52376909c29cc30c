#include "regalloc/fast_allocator.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace lathe::regalloc {
namespace {

int Ctz(uint64_t m) { return __builtin_ctzll(m); }

// Whether m has at least k bits set (k is an operand count, usually at most 4: then without
// branches or popcnt; the operand count varies from one instruction to the next, so a chain of
// comparisons on k would mispredict).
inline bool HasAtLeast(uint64_t m, uint32_t k) {
  if (k <= 4) {
    const uint64_t m1 = m & (m - 1), m2 = m1 & (m1 - 1), m3 = m2 & (m2 - 1);
    const uint64_t left[5] = {1, m, m1, m2, m3};  // m with 0..4 lowest bits cleared
    return left[k] != 0;
  }
  for (; k > 0 && m != 0; --k) m &= m - 1;
  return k == 0;
}

absl::Status OutOfRegistersError(uint32_t i, int c) {
  return absl::ResourceExhaustedError(absl::StrCat("inst ", i, ": no ", RegClassName(static_cast<RegClass>(c)),
                                                   " register left for an operand"));
}

constexpr uint64_t kNoClobbers[kNumRegClasses] = {0, 0, 0};

}  // namespace

absl::Status FastAllocator::Run(const Function& fn, const MachineEnv& env, const Validator& checked,
                                Allocation* out) {
  fn_ = &fn;
  env_ = &env;
  out_ = out;
  edits_ = &out->edits;
  slots_.Reset(out);
  out->operand_locs.resize(fn.operands.size());
  if (!tables_valid_ || env != tables_env_) {
    std::memset(ri_of_, kNoReg, sizeof(ri_of_));
    for (int c = 0; c < kNumRegClasses; ++c) {
      const size_t n = env.regs[c].size();
      all_[c] = n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
      for (size_t j = 0; j < n; ++j) {
        const uint8_t ri = static_cast<uint8_t>(c * 64 + j);
        preg_of_[ri] = env.regs[c][j];
        ri_of_[env.regs[c][j].index()] = ri;
      }
    }
    tables_env_ = env;
    tables_valid_ = true;
  }
  for (uint64_t& m : occ_) m = 0;
  // Clobbered registers in preference positions; registers that are not allocatable never hold
  // values, so they are left out.
  clobber_pos_.assign(fn.clobber_sets.size() * kNumRegClasses, 0);
  for (size_t s = 0; s < fn.clobber_sets.size(); ++s) {
    for (int c = 0; c < kNumRegClasses; ++c) {
      for (uint64_t m = fn.clobber_sets[s].class_bits(static_cast<RegClass>(c)); m != 0; m &= m - 1) {
        const uint8_t ri = ri_of_[c * 64 + Ctz(m)];
        if (ri != kNoReg) clobber_pos_[s * kNumRegClasses + c] |= BitOfRi(ri);
      }
    }
  }
  vreg_reg_.assign(fn.num_vregs, kNoReg);
  slot_of_.assign(fn.num_vregs, kNone);
  has_slot_.assign(checked.crosses().begin(), checked.crosses().end());
  shapes_ = checked.inst_shapes().data();
  for (uint32_t p : fn.params) has_slot_[p] = 1;
  std::memset(forced_, kNoReg, sizeof(forced_));
  for (uint32_t b = static_cast<uint32_t>(fn.blocks.size()); b-- > 0;) {
    if (!Block(b)) return std::move(error_);
  }
  std::reverse(out->edits.begin(), out->edits.end());
  return absl::OkStatus();
}

uint8_t FastAllocator::Pick(int c, uint64_t excl, bool evict, uint32_t i) {
  uint64_t m = all_[c] & ~occ_[c] & ~excl;
  if (m != 0) return static_cast<uint8_t>(c * 64 + Ctz(m));
  if (!evict) return kNoReg;
  m = occ_[c] & ~excl;
  if (m == 0) return kNoReg;
  const uint8_t ri = static_cast<uint8_t>(c * 64 + Ctz(m));
  Evict(ri, i);
  return ri;
}

void FastAllocator::ResolvePending(ProgPoint point, const uint64_t free_pos[kNumRegClasses]) {
  if (pending_.empty()) return;
  // Usual case: destinations are parameter slots that no source reads, so the moves are
  // independent; slot-to-slot ones go through one free (or the scratch) register. Pushed in
  // reverse execution order, each pair stays adjacent.
  bool independent = true;
  for (const PendingMove& m : pending_) {
    if (!m.from.is_stack()) continue;
    for (const PendingMove& d : pending_) independent &= d.to != m.from;
  }
  if (independent) {
    Location temp[kNumRegClasses];
    bool ok = true;
    for (int c = 0; c < kNumRegClasses; ++c) {
      if (free_pos[c] != 0) {
        temp[c] = RegLoc(static_cast<uint8_t>(c * 64 + Ctz(free_pos[c])));
      } else if (env_->scratch[c].valid()) {
        temp[c] = Location::Reg(env_->scratch[c]);
      }
    }
    for (const PendingMove& m : pending_) {
      if (m.from.is_stack() && temp[static_cast<int>(slots_.ClassOf(m.from.slot()))].is_none()) ok = false;
    }
    if (ok) {
      for (const PendingMove& m : pending_) {
        if (m.from.is_reg()) {
          Push(point, m.from, m.to);
        } else {
          const Location t = temp[static_cast<int>(slots_.ClassOf(m.from.slot()))];
          Push(point, t, m.to);
          Push(point, m.from, t);
        }
      }
      return;
    }
  }
  uint64_t free_hw[kNumRegClasses] = {0, 0, 0};
  for (int c = 0; c < kNumRegClasses; ++c) {
    for (uint64_t m = free_pos[c]; m != 0; m &= m - 1) free_hw[c] |= uint64_t{1} << preg_of_[c * 64 + Ctz(m)].hw();
  }
  tmp_edits_.clear();
  resolver_.Resolve(pending_, point, *env_, free_hw, &slots_, &tmp_edits_);
  edits_->insert(edits_->end(), tmp_edits_.rbegin(), tmp_edits_.rend());
}

uint8_t FastAllocator::StealKept(int c, uint64_t* keep, uint64_t excl, uint32_t i) {
  const uint64_t m = keep[c] & ~excl;
  if (m == 0) return kNoReg;
  const uint8_t ri = static_cast<uint8_t>(c * 64 + Ctz(m));
  const uint32_t w = reg_vreg_[ri];
  const Location to = RegLoc(ri);
  // w's def move to ri, pushed for this instruction, becomes a store to w's slot followed by the
  // reload into ri (pushed in reverse: the reload takes the move's place, the store goes after it).
  std::vector<Edit>& e = *edits_;
  for (size_t k = inst_edits_begin_; k < e.size(); ++k) {
    if (e[k].to != to || !(e[k].point == ProgPoint::After(i))) continue;
    const Location from = e[k].from;
    e[k] = {ProgPoint::After(i), SlotLoc(w), to};
    if (has_slot_[w] == 0) e.insert(e.begin() + static_cast<std::ptrdiff_t>(k) + 1, {ProgPoint::After(i), from, SlotLoc(w)});
    break;
  }
  has_slot_[w] = 1;
  Release(ri);
  keep[c] &= ~BitOfRi(ri);
  return ri;
}

inline void FastAllocator::PlainInstruction(uint32_t i, const Operand* ops, uint32_t n, bool any_reuse, Location* locs) {
  // Enough registers are free for every operand, so nothing is evicted: a def stays in the
  // register it has below (no other def can hold it) or takes a free one, and a use keeps its
  // register or takes a free one. Reuse inputs are placed first, in their def's register, which
  // the def left free; one that must stay in another register below is copied there. One pass
  // sorts the operands into bit masks, so the passes that follow visit only their own kind
  // (fewer data-dependent branches than testing each operand in each pass). n <= 64: every
  // operand has its own free register.
  uint64_t def_mask = 0;
  for (uint32_t k = 0; k < n; ++k) def_mask |= static_cast<uint64_t>(ops[k].is_def()) << k;
  uint64_t use_mask = (n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1) & ~def_mask;
  uint64_t used[kNumRegClasses] = {0, 0, 0}, def_regs[kNumRegClasses] = {0, 0, 0};
  uint64_t reused = 0;  // reuse inputs, placed with their defs
  uint8_t reuse_reg[64];
  for (uint64_t m = def_mask; m != 0; m &= m - 1) {
    const uint32_t k = static_cast<uint32_t>(Ctz(m));
    const Operand& op = ops[k];
    const uint32_t v = op.vreg();
    const int c = static_cast<int>(op.reg_class());
    uint8_t ri = vreg_reg_[v];
    if (ri != kNoReg) {
      Release(ri);
    } else {
      ri = static_cast<uint8_t>(c * 64 + Ctz(all_[c] & ~occ_[c] & ~def_regs[c]));
    }
    def_regs[c] |= BitOfRi(ri);
    if (any_reuse && op.constraint() == Constraint::kReuse) {
      reused |= uint64_t{1} << op.reuse_index();
      reuse_reg[op.reuse_index()] = ri;
    }
    if (has_slot_[v] != 0) Push(ProgPoint::After(i), RegLoc(ri), SlotLoc(v));
    locs[k] = RegLoc(ri);
  }
  // Copies are pushed after the def moves, as their reverse order requires; the use pass below
  // pushes nothing.
  for (uint64_t m = reused; m != 0; m &= m - 1) {
    const uint32_t k = static_cast<uint32_t>(Ctz(m));
    const uint8_t want = reuse_reg[k];
    const uint32_t v = ops[k].vreg();
    const int c = ClassOfRi(want);
    const uint8_t cur = vreg_reg_[v];
    if (cur == kNoReg) {
      Assign(v, want);
    } else if (cur != want) {
      edits_->push_back({ProgPoint::Before(i), RegLoc(cur), RegLoc(want)});
      used[c] |= BitOfRi(cur);
    }
    used[c] |= BitOfRi(want);
    locs[k] = RegLoc(want);
  }
  for (uint64_t m = use_mask & ~reused; m != 0; m &= m - 1) {
    const uint32_t k = static_cast<uint32_t>(Ctz(m));
    const Operand& op = ops[k];
    const uint32_t v = op.vreg();
    const int c = static_cast<int>(op.reg_class());
    uint8_t ri = vreg_reg_[v];
    if (ri == kNoReg) {
      ri = static_cast<uint8_t>(c * 64 + Ctz(all_[c] & ~occ_[c] & ~used[c]));
      Assign(v, ri);
    }
    used[c] |= BitOfRi(ri);
    locs[k] = RegLoc(ri);
  }
}

bool FastAllocator::OutOfRegisters(uint32_t i, int c) {
  error_ = OutOfRegistersError(i, c);
  return false;
}

bool FastAllocator::Block(uint32_t b) {
  const Function& fn = *fn_;
  const ::lathe::regalloc::Block& bl = fn.blocks[b];
  const uint32_t last = bl.insts_end - 1, first = bl.insts_begin;
  if (!((fn.insts[last].flags & kInstBranch) != 0 ? Terminator(b, last) : Instruction(b, last))) return false;
  // Plain instructions with a free register per operand in each class they use take the short
  // path, inlined here (the operand count bounds each class's need); the rest the full one.
  const Inst* insts = fn.insts.data();
  const Operand* ops = fn.operands.data();
  Location* locs = out_->operand_locs.data();
  for (uint32_t i = last; i-- > first;) {
    const uint8_t shape = shapes_[i];
    if ((shape & Validator::kPlainInst) != 0) {
      const uint32_t begin = insts[i].operands_begin, n = insts[i].operands_end - begin;
      bool room = true;
      for (uint32_t cls = shape >> Validator::kInstClassShift; cls != 0; cls &= cls - 1) {
        room &= HasAtLeast(all_[Ctz(cls)] & ~occ_[Ctz(cls)], n);
      }
      if (room) {
        PlainInstruction(i, ops + begin, n, (shape & Validator::kInstHasReuse) != 0, locs + begin);
        continue;
      }
    }
    if (!Instruction(b, i)) return false;
  }
  // Whatever is still in a register was live into the block: load it from its slot.
  for (int c = 0; c < kNumRegClasses; ++c) {
    for (uint64_t m = occ_[c]; m != 0; m &= m - 1) {
      const uint8_t ri = static_cast<uint8_t>(c * 64 + Ctz(m));
      const uint32_t v = reg_vreg_[ri];
      if (has_slot_[v] == 0) {
        error_ = absl::InternalError(absl::StrCat("block ", b, ": v", v, " is live in without a slot"));
        return false;
      }
      Push(ProgPoint::Before(first), SlotLoc(v), RegLoc(ri));
      vreg_reg_[v] = kNoReg;
    }
    occ_[c] = 0;
  }
  // Parameters of the only successor-with-arguments of a multi-successor block: copied from the
  // argument slots here (the branch cannot be followed by moves).
  if (bl.params_begin != bl.params_end && bl.preds_end - bl.preds_begin == 1) {
    const ::lathe::regalloc::Block& pb = fn.blocks[fn.preds[bl.preds_begin]];
    if (pb.succs_end - pb.succs_begin > 1) {
      uint32_t s_idx = pb.succs_begin;
      while (fn.succs[s_idx] != b) ++s_idx;
      pending_.clear();
      for (uint32_t j = 0; j < bl.params_end - bl.params_begin; ++j) {
        const uint32_t a = fn.edge_args[fn.edge_args_begin[s_idx] + j], p = fn.params[bl.params_begin + j];
        if (a != p) pending_.push_back({SlotLoc(a), SlotLoc(p)});
      }
      ResolvePending(ProgPoint::Before(first), all_);
    }
  }
  return true;
}

bool FastAllocator::Terminator(uint32_t b, uint32_t i) {
  const Function& fn = *fn_;
  const Inst& inst = fn.insts[i];
  uint64_t used[kNumRegClasses] = {0, 0, 0};
  // A branch reads its operands (Any or Reg) from registers the argument moves leave alone.
  for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
    const Operand& op = fn.operands[k];
    const uint32_t v = op.vreg();
    const int c = static_cast<int>(op.reg_class());
    uint8_t ri = vreg_reg_[v];
    if (ri == kNoReg) {
      ri = Pick(c, used[c], false, i);
      if (ri == kNoReg) return OutOfRegisters(i, c);
      Assign(v, ri);
    }
    used[c] |= BitOfRi(ri);
    out_->operand_locs[k] = RegLoc(ri);
  }
  const ::lathe::regalloc::Block& bl = fn.blocks[b];
  if (bl.succs_end - bl.succs_begin == 1) {
    const uint32_t s_idx = bl.succs_begin;
    const ::lathe::regalloc::Block& sb = fn.blocks[fn.succs[s_idx]];
    pending_.clear();
    for (uint32_t j = 0; j < sb.params_end - sb.params_begin; ++j) {
      const uint32_t a = fn.edge_args[fn.edge_args_begin[s_idx] + j], p = fn.params[sb.params_begin + j];
      if (a == p) continue;
      Location from;
      if (vreg_reg_[a] != kNoReg) {
        from = RegLoc(vreg_reg_[a]);
      } else if (has_slot_[a] != 0) {
        from = SlotLoc(a);
      } else {
        const int c = static_cast<int>(fn.vreg_class[a]);
        const uint8_t ri = Pick(c, used[c], false, i);
        if (ri != kNoReg) {
          Assign(a, ri);
          used[c] |= BitOfRi(ri);
          from = RegLoc(ri);
        } else {
          has_slot_[a] = 1;
          from = SlotLoc(a);
        }
      }
      pending_.push_back({from, SlotLoc(p)});
    }
    uint64_t free_pos[kNumRegClasses];
    for (int c = 0; c < kNumRegClasses; ++c) free_pos[c] = all_[c] & ~occ_[c] & ~used[c];
    ResolvePending(ProgPoint::Before(i), free_pos);
  } else {
    // Each successor copies its arguments from their slots at its start.
    for (uint32_t a = fn.edge_args_begin[bl.succs_begin]; a < fn.edge_args_begin[bl.succs_end]; ++a) {
      has_slot_[fn.edge_args[a]] = 1;
    }
  }
  return true;
}

bool FastAllocator::Instruction(uint32_t b, uint32_t i) {
  (void)b;
  const Function& fn = *fn_;
  const Inst& inst = fn.insts[i];
  const uint32_t begin = inst.operands_begin, n = inst.operands_end - begin;
  const Operand* ops = fn.operands.data() + begin;
  Location* locs = out_->operand_locs.data() + begin;
  const uint64_t* clob = inst.clobbers != 0 ? &clobber_pos_[inst.clobbers * kNumRegClasses] : kNoClobbers;
  uint64_t fixed_use[kNumRegClasses] = {0, 0, 0}, fixed_def[kNumRegClasses] = {0, 0, 0};
  uint64_t fixed_late_use[kNumRegClasses] = {0, 0, 0};
  bool any_reg_use = false, any_any_use = false, any_reg_def = false, any_any_def = false;
  auto con_is = [](const Operand& op, Constraint c) { return op.constraint() == c; };
  bool any_fixed_use = false, any_reuse = false, any_late_use = false, any_pinned_def = false;
  for (uint32_t k = 0; k < n; ++k) {
    const Operand& op = ops[k];
    const int c = static_cast<int>(op.reg_class());
    any_reg_def |= op.is_def() & (op.constraint() != Constraint::kAny);
    any_any_def |= op.is_def() & (op.constraint() == Constraint::kAny);
    if (op.constraint() == Constraint::kFixedReg) {
      const uint64_t bit = BitOfRi(ri_of_[op.fixed_reg().index()]);
      if (op.is_use()) {
        fixed_use[c] |= bit;
        if (op.is_late()) fixed_late_use[c] |= bit;
        any_fixed_use = true;
      } else {
        fixed_def[c] |= bit;
        any_pinned_def = true;
      }
    } else if (op.constraint() == Constraint::kReuse) {
      any_reuse = true;
      forced_[op.reuse_index()] = kInput;
      const Operand& in = ops[op.reuse_index()];
      if (in.constraint() == Constraint::kFixedReg) {
        fixed_def[c] |= BitOfRi(ri_of_[in.fixed_reg().index()]);
        any_pinned_def = true;
      }
    } else if (op.is_use()) {
      any_late_use |= op.is_late();
      any_reg_use |= con_is(op, Constraint::kReg);
      any_any_use |= con_is(op, Constraint::kAny);
    }
  }

  // Defs: registers pinned by fixed constraints first, then reuse defs, then the rest.
  uint64_t def_regs[kNumRegClasses] = {0, 0, 0}, early_def[kNumRegClasses] = {0, 0, 0};
  uint64_t keep[kNumRegClasses] = {0, 0, 0};  // registers defs are moved to after the instruction
  copies_.clear();
  inst_edits_begin_ = edits_->size();
  // Any defs after the others only when both kinds are present (pass 2 takes all otherwise).
  const bool split_any = any_any_def && any_reg_def;
  const bool single_pass = !any_fixed_use && !any_reuse && !any_late_use && !(any_reg_use && any_any_use);
  // Operands in the order they choose (counting sort on a category): defs pinned to a register,
  // reuse defs, other defs, Any defs (which can go to the slot when the others have taken the
  // registers); then fixed uses, reuse inputs, late Reg uses, Reg uses, Any and Stack uses.
  uint8_t cat[256], order[256];
  uint32_t num_defs = 0;
  if (single_pass && !any_pinned_def && !any_reuse && !split_any) {
    // Only two categories: defs, then uses, each in operand order.
    for (uint32_t k = 0; k < n; ++k) {
      if (ops[k].is_def()) order[num_defs++] = static_cast<uint8_t>(k);
    }
    for (uint32_t k = 0, u = num_defs; k < n; ++k) {
      if (ops[k].is_use()) order[u++] = static_cast<uint8_t>(k);
    }
  } else {
    auto category = [&](uint32_t k) -> uint32_t {
      const Operand& op = ops[k];
      const Constraint con = op.constraint();
      if (op.is_def()) {
        const bool pinned = con == Constraint::kFixedReg ||
                            (con == Constraint::kReuse && ops[op.reuse_index()].constraint() == Constraint::kFixedReg);
        return pinned ? 0 : con == Constraint::kReuse ? 1 : (split_any && con == Constraint::kAny) ? 3 : 2;
      }
      if (single_pass) return 8;
      return con == Constraint::kFixedReg ? 4 : forced_[k] != kNoReg ? 5 : con != Constraint::kReg ? 8 : op.is_late() ? 6 : 7;
    };
    uint32_t start[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    for (uint32_t k = 0; k < n; ++k) {
      cat[k] = static_cast<uint8_t>(category(k));
      ++start[cat[k] + 1];
    }
    for (int x = 1; x < 10; ++x) start[x] += start[x - 1];
    num_defs = start[4];
    for (uint32_t k = 0; k < n; ++k) order[start[cat[k]]++] = static_cast<uint8_t>(k);
  }
  for (uint32_t d = 0; d < num_defs; ++d) {
    {
      const uint32_t k = order[d];
      const Operand& op = ops[k];
      const Constraint con = op.constraint();
      const bool pinned = con == Constraint::kFixedReg ||
                          (con == Constraint::kReuse && ops[op.reuse_index()].constraint() == Constraint::kFixedReg);
      const uint32_t v = op.vreg();
      const int c = static_cast<int>(op.reg_class());
      uint8_t cur = vreg_reg_[v];
      uint8_t ri = kNoReg;
      Location loc;
      uint64_t excl = def_regs[c] | keep[c] | fixed_def[c] | fixed_late_use[c];
      if (op.is_early()) excl |= fixed_use[c];
      if (pinned) {
        ri = ri_of_[(con == Constraint::kFixedReg ? op : ops[op.reuse_index()]).fixed_reg().index()];
        // v's later home is another pinned register: v goes through its slot instead.
        if (cur != kNoReg && cur != ri && (fixed_def[c] & BitOfRi(cur)) != 0) {
          Evict(cur, i);
          cur = kNoReg;
        }
        if (cur != ri && (occ_[c] & BitOfRi(ri)) != 0) Evict(ri, i);
      } else if (con == Constraint::kStack) {
        has_slot_[v] = 1;
      } else {
        if (con == Constraint::kReuse) excl |= fixed_use[c];
        const bool any_to_slot = con == Constraint::kAny && (op.is_early() || any_late_use);
        if (cur != kNoReg && (BitOfRi(cur) & excl) == 0 && !any_to_slot) {
          ri = cur;
        } else if (con == Constraint::kAny && (has_slot_[v] != 0 || any_to_slot)) {
          // Written straight to its slot (an early or late Any def would take a register that
          // the uses of the instruction may need).
          has_slot_[v] = 1;
        } else {
          ri = Pick(c, excl, con != Constraint::kAny, i);
          if (ri == kNoReg && con != Constraint::kAny) ri = StealKept(c, keep, (excl & ~keep[c]) | def_regs[c], i);
          if (ri == kNoReg) {
            if (con != Constraint::kAny) return OutOfRegisters(i, c);
            has_slot_[v] = 1;
          }
        }
      }
      if (ri != kNoReg) {
        loc = RegLoc(ri);
        def_regs[c] |= BitOfRi(ri);
        if (op.is_early()) early_def[c] |= BitOfRi(ri);
        if (con == Constraint::kReuse) forced_[op.reuse_index()] = ri;
      } else {
        loc = SlotLoc(v);
      }
      // Pushed after this def's evictions, so they run before the reloads those evictions add.
      if (cur != kNoReg) {
        keep[c] |= BitOfRi(cur);
        if (cur != ri) Push(ProgPoint::After(i), loc, RegLoc(cur));
        // v is dead above its def; keep[] stops the other defs from taking cur.
        Release(cur);
      }
      if (has_slot_[v] != 0 && !loc.is_stack()) Push(ProgPoint::After(i), loc, SlotLoc(v));
      locs[k] = loc;
    }
  }
  // Values live across the instruction leave clobbered registers.
  if (inst.clobbers != 0) {
    for (int c = 0; c < kNumRegClasses; ++c) {
      for (uint64_t m = clob[c] & occ_[c]; m != 0; m &= m - 1) Evict(static_cast<uint8_t>(c * 64 + Ctz(m)), i);
    }
  }

  // Uses: fixed registers are emptied of other values first; then fixed uses, reuse inputs, late
  // uses, Reg uses and then Any and Stack uses, so the most constrained operands choose first (an
  // Any use falls back to its slot when the others have taken the registers).
  uint64_t used[kNumRegClasses] = {0, 0, 0};
  if (any_fixed_use) {
    for (uint32_t k = 0; k < n; ++k) {
      const Operand& op = ops[k];
      if (!op.is_use() || op.constraint() != Constraint::kFixedReg) continue;
      const uint8_t ri = ri_of_[op.fixed_reg().index()];
      if ((occ_[ClassOfRi(ri)] & BitOfRi(ri)) != 0 && reg_vreg_[ri] != op.vreg()) Evict(ri, i);
    }
  }
  for (uint32_t u = num_defs; u < n; ++u) {
    {
      const uint32_t k = order[u];
      const Operand& op = ops[k];
      const Constraint con = op.constraint();
      const uint8_t forced = forced_[k];
      const uint32_t v = op.vreg();
      const int c = static_cast<int>(op.reg_class());
      const uint8_t cur = vreg_reg_[v];
      if (con == Constraint::kFixedReg || forced != kNoReg) {
        const uint8_t want = forced != kNoReg ? forced : ri_of_[op.fixed_reg().index()];
        const uint64_t bit = BitOfRi(want);
        if (cur != want && (occ_[c] & bit) != 0) {
          if ((used[c] & bit) != 0) return OutOfRegisters(i, c);
          Evict(want, i);
        }
        if (cur == kNoReg) {
          Assign(v, want);
        } else if (cur != want && (used[c] & BitOfRi(cur)) != 0) {
          // Another operand reads v from cur: copy.
          copies_.push_back({ProgPoint::Before(i), RegLoc(cur), RegLoc(want)});
        } else if (cur != want) {
          // v moves to `want` up to this instruction (freeing cur for the other operands) and
          // back to cur after it. If the instruction or a def move overwrites `want`, v stays in
          // cur (which no def or clobber touches: their holders were evicted) and is copied,
          // when enough registers stay free for the operands still to place; else it goes
          // through its slot.
          const uint64_t spare = all_[c] & ~occ_[c] & ~used[c] & ~bit & ~def_regs[c] & ~clob[c];
          if (((def_regs[c] | clob[c] | keep[c]) & bit) == 0) {
            Push(ProgPoint::After(i), RegLoc(want), RegLoc(cur));
            Release(cur);
            Assign(v, want);
          } else if (HasAtLeast(spare, n - u - 1)) {
            copies_.push_back({ProgPoint::Before(i), RegLoc(cur), RegLoc(want)});
            used[c] |= BitOfRi(cur);
          } else {
            Evict(cur, i);
            Assign(v, want);
          }
        }
        used[c] |= bit;
        locs[k] = RegLoc(want);
        continue;
      }
      if (con == Constraint::kStack) {
        has_slot_[v] = 1;
        locs[k] = SlotLoc(v);
        continue;
      }
      const uint64_t excl = op.is_late() ? def_regs[c] | clob[c] : early_def[c];
      if (cur != kNoReg && (BitOfRi(cur) & excl) == 0) {
        used[c] |= BitOfRi(cur);
        locs[k] = RegLoc(cur);
        continue;
      }
      if (con == Constraint::kAny && (cur != kNoReg || has_slot_[v] != 0)) {
        // The slot is current here (v's definition stores it, as it is marked now).
        has_slot_[v] = 1;
        locs[k] = SlotLoc(v);
        continue;
      }
      const uint8_t ri = Pick(c, excl | used[c], con == Constraint::kReg, i);
      if (ri == kNoReg) {
        if (con != Constraint::kAny) return OutOfRegisters(i, c);
        has_slot_[v] = 1;
        locs[k] = SlotLoc(v);
        continue;
      }
      if (cur == kNoReg) {
        Assign(v, ri);
      } else {
        copies_.push_back({ProgPoint::Before(i), RegLoc(cur), RegLoc(ri)});
        used[c] |= BitOfRi(cur);
      }
      used[c] |= BitOfRi(ri);
      locs[k] = RegLoc(ri);
    }
  }
  for (uint32_t k = 0; any_reuse && k < n; ++k) forced_[k] = kNoReg;
  if (!copies_.empty()) edits_->insert(edits_->end(), copies_.begin(), copies_.end());
  return true;
}

}  // namespace lathe::regalloc
