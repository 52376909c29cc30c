#include "regalloc/local_allocator.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace lathe::regalloc {
namespace {

// resize + memset: std::vector::assign fills element by element, which costs more than the rest
// of a small function's allocation per vreg.
template <typename T>
void Fill(std::vector<T>* v, size_t n, uint8_t byte) {
  v->resize(n);
  if (n != 0) std::memset(static_cast<void*>(v->data()), byte, n * sizeof(T));
}

}  // namespace

inline void LocalAllocator::Map(uint32_t v, PReg r) {
  owner_[r.index()] = v;
  vs_[v].reg = r.bits();
  occ_[Cls(r)] |= Bit(r);
}

inline void LocalAllocator::Unmap(PReg r) {
  const uint32_t v = owner_[r.index()];
  if (v == kNone) return;
  vs_[v].reg = kNoReg;
  owner_[r.index()] = kNone;
  occ_[Cls(r)] &= ~Bit(r);
}

uint32_t LocalAllocator::NewSlot(uint32_t v) {
  vs_[v].slot = slots_.New(fn_->vreg_class[v]);
  return vs_[v].slot;
}

inline PReg LocalAllocator::FindFree(RegClass c, uint64_t avoid, PReg prefer) const {
  const int ci = static_cast<int>(c);
  const uint64_t cand = all_[ci] & ~occ_[ci] & ~avoid;
  if (cand == 0) return PReg();
  if (prefer.valid() && prefer.reg_class() == c && (cand & Bit(prefer))) return prefer;
  if (two_runs_[ci]) {
    const uint64_t first = cand & first_run_[ci];
    return PReg(c, __builtin_ctzll(first != 0 ? first : cand));
  }
  for (PReg r : env_->regs[ci]) {
    if (cand & Bit(r)) return r;
  }
  return PReg();
}

// r holds a value that must survive r being overwritten; r keeps the value until then.
void LocalAllocator::Preserve(PReg r, uint64_t avoid) {
  const uint32_t v = owner_[r.index()];
  if (v == kNone) return;
  if (vs_[v].slot_valid) {
    Unmap(r);
    return;
  }
  const PReg f = FindFree(r.reg_class(), avoid | Bit(r), (*boundary_)[v]);
  Unmap(r);
  if (f.valid()) {
    Move(Location::Reg(r), Location::Reg(f));
    Map(v, f);
  } else {
    Move(Location::Reg(r), Location::Stack(SlotOf(v)));
    vs_[v].slot_valid = 1;
  }
}

// A register for a new value: a free one, else one whose holder is moved away.
PReg LocalAllocator::Acquire(RegClass c, uint64_t avoid, PReg prefer) {
  PReg f = FindFree(c, avoid, prefer);
  if (f.valid()) return f;
  const int ci = static_cast<int>(c);
  const uint64_t cand = all_[ci] & occ_[ci] & ~avoid;
  if (cand == 0) return PReg();
  const auto& regs = env_->regs[ci];
  // Prefer a victim whose spill slot is current (no store needed), else rotate.
  PReg victim;
  for (PReg r : regs) {
    if ((cand & Bit(r)) && vs_[owner_[r.index()]].slot_valid) {
      victim = r;
      break;
    }
  }
  if (!victim.valid()) {
    for (size_t k = 0; k < regs.size(); ++k) {
      const PReg r = regs[(rr_[ci] + k) % regs.size()];
      if (cand & Bit(r)) {
        victim = r;
        rr_[ci] = static_cast<uint32_t>((rr_[ci] + k + 1) % regs.size());
        break;
      }
    }
  }
  Preserve(victim, avoid | Bit(victim));
  return victim;
}

absl::Status LocalAllocator::NoReg(uint32_t i, const char* what) const {
  return absl::ResourceExhaustedError(
      absl::StrCat("inst ", i, ": no register available for ", what));
}

absl::Status LocalAllocator::Run(const Function& fn, const MachineEnv& env, const Liveness& live,
                                 const std::vector<PReg>& boundary, Allocation* out) {
  fn_ = &fn;
  env_ = &env;
  live_ = &live;
  boundary_ = &boundary;
  out_ = out;
  out->Clear();
  Fill(&out->operand_locs, fn.operands.size(), 0);  // Location() is all zero bits
  slots_.Reset(out);
  min_regs_ = kMaxRegsPerClass;
  for (int c = 0; c < kNumRegClasses; ++c) {
    all_[c] = 0;
    occ_[c] = 0;
    rr_[c] = 0;
    for (PReg r : env.regs[c]) all_[c] |= Bit(r);
    if (!env.regs[c].empty() && env.regs[c].size() < min_regs_) min_regs_ = static_cast<uint32_t>(env.regs[c].size());
    int runs = 1;
    first_run_[c] = 0;
    for (size_t k = 0; k < env.regs[c].size(); ++k) {
      if (k > 0 && env.regs[c][k].hw() < env.regs[c][k - 1].hw()) ++runs;
      if (runs == 1) first_run_[c] |= Bit(env.regs[c][k]);
    }
    two_runs_[c] = runs <= 2;
  }
  for (int k = 0; k < kNumPRegIndices; ++k) owner_[k] = after_[k] = kNone;
  vs_.resize(fn.num_vregs);
  for (VregState& s : vs_) s = VregState();
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    StartBlock(b);
    const Block& bl = fn.blocks[b];
    for (uint32_t i = bl.insts_begin; i + 1 < bl.insts_end; ++i) {
      if (absl::Status s = AllocInst(i); !s.ok()) return s;
    }
    if (fn.insts[bl.insts_end - 1].flags & kInstBranch) {
      if (absl::Status s = FinishBlock(b); !s.ok()) return s;
    } else {
      if (absl::Status s = AllocInst(bl.insts_end - 1); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

void LocalAllocator::StartBlock(uint32_t b) {
  for (int c = 0; c < kNumRegClasses; ++c) {
    uint64_t m = occ_[c];
    while (m) {
      const int hw = __builtin_ctzll(m);
      m &= m - 1;
      Unmap(PReg(static_cast<RegClass>(c), hw));
    }
  }
  const Block& bl = fn_->blocks[b];
  cur_block_ = b;
  block_end_ = bl.insts_end;
  block_begin_ = bl.insts_begin;
  // Last reads within the block (branch arguments are read by the terminator), and which
  // instructions take the short path: no clobbers, only Any/Reg/Stack operands, and no more
  // operands than the smallest class has registers.
  if (simple_.size() < bl.insts_end - bl.insts_begin) simple_.resize(bl.insts_end - bl.insts_begin);
  for (uint32_t i = bl.insts_begin; i < bl.insts_end; ++i) {
    const Inst& inst = fn_->insts[i];
    bool hard = inst.clobbers != 0 || inst.operands_end - inst.operands_begin > min_regs_;
    for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
      const Operand& op = fn_->operands[k];
      if (op.is_use()) vs_[op.vreg()].last_local = i;
      hard |= static_cast<uint8_t>(op.constraint()) > static_cast<uint8_t>(Constraint::kStack);
    }
    simple_[i - bl.insts_begin] = !hard;
  }
  for (uint32_t a = fn_->edge_args_begin[bl.succs_begin]; a < fn_->edge_args_begin[bl.succs_end]; ++a) {
    vs_[fn_->edge_args[a]].last_local = bl.insts_end - 1;
  }
  for (uint32_t v : live_->live_out(b)) vs_[v].out_stamp = b;
  auto place = [&](uint32_t v) {
    const PReg r = (*boundary_)[v];
    if (r.valid()) {
      Map(v, r);
      vs_[v].slot_valid = 0;
    } else {
      SlotOf(v);
      vs_[v].slot_valid = 1;
    }
  };
  for (uint32_t v : live_->live_in(b)) place(v);
  if (bl.params_begin == bl.params_end) return;
  // Edge moves from a multi-successor predecessor run here, at the block's start.
  if (bl.preds_end - bl.preds_begin == 1) {
    const uint32_t pred = fn_->preds[bl.preds_begin];
    const Block& pb = fn_->blocks[pred];
    if (pb.succs_end - pb.succs_begin > 1) {
      uint32_t s = pb.succs_begin;
      while (fn_->succs[s] != b) ++s;
      uint64_t busy[kNumRegClasses] = {0, 0, 0};
      for (uint32_t v : live_->live_in(b)) {
        if ((*boundary_)[v].valid()) busy[Cls((*boundary_)[v])] |= Bit((*boundary_)[v]);
      }
      pending_.clear();
      for (uint32_t j = 0; j < bl.params_end - bl.params_begin; ++j) {
        const uint32_t a = fn_->edge_args[fn_->edge_args_begin[s] + j];
        const uint32_t p = fn_->params[bl.params_begin + j];
        const Location from = BoundaryLoc(a), to = BoundaryLoc(p);
        if (from.is_reg()) busy[Cls(from.reg())] |= Bit(from.reg());
        if (to.is_reg()) busy[Cls(to.reg())] |= Bit(to.reg());
        pending_.push_back({from, to});
      }
      uint64_t free_regs[kNumRegClasses];
      for (int c = 0; c < kNumRegClasses; ++c) free_regs[c] = all_[c] & ~busy[c];
      resolver_.Resolve(pending_, ProgPoint::Before(bl.insts_begin), *env_, free_regs, &slots_,
                        &out_->edits);
    }
  }
  for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) place(fn_->params[p]);
}

void LocalAllocator::AllocSimpleInst(uint32_t i) {
  const Inst& inst = fn_->insts[i];
  const uint32_t base = inst.operands_begin, n = inst.operands_end - base;
  const Operand* ops = fn_->operands.data() + base;
  Location* locs = out_->operand_locs.data() + base;
  // Registers read by this instruction, and those still read while defs are written.
  uint64_t lock[kNumRegClasses] = {0, 0, 0}, late_lock[kNumRegClasses] = {0, 0, 0};
  // n is at most the smallest class's register count (<= 64). Defs and dying values are listed
  // as the uses are read, so the later loops neither rescan nor filter.
  uint8_t defs[kMaxRegsPerClass];
  uint32_t dying[kMaxRegsPerClass];
  uint32_t num_defs = 0, num_dying = 0;
  for (uint32_t k = 0; k < n; ++k) {
    const Operand& op = ops[k];
    if (op.is_def()) {
      defs[num_defs++] = static_cast<uint8_t>(k);
      continue;
    }
    const uint32_t v = op.vreg();
    const int c = static_cast<int>(op.reg_class());
    if (Kill(base + k, v, i)) {
      vs_[v].killed_at = i;
      dying[num_dying++] = v;
    }
    if (op.constraint() == Constraint::kStack) {
      if (!vs_[v].slot_valid) {
        Move(Location::Reg(RegOf(v)), Location::Stack(SlotOf(v)));
        vs_[v].slot_valid = 1;
      }
      locs[k] = Location::Stack(SlotOf(v));
      continue;
    }
    PReg r;
    if (Mapped(v)) {
      r = RegOf(v);
    } else if (op.constraint() == Constraint::kAny) {
      locs[k] = Location::Stack(SlotOf(v));
      continue;
    } else {
      r = Acquire(op.reg_class(), lock[c], (*boundary_)[v]);
      Move(Location::Stack(SlotOf(v)), Location::Reg(r));
      Map(v, r);
    }
    lock[c] |= Bit(r);
    if (op.is_late()) late_lock[c] |= Bit(r);
    locs[k] = Location::Reg(r);
  }
  // Values read for the last time free their registers for late defs.
  for (uint32_t j = 0; j < num_dying; ++j) {
    const uint32_t v = dying[j];
    if (Mapped(v) && !(late_lock[Cls(RegOf(v))] & Bit(RegOf(v)))) Unmap(RegOf(v));
  }
  uint64_t taken[kNumRegClasses] = {0, 0, 0};
  for (uint32_t j = 0; j < num_defs; ++j) {
    const uint32_t k = defs[j];
    const Operand& op = ops[k];
    const uint32_t v = op.vreg();
    const int c = static_cast<int>(op.reg_class());
    if (op.constraint() == Constraint::kStack) {
      locs[k] = Location::Stack(SlotOf(v));
      continue;
    }
    // An early def is written while the uses are still unread.
    const uint64_t avoid = taken[c] | (op.is_early() ? lock[c] : late_lock[c]);
    PReg r = FindFree(op.reg_class(), avoid, (*boundary_)[v]);
    if (!r.valid() && op.constraint() == Constraint::kAny) {
      locs[k] = Location::Stack(SlotOf(v));
      continue;
    }
    if (!r.valid()) r = Acquire(op.reg_class(), taken[c] | lock[c], (*boundary_)[v]);
    taken[c] |= Bit(r);
    locs[k] = Location::Reg(r);
  }
  for (uint32_t j = 0; j < num_defs; ++j) {
    const uint32_t k = defs[j];
    DefinedAt(i, base + k, ops[k].vreg(), locs[k]);
  }
}

// After instruction i wrote v (operand k) to loc.
inline void LocalAllocator::DefinedAt(uint32_t i, uint32_t k, uint32_t v, Location loc) {
  if (!loc.is_reg()) {
    vs_[v].slot_valid = 1;
    return;
  }
  Unmap(loc.reg());
  vs_[v].slot_valid = 0;
  if (!Kill(k, v, i)) Map(v, loc.reg());
}

absl::Status LocalAllocator::AllocInst(uint32_t i) {
  const Inst& inst = fn_->insts[i];
  point_ = ProgPoint::Before(i);
  const Operand* ops = fn_->operands.data() + inst.operands_begin;
  Location* locs = out_->operand_locs.data() + inst.operands_begin;
  const uint32_t n = inst.operands_end - inst.operands_begin;
  if (simple_[i - block_begin_]) {
    AllocSimpleInst(i);
    return absl::OkStatus();
  }
  const PRegSet& clobbers = fn_->clobber_sets[inst.clobbers];
  for (int c = 0; c < kNumRegClasses; ++c) {
    lock_[c] = late_lock_[c] = def_res_[c] = early_def_res_[c] = fixed_use_[c] = 0;
    clob_[c] = clobbers.class_bits(static_cast<RegClass>(c)) & all_[c];
  }
  // Pass A, the only scan over all operands: kills, fixed defs and fixed uses known up front,
  // inputs reused by defs (operand indices are below 256; validated), Reg defs per class
  // (registers they will still need, so Any uses leave them alone), and per kind the list of
  // operands each later pass handles, so those passes neither rescan nor filter.
  uint64_t reused[4] = {0, 0, 0, 0};
  int reg_defs[kNumRegClasses] = {0, 0, 0};
  uint8_t uses[256], fixed_uses[256], other_uses[256], defs[256], def_order[256], any_defs[256];
  uint32_t num_uses = 0, num_fixed_uses = 0, num_other_uses = 0, num_defs = 0, num_reg_first = 0,
           num_any_defs = 0;
  for (uint32_t k = 0; k < n; ++k) {
    const Operand& op = ops[k];
    const uint8_t k8 = static_cast<uint8_t>(k);
    if (op.is_use()) {
      if (Kill(inst.operands_begin + k, op.vreg(), i)) vs_[op.vreg()].killed_at = i;
      uses[num_uses++] = k8;
      if (op.constraint() == Constraint::kFixedReg) {
        const PReg r = op.fixed_reg();
        fixed_use_[Cls(r)] |= Bit(r);
        fixed_uses[num_fixed_uses++] = k8;
      } else {
        other_uses[num_other_uses++] = k8;
      }
      continue;
    }
    defs[num_defs++] = k8;
    switch (op.constraint()) {
      case Constraint::kReuse: {
        const int r = op.reuse_index();
        reused[r >> 6] |= uint64_t{1} << (r & 63);
        break;
      }
      case Constraint::kReg:
        ++reg_defs[static_cast<int>(op.reg_class())];
        break;
      case Constraint::kFixedReg: {
        const PReg r = op.fixed_reg();
        def_res_[Cls(r)] |= Bit(r);
        if (op.is_early()) early_def_res_[Cls(r)] |= Bit(r);
        break;
      }
      default:
        break;
    }
    if (op.constraint() == Constraint::kAny) {
      any_defs[num_any_defs++] = k8;
    } else {
      def_order[num_reg_first++] = k8;
    }
  }
  auto is_reuse_input = [&](uint32_t k) { return ((reused[k >> 6] >> (k & 63)) & 1) != 0; };
  auto avoid_for_moves = [&](int c) { return lock_[c] | fixed_use_[c] | def_res_[c] | clob_[c]; };

  // Pass B: fixed uses.
  for (uint32_t j = 0; j < num_fixed_uses; ++j) {
    const uint32_t k = fixed_uses[j];
    const Operand& op = ops[k];
    const uint32_t v = op.vreg();
    const PReg r = op.fixed_reg();
    const int c = Cls(r);
    locs[k] = Location::Reg(r);
    if (lock_[c] & Bit(r)) {
      if (lock_vreg_[r.index()] != v) return NoReg(i, "two values fixed to one register");
    } else if (owner_[r.index()] != v) {
      if (owner_[r.index()] != kNone) Preserve(r, avoid_for_moves(c) | Bit(r));
      const bool mapped = Mapped(v);
      const PReg q = RegOf(v);
      Move(Cur(v), Location::Reg(r));
      if (!mapped) {
        Map(v, r);
      } else if (!(lock_[c] & Bit(q))) {
        Unmap(q);
        Map(v, r);
      }
    }
    lock_[c] |= Bit(r);
    lock_vreg_[r.index()] = v;
    if (op.is_late()) late_lock_[c] |= Bit(r);
    if (is_reuse_input(k)) def_res_[c] |= Bit(r);
  }

  // Pass C: other uses. Reuse inputs first so later late uses avoid their registers, Any uses
  // last so they only take registers that nothing else needs.
  // One scan buckets the uses by round (keeping operand order within a round).
  uint8_t round_ops[3][256];
  uint32_t round_n[3] = {0, 0, 0};
  for (uint32_t j = 0; j < num_other_uses; ++j) {
    const uint32_t k = other_uses[j];
    const Operand& op = ops[k];
    const int want = is_reuse_input(k) ? 0 : op.constraint() == Constraint::kAny ? 2 : 1;
    round_ops[want][round_n[want]++] = static_cast<uint8_t>(k);
  }
  for (int round = 0; round < 3; ++round) {
    for (uint32_t j = 0; j < round_n[round]; ++j) {
      const uint32_t k = round_ops[round][j];
      const Operand& op = ops[k];
      const bool reuse = round == 0;
      const uint32_t v = op.vreg();
      const RegClass cls = op.reg_class();
      const int c = static_cast<int>(cls);
      const bool tight = op.constraint() == Constraint::kAny &&
                         __builtin_popcountll(all_[c] & (lock_[c] | def_res_[c])) + reg_defs[c] + 1 >
                             static_cast<int>(env_->regs[c].size());
      auto to_stack = [&] {
        if (!vs_[v].slot_valid) {
          Move(Location::Reg(RegOf(v)), Location::Stack(SlotOf(v)));
          vs_[v].slot_valid = 1;
        }
        locs[k] = Location::Stack(SlotOf(v));
      };
      if (op.constraint() == Constraint::kStack) {
        to_stack();
        continue;
      }
      // Registers this operand may not sit in.
      uint64_t bad;
      if (reuse) {
        bad = early_def_res_[c] | def_res_[c] | late_lock_[c];
      } else if (op.is_late()) {
        bad = def_res_[c] | clob_[c];
      } else {
        bad = early_def_res_[c];
      }
      // A register that already holds v: its home, or a copy made for another operand here.
      PReg have;
      if (Mapped(v) && !(bad & Bit(RegOf(v)))) {
        have = RegOf(v);
      } else {
        for (uint64_t m = lock_[c] & ~bad; m; m &= m - 1) {
          const PReg r(cls, __builtin_ctzll(m));
          if (lock_vreg_[r.index()] == v) {
            have = r;
            break;
          }
        }
      }
      // Under pressure an Any use takes only a register some operand has locked already.
      if (have.valid() && tight && !(lock_[c] & Bit(have))) have = PReg();
      if (have.valid()) {
        locs[k] = Location::Reg(have);
        lock_[c] |= Bit(have);
        lock_vreg_[have.index()] = v;
        if (op.is_late()) late_lock_[c] |= Bit(have);
        if (reuse) def_res_[c] |= Bit(have);
        continue;
      }
      if (op.constraint() == Constraint::kAny && !reuse && (vs_[v].slot_valid || tight)) {
        to_stack();
        continue;
      }
      PReg f = Acquire(cls, avoid_for_moves(c) | bad, (*boundary_)[v]);
      // Under pressure an early use may sit in a register the instruction writes afterwards.
      if (!f.valid()) f = Acquire(cls, lock_[c] | bad, (*boundary_)[v]);
      if (!f.valid()) return NoReg(i, "a use");
      const bool mapped = Mapped(v);
      const PReg q = RegOf(v);
      Move(Cur(v), Location::Reg(f));
      if (!reuse) {
        if (!mapped) {
          Map(v, f);
        } else if (!(lock_[c] & Bit(q))) {
          Unmap(q);
          Map(v, f);
        }
      }
      locs[k] = Location::Reg(f);
      lock_[c] |= Bit(f);
      lock_vreg_[f.index()] = v;
      if (op.is_late()) late_lock_[c] |= Bit(f);
      if (reuse) def_res_[c] |= Bit(f);
    }
  }

  // Pass D: values in registers this instruction writes must survive elsewhere if still needed.
  for (int c = 0; c < kNumRegClasses; ++c) {
    uint64_t m = (clob_[c] | def_res_[c]) & occ_[c];
    while (m) {
      const PReg r(static_cast<RegClass>(c), __builtin_ctzll(m));
      m &= m - 1;
      const uint32_t w = owner_[r.index()];
      if (LiveAfter(w, i)) {
        Preserve(r, lock_[c] | late_lock_[c] | def_res_[c] | clob_[c] | fixed_use_[c]);
      } else {
        Unmap(r);
      }
    }
  }
  // Registers of values that die here are free for late defs.
  for (uint32_t j = 0; j < num_uses; ++j) {
    const uint32_t v = ops[uses[j]].vreg();
    if (vs_[v].killed_at == i && Mapped(v)) Unmap(RegOf(v));
  }

  // Pass E: defs without a fixed register; Reg defs choose before Any defs, which can spill.
  for (uint32_t j = 0; j < num_any_defs; ++j) def_order[num_reg_first + j] = any_defs[j];
  for (uint32_t j = 0; j < num_defs; ++j) {
    const uint32_t k = def_order[j];
    const Operand& op = ops[k];
    const uint32_t v = op.vreg();
    const RegClass cls = op.reg_class();
    const int c = static_cast<int>(cls);
    switch (op.constraint()) {
      case Constraint::kFixedReg:
        locs[k] = Location::Reg(op.fixed_reg());
        break;
      case Constraint::kReuse:
        locs[k] = locs[op.reuse_index()];
        break;
      case Constraint::kStack:
        locs[k] = Location::Stack(SlotOf(v));
        break;
      case Constraint::kAny:
      case Constraint::kReg: {
        const uint64_t avoid = def_res_[c] | late_lock_[c] | (op.is_early() ? lock_[c] : 0);
        PReg f = FindFree(cls, avoid, (*boundary_)[v]);
        if (!f.valid() && op.constraint() == Constraint::kAny) {
          locs[k] = Location::Stack(SlotOf(v));
          break;
        }
        if (!f.valid()) f = Acquire(cls, avoid | lock_[c] | fixed_use_[c], (*boundary_)[v]);
        if (!f.valid()) return NoReg(i, "a def");
        locs[k] = Location::Reg(f);
        def_res_[c] |= Bit(f);
        break;
      }
    }
  }

  // After the instruction: clobbered registers hold nothing; defs take their locations.
  for (int c = 0; c < kNumRegClasses; ++c) {
    uint64_t m = clob_[c] & occ_[c];
    while (m) {
      Unmap(PReg(static_cast<RegClass>(c), __builtin_ctzll(m)));
      m &= m - 1;
    }
  }
  for (uint32_t j = 0; j < num_defs; ++j) {
    const uint32_t k = defs[j];
    DefinedAt(i, inst.operands_begin + k, ops[k].vreg(), locs[k]);
  }
  return absl::OkStatus();
}

absl::Status LocalAllocator::FinishBlock(uint32_t b) {
  const Block& bl = fn_->blocks[b];
  const uint32_t t = bl.insts_end - 1;
  point_ = ProgPoint::Before(t);
  pending_.clear();
  uint64_t busy[kNumRegClasses] = {0, 0, 0};
  for (uint32_t v : live_->live_out(b)) {  // StartBlock stamped out_stamp
    const Location to = BoundaryLoc(v);
    if (to.is_stack() && vs_[v].slot_valid) continue;
    const Location from = Cur(v);
    if (to.is_reg()) {
      busy[Cls(to.reg())] |= Bit(to.reg());
      after_[to.reg().index()] = v;
    }
    if (from != to) pending_.push_back({from, to});
  }
  if (bl.succs_end - bl.succs_begin == 1) {
    const uint32_t s = bl.succs_begin;
    const Block& sb = fn_->blocks[fn_->succs[s]];
    for (uint32_t j = 0; j < sb.params_end - sb.params_begin; ++j) {
      const uint32_t a = fn_->edge_args[fn_->edge_args_begin[s] + j];
      const Location to = BoundaryLoc(fn_->params[sb.params_begin + j]);
      const Location from = Cur(a);
      if (to.is_reg()) {
        busy[Cls(to.reg())] |= Bit(to.reg());
        after_[to.reg().index()] = a;
      }
      if (from != to) pending_.push_back({from, to});
    }
  }
  // Branch operands read their values after the moves, so not from a slot the moves write (a
  // loop back edge may overwrite a parameter the branch still reads).
  auto written = [&](uint32_t slot) {
    for (const PendingMove& m : pending_) {
      if (m.to == Location::Stack(slot)) return true;
    }
    return false;
  };
  const Inst& inst = fn_->insts[t];
  for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
    const Operand& op = fn_->operands[k];
    const uint32_t v = op.vreg();
    const int c = static_cast<int>(op.reg_class());
    Location& loc = out_->operand_locs[k];
    const bool out = vs_[v].out_stamp == b;
    PReg holds;  // a register that holds v after the moves
    for (uint64_t m = busy[c]; m; m &= m - 1) {
      const PReg r(op.reg_class(), __builtin_ctzll(m));
      if (after_[r.index()] == v) {
        holds = r;
        break;
      }
    }
    if (holds.valid()) {
      loc = Location::Reg(holds);
    } else if (Mapped(v) && !(busy[c] & Bit(RegOf(v)))) {
      loc = Location::Reg(RegOf(v));
      busy[c] |= Bit(RegOf(v));
      after_[RegOf(v).index()] = v;
    } else if (op.constraint() == Constraint::kAny && (out || (vs_[v].slot_valid && !written(SlotOf(v))))) {
      loc = Location::Stack(SlotOf(v));
    } else if (op.constraint() == Constraint::kAny && !written(SlotOf(v))) {
      loc = Location::Stack(SlotOf(v));
      pending_.push_back({Cur(v), loc});
    } else if (op.constraint() == Constraint::kAny) {
      // The value's own slot is being overwritten (it is a parameter of the loop header this
      // branch jumps to): give the branch a private copy in a fresh slot.
      loc = Location::Stack(slots_.New(op.reg_class()));
      pending_.push_back({Cur(v), loc});
    } else {
      // A value only the branch reads, and its register is needed: copy it to a free one.
      bool found = false;
      for (uint32_t j = inst.operands_begin; j < k && !found; ++j) {
        if (fn_->operands[j].vreg() == v && out_->operand_locs[j].is_reg()) {
          loc = out_->operand_locs[j];
          found = true;
        }
      }
      if (!found) {
        PReg pick;
        for (PReg r : env_->regs[c]) {
          if (!(busy[c] & Bit(r))) {
            pick = r;
            break;
          }
        }
        if (!pick.valid()) return NoReg(t, "a branch operand");
        loc = Location::Reg(pick);
        busy[c] |= Bit(pick);
        after_[pick.index()] = v;
        pending_.push_back({Cur(v), loc});
      }
    }
  }
  // Often every value is already where the successor wants it.
  if (!pending_.empty()) {
    // Sources stay readable in parallel; only registers neither read nor written are free.
    uint64_t free_regs[kNumRegClasses];
    for (int c = 0; c < kNumRegClasses; ++c) free_regs[c] = all_[c] & ~busy[c];
    for (const PendingMove& m : pending_) {
      if (m.from.is_reg()) free_regs[Cls(m.from.reg())] &= ~Bit(m.from.reg());
      if (m.to.is_reg()) free_regs[Cls(m.to.reg())] &= ~Bit(m.to.reg());
    }
    resolver_.Resolve(pending_, point_, *env_, free_regs, &slots_, &out_->edits);
  }
  for (int c = 0; c < kNumRegClasses; ++c) {
    for (uint64_t m = busy[c]; m; m &= m - 1) after_[c * kMaxRegsPerClass + __builtin_ctzll(m)] = kNone;
  }
  return absl::OkStatus();
}

}  // namespace lathe::regalloc
