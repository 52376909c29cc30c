#include "regalloc/validate.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace lathe::regalloc {
namespace {

constexpr uint32_t kNoBlock = 0xffffffffu;
constexpr uint32_t kNoPos = 0xffffffffu;

absl::Status Err(const std::string& msg) { return absl::InvalidArgumentError(msg); }

absl::Status NotDominated(uint32_t v) {
  return Err(absl::StrCat("v", v,
                          " is used but not defined on every path from the entry (not SSA, or a use without a def)"));
}

std::string OpWhere(uint32_t inst, uint32_t k) { return absl::StrCat("inst ", inst, " operand ", k); }

constexpr size_t kNotFound = ~size_t{0};

// Index of the first entry >= limit, or kNotFound: a maximum over the array (a vector loop), and
// a search only when it fails.
size_t FirstAtLeast(const std::vector<uint32_t>& a, uint32_t limit) {
  uint32_t most = 0;
  for (uint32_t x : a) most = std::max(most, x);
  if (a.empty() || most < limit) return kNotFound;
  for (size_t k = 0;; ++k) {
    if (a[k] >= limit) return k;
  }
}

// What the instruction scan needs to know of an operand, from its kind, position and constraint
// (the class is checked separately against the vreg's).
enum : uint32_t {
  kFactUse = 1,
  kFactDef = 2,
  kFactComplex = 4,    // needs CheckInstConstraints: a fixed register or an unknown constraint
  kFactNotPlain = 8,   // keeps the instruction off the single-pass short path
  kFactStack = 16,     // not allowed on a branch
  kFactLateUse = 32,   // not allowed beside clobbers without a check
  kFactReuse = 64,     // a reuse constraint: the scan looks at its input
};

// Index of an operand tag (Operand::tag()) into kOperandFacts: bit 2 kind, bit 3 position,
// bits 4-6 constraint; out-of-range bytes are masked (the factories never produce them).
inline uint32_t OperandFactsIndex(uint32_t tag) {
  return ((tag >> 6) & 4) | ((tag >> 13) & 8) | ((tag >> 20) & 0x70);
}

constexpr uint8_t OperandFacts(uint32_t index) {
  const bool def = (index & 4) != 0, late = (index & 8) != 0;
  const uint32_t con = index >> 4;
  uint32_t f = def ? kFactDef : kFactUse;
  const bool reg = con == static_cast<uint32_t>(Constraint::kReg);
  if (con == static_cast<uint32_t>(Constraint::kFixedReg) || con > static_cast<uint32_t>(Constraint::kReuse)) {
    f |= kFactComplex;
  }
  if (con == static_cast<uint32_t>(Constraint::kStack)) f |= kFactStack;
  if (!def && late) f |= kFactLateUse;
  if (con == static_cast<uint32_t>(Constraint::kReuse)) {
    f |= kFactReuse;
    // Only a late def may reuse; the scan decides whether its input makes it simple.
    if (!def || !late) f |= kFactComplex | kFactNotPlain;
  } else if (!reg || def != late) {
    f |= kFactNotPlain;  // plain: early Reg uses and late Reg defs
  }
  return static_cast<uint8_t>(f);
}

struct OperandFactsTable {
  uint8_t facts[128];
  constexpr OperandFactsTable() : facts() {
    for (uint32_t k = 0; k < 128; ++k) facts[k] = OperandFacts(k);
  }
};
constexpr OperandFactsTable kOperandFactsTable;
const uint8_t* const kOperandFacts = kOperandFactsTable.facts;

// Constraint sets that no allocation can satisfy, checked per instruction.
absl::Status CheckInstConstraints(const Function& fn, const MachineEnv& env, uint32_t i,
                                  PRegSet allocatable) {
  const Inst& inst = fn.insts[i];
  const uint32_t n = inst.operands_end - inst.operands_begin;
  const PRegSet& clobbers = fn.clobber_sets[inst.clobbers];
  PRegSet fixed_use, fixed_def, fixed_early_def, fixed_late_use;
  int need[kNumRegClasses] = {0, 0, 0};
  int late_need[kNumRegClasses] = {0, 0, 0};      // late uses and defs
  int late_use_need[kNumRegClasses] = {0, 0, 0};  // late uses
  for (uint32_t k = 0; k < n; ++k) {
    const Operand& op = fn.operands[inst.operands_begin + k];
    const int c = static_cast<int>(op.reg_class());
    const bool is_branch = (inst.flags & kInstBranch) != 0;
    if (op.is_def() && (inst.flags & (kInstBranch | kInstReturn)) != 0) {
      return Err(absl::StrCat(OpWhere(i, k), ": terminators may not define values"));
    }
    if (is_branch && op.constraint() != Constraint::kAny && op.constraint() != Constraint::kReg) {
      return Err(absl::StrCat(OpWhere(i, k), ": branch operands must be constrained to Any or Reg"));
    }
    switch (op.constraint()) {
      case Constraint::kFixedReg: {
        const PReg r = op.fixed_reg();
        if (!r.valid() || r.reg_class() != op.reg_class()) {
          return Err(absl::StrCat(OpWhere(i, k), ": fixed register is invalid or of another class"));
        }
        if (!allocatable.Contains(r)) {
          return Err(absl::StrCat(OpWhere(i, k), ": fixed register ", r.hw(), " of class ",
                                  RegClassName(op.reg_class()), " is not allocatable"));
        }
        if (op.is_use()) {
          // Two different vregs cannot both be in one register.
          for (uint32_t j = 0; j < k; ++j) {
            const Operand& o = fn.operands[inst.operands_begin + j];
            if (o.is_use() && o.constraint() == Constraint::kFixedReg && o.fixed_reg() == r &&
                o.vreg() != op.vreg()) {
              return Err(absl::StrCat(OpWhere(i, k), ": register ", r.hw(),
                                      " is fixed for two different used values"));
            }
          }
          fixed_use.Add(r);
          if (op.is_late()) fixed_late_use.Add(r);
        } else {
          if (fixed_def.Contains(r)) {
            return Err(absl::StrCat(OpWhere(i, k), ": register ", r.hw(), " is fixed for two defs"));
          }
          fixed_def.Add(r);
          if (op.is_early()) fixed_early_def.Add(r);
        }
        ++need[c];
        if (op.is_late() || op.is_def()) ++late_need[c];
        if (op.is_late() && op.is_use()) ++late_use_need[c];
        break;
      }
      case Constraint::kReuse: {
        if (!op.is_def()) return Err(absl::StrCat(OpWhere(i, k), ": only defs may reuse a register"));
        if (op.is_early()) return Err(absl::StrCat(OpWhere(i, k), ": a reuse def must be late"));
        const uint32_t in = static_cast<uint32_t>(op.reuse_index());
        if (in >= n) return Err(absl::StrCat(OpWhere(i, k), ": reuse index out of range"));
        const Operand& src = fn.operands[inst.operands_begin + in];
        if (!src.is_use() || !src.is_early() ||
            (src.constraint() != Constraint::kReg && src.constraint() != Constraint::kFixedReg) ||
            src.reg_class() != op.reg_class()) {
          return Err(absl::StrCat(OpWhere(i, k),
                                  ": a reuse def needs an early Reg or FixedReg use of its class"));
        }
        if (src.constraint() == Constraint::kFixedReg) {
          // The def lands in the input's fixed register: it counts as a fixed def there.
          if (fixed_def.Contains(src.fixed_reg())) {
            return Err(absl::StrCat(OpWhere(i, k), ": register ", src.fixed_reg().hw(),
                                    " is fixed for two defs"));
          }
          fixed_def.Add(src.fixed_reg());
        }
        for (uint32_t j = 0; j < k; ++j) {
          const Operand& o = fn.operands[inst.operands_begin + j];
          if (o.is_def() && o.constraint() == Constraint::kReuse &&
              static_cast<uint32_t>(o.reuse_index()) == in) {
            return Err(absl::StrCat(OpWhere(i, k), ": two defs reuse the same input"));
          }
        }
        break;
      }
      case Constraint::kReg:
        ++need[c];
        if (op.is_late() || op.is_def()) ++late_need[c];
        if (op.is_late() && op.is_use()) ++late_use_need[c];
        break;
      case Constraint::kAny:
      case Constraint::kStack:
        break;
      default:
        return Err(absl::StrCat(OpWhere(i, k), ": unknown constraint"));
    }
  }
  for (int c = 0; c < kNumRegClasses; ++c) {
    if ((need[c] | late_need[c]) == 0) continue;
    const int regs = static_cast<int>(env.regs[c].size());
    const int clobbered = late_use_need[c] == 0 ? 0 : __builtin_popcountll(clobbers.class_bits(static_cast<RegClass>(c)) &
                                               allocatable.class_bits(static_cast<RegClass>(c)));
    if (need[c] > regs) {
      return Err(absl::StrCat("inst ", i, ": needs ", need[c], " registers of class ",
                              RegClassName(static_cast<RegClass>(c)), " but only ", regs,
                              " are allocatable"));
    }
    // Late uses must avoid every def and every clobbered register.
    if (late_need[c] > regs || late_use_need[c] > regs - clobbered) {
      return Err(absl::StrCat("inst ", i, ": too many late register operands of class ",
                              RegClassName(static_cast<RegClass>(c)), " for ", regs,
                              " registers with ", clobbered, " clobbered"));
    }
  }
  for (uint32_t k = 0; k < n; ++k) {
    const Operand& op = fn.operands[inst.operands_begin + k];
    if (op.constraint() != Constraint::kFixedReg) continue;
    const PReg r = op.fixed_reg();
    if (op.is_use() && fixed_early_def.Contains(r)) {
      return Err(absl::StrCat(OpWhere(i, k), ": register ", r.hw(),
                              " is both a fixed use and a fixed early def"));
    }
    if (op.is_use() && op.is_late() && (fixed_def.Contains(r) || clobbers.Contains(r))) {
      return Err(absl::StrCat(OpWhere(i, k), ": late use fixed to register ", r.hw(),
                              " which the instruction defines or clobbers"));
    }
  }
  return absl::OkStatus();
}

// The first thing wrong with instruction i of block b's flags, operand range or clobber index.
absl::Status InstError(const Function& fn, uint32_t b, uint32_t i) {
  const Block& bl = fn.blocks[b];
  const Inst& inst = fn.insts[i];
  auto where = [b] { return absl::StrCat("block ", b); };
  const bool last = i + 1 == bl.insts_end;
  const bool term = (inst.flags & (kInstBranch | kInstReturn)) != 0;
  if (last != term) {
    return Err(absl::StrCat("inst ", i, " in ", where(),
                            last ? ": a block must end with a branch or return"
                                 : ": a branch or return must be the last instruction"));
  }
  if ((inst.flags & kInstBranch) && (inst.flags & kInstReturn)) {
    return Err(absl::StrCat("inst ", i, ": both branch and return"));
  }
  if (last && (inst.flags & kInstReturn) && bl.succs_end != bl.succs_begin) {
    return Err(absl::StrCat(where(), ": ends in a return but has successors"));
  }
  if (last && (inst.flags & kInstBranch) && bl.succs_end == bl.succs_begin) {
    return Err(absl::StrCat(where(), ": ends in a branch but has no successors"));
  }
  if (inst.operands_begin > inst.operands_end || inst.operands_end > fn.operands.size()) {
    return Err(absl::StrCat("inst ", i, ": operand range out of bounds"));
  }
  if (inst.operands_end - inst.operands_begin > 255) {
    return Err(absl::StrCat("inst ", i, ": more than 255 operands"));
  }
  return Err(absl::StrCat("inst ", i, ": clobber set index out of range"));
}

// What is wrong with operand k (of instruction i): its vreg's range or class.
absl::Status OperandError(const Function& fn, uint32_t i, uint32_t k) {
  const Operand& op = fn.operands[k];
  const uint32_t index = k - fn.insts[i].operands_begin;
  if (op.vreg() >= fn.num_vregs) {
    return Err(absl::StrCat(OpWhere(i, index), ": vreg ", op.vreg(), " out of range (num_vregs = ",
                            fn.num_vregs, ")"));
  }
  return Err(absl::StrCat(OpWhere(i, index), ": v", op.vreg(), " has class ",
                          RegClassName(fn.vreg_class[op.vreg()]), " but the operand says ",
                          RegClassName(op.reg_class())));
}

}  // namespace

absl::Status Validator::CheckBlocks(const Function& fn, const MachineEnv& env) {
  if (!env_checked_ || env != checked_env_) {
    env_checked_ = false;
    if (absl::Status s = env.Validate(); !s.ok()) return s;
    checked_env_ = env;
    allocatable_ = PRegSet();
    min_regs_ = 0xffffffffu;  // over classes with registers (classes without have no vregs)
    for (int c = 0; c < kNumRegClasses; ++c) {
      for (PReg r : env.regs[c]) allocatable_.Add(r);
      if (!env.regs[c].empty()) min_regs_ = std::min(min_regs_, static_cast<uint32_t>(env.regs[c].size()));
    }
    env_checked_ = true;
  }
  const uint32_t nb = static_cast<uint32_t>(fn.blocks.size());
  const uint32_t ni = static_cast<uint32_t>(fn.insts.size());
  if (nb == 0) return Err("function has no blocks");
  if (fn.vreg_class.size() != fn.num_vregs) {
    return Err(absl::StrCat("vreg_class has ", fn.vreg_class.size(), " entries, expected num_vregs = ",
                            fn.num_vregs));
  }
  // Bit c: class c has allocatable registers (bits 3 and up, invalid classes, stay clear).
  uint32_t has_regs = 0;
  for (int c = 0; c < kNumRegClasses; ++c) has_regs |= env.regs[c].empty() ? 0u : 1u << c;
  for (uint32_t v = 0; v < fn.num_vregs; ++v) {
    const uint32_t cls = static_cast<uint32_t>(fn.vreg_class[v]);
    if (cls < 32 && ((has_regs >> cls) & 1) != 0) continue;
    if (static_cast<int>(fn.vreg_class[v]) >= kNumRegClasses) {
      return Err(absl::StrCat("v", v, ": invalid register class"));
    }
    return Err(absl::StrCat("v", v, ": class ", RegClassName(fn.vreg_class[v]),
                            " has no allocatable registers"));
  }
  if (fn.clobber_sets.empty() || !fn.clobber_sets[0].empty()) {
    return Err("clobber_sets[0] must be the empty set (instructions without clobbers use index 0)");
  }
  if (fn.edge_args_begin.size() != fn.succs.size() + 1) {
    return Err("edge_args_begin must have succs.size() + 1 entries");
  }
  for (size_t e = 0; e + 1 < fn.edge_args_begin.size(); ++e) {
    if (fn.edge_args_begin[e] > fn.edge_args_begin[e + 1]) return Err("edge_args_begin decreases");
  }
  if (fn.edge_args_begin.front() != 0 || fn.edge_args_begin.back() != fn.edge_args.size()) {
    return Err("edge_args_begin does not span edge_args");
  }
  // Every entry of the edge and parameter arrays is in range, whether or not a block's range
  // covers it: the counting sort below reads all of fn.succs. One pass per array.
  if (const size_t k = FirstAtLeast(fn.succs, nb); k != kNotFound) {
    return Err(absl::StrCat("succs[", k, "] = ", fn.succs[k], " is not a block"));
  }
  if (const size_t k = FirstAtLeast(fn.preds, nb); k != kNotFound) {
    return Err(absl::StrCat("preds[", k, "] = ", fn.preds[k], " is not a block"));
  }
  if (const size_t k = FirstAtLeast(fn.params, fn.num_vregs); k != kNotFound) {
    return Err(absl::StrCat("params[", k, "]: parameter vreg out of range"));
  }
  if (const size_t k = FirstAtLeast(fn.edge_args, fn.num_vregs); k != kNotFound) {
    return Err(absl::StrCat("edge_args[", k, "]: argument vreg out of range"));
  }
  // Block ranges.
  uint32_t next_inst = 0;
  for (uint32_t b = 0; b < nb; ++b) {
    const Block& bl = fn.blocks[b];
    if (bl.insts_begin != next_inst || bl.insts_end <= bl.insts_begin || bl.insts_end > ni) {
      return Err(absl::StrCat("block ", b, ": instruction range [", bl.insts_begin, ", ", bl.insts_end,
                              ") must be non-empty and start where the previous block ended (",
                              next_inst, ")"));
    }
    next_inst = bl.insts_end;
    if (bl.succs_begin > bl.succs_end || bl.succs_end > fn.succs.size() ||
        bl.preds_begin > bl.preds_end || bl.preds_end > fn.preds.size() ||
        bl.params_begin > bl.params_end || bl.params_end > fn.params.size()) {
      return Err(absl::StrCat("block ", b, ": successor, predecessor or parameter range out of bounds"));
    }
  }
  if (next_inst != ni) return Err("instructions after the last block");
  if (fn.blocks[0].params_begin != fn.blocks[0].params_end) {
    return Err("block 0: the entry block may not have parameters (define arguments with an instruction)");
  }
  if (fn.blocks[0].preds_begin != fn.blocks[0].preds_end) {
    return Err("block 0: the entry block may not have predecessors");
  }

  // Successor and predecessor lists must describe the same edges: for every block b, the
  // multiset of its predecessor entries equals the multiset of blocks listing b as a successor.
  // The latter is gathered per block by a counting sort of the successor entries, and the two
  // are compared with a counter per block, so a switch with thousands of targets costs no more
  // than its edges.
  if (fn.succs.size() != fn.preds.size()) return Err("successor and predecessor lists describe different edges");
  from_begin_.assign(nb + 1, 0);
  for (uint32_t s : fn.succs) ++from_begin_[s + 1];
  for (uint32_t b = 0; b < nb; ++b) from_begin_[b + 1] += from_begin_[b];
  from_.resize(fn.succs.size());
  stamp_.assign(from_begin_.begin(), from_begin_.end() - 1);  // next free position per block
  for (uint32_t p = 0; p < nb; ++p) {
    for (uint32_t s = fn.blocks[p].succs_begin; s < fn.blocks[p].succs_end; ++s) from_[stamp_[fn.succs[s]]++] = p;
  }
  count_.assign(nb, 0);
  for (uint32_t b = 0; b < nb; ++b) {
    const Block& bl = fn.blocks[b];
    const uint32_t np = bl.preds_end - bl.preds_begin;
    bool same = np == from_begin_[b + 1] - from_begin_[b];
    if (same && np == 1) {
      same = fn.preds[bl.preds_begin] == from_[from_begin_[b]];  // the usual case, without counters
    } else if (same && np > 1) {
      for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) ++count_[fn.preds[p]];
      for (uint32_t f = from_begin_[b]; f < from_begin_[b + 1]; ++f) same &= count_[from_[f]]-- != 0;
      for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) {
        same &= count_[fn.preds[p]] == 0;
        count_[fn.preds[p]] = 0;
      }
      for (uint32_t f = from_begin_[b]; f < from_begin_[b + 1]; ++f) count_[from_[f]] = 0;
    }
    if (same) continue;
    // Name the first block whose entries disagree (only on error: quadratic is fine here).
    auto pred_count = [&](uint32_t p) {
      uint32_t k = 0;
      for (uint32_t q = bl.preds_begin; q < bl.preds_end; ++q) k += fn.preds[q] == p;
      return k;
    };
    auto succ_count = [&](uint32_t p) {
      uint32_t k = 0;
      for (uint32_t s = fn.blocks[p].succs_begin; s < fn.blocks[p].succs_end; ++s) k += fn.succs[s] == b;
      return k;
    };
    uint32_t bad = kNoBlock;
    for (uint32_t q = bl.preds_begin; q < bl.preds_end && bad == kNoBlock; ++q) {
      if (pred_count(fn.preds[q]) != succ_count(fn.preds[q])) bad = fn.preds[q];
    }
    for (uint32_t f = from_begin_[b]; f < from_begin_[b + 1] && bad == kNoBlock; ++f) {
      if (pred_count(from_[f]) != succ_count(from_[f])) bad = from_[f];
    }
    return Err(absl::StrCat("block ", b, " lists block ", bad, " as a predecessor ", pred_count(bad),
                            " times, but that block lists it as a successor ", succ_count(bad), " times"));
  }

  for (uint32_t b = 0; b < nb; ++b) {
    const Block& bl = fn.blocks[b];
    const uint32_t nsucc = bl.succs_end - bl.succs_begin;
    for (uint32_t s = bl.succs_begin; s < bl.succs_end; ++s) {
      const Block& to = fn.blocks[fn.succs[s]];
      if (nsucc > 1 && to.preds_end - to.preds_begin > 1) {
        return Err(absl::StrCat("edge block ", b, " -> block ", fn.succs[s],
                                " is critical; split it with an empty block"));
      }
      const uint32_t nargs = fn.edge_args_begin[s + 1] - fn.edge_args_begin[s];
      if (nargs != to.params_end - to.params_begin) {
        return Err(absl::StrCat("edge block ", b, " -> block ", fn.succs[s], " passes ", nargs,
                                " arguments, expected ", to.params_end - to.params_begin));
      }
      for (uint32_t a = 0; a < nargs; ++a) {
        const uint32_t v = fn.edge_args[fn.edge_args_begin[s] + a];
        if (fn.vreg_class[v] != fn.vreg_class[fn.params[to.params_begin + a]]) {
          return Err(absl::StrCat("edge block ", b, " -> block ", fn.succs[s], ": argument ", a,
                                  " has a different class than its parameter"));
        }
      }
    }
  }

  return absl::OkStatus();
}

absl::Status Validator::Run(const Function& fn, const MachineEnv& env, bool record_exposed) {
  record_exposed_ = record_exposed;
  exposed_.clear();
  if (absl::Status s = CheckBlocks(fn, env); !s.ok()) return s;
  if (const uint32_t b = dom_.Compute(fn); b != Dominators::kAllReachable) {
    return Err(absl::StrCat("block ", b, " is unreachable; remove it before allocation"));
  }
  return CheckInstructions(fn, env);
}

absl::Status Validator::CheckInstructions(const Function& fn, const MachineEnv& env) {
  const PRegSet allocatable = allocatable_;
  const uint32_t min_regs = min_regs_;
  const Inst* insts = fn.insts.data();
  const Operand* ops = fn.operands.data();
  const RegClass* vreg_class = fn.vreg_class.data();
  const uint32_t num_vregs = fn.num_vregs;
  const size_t num_ops = fn.operands.size(), num_clobber_sets = fn.clobber_sets.size();
  // def_block_ is only read for vregs with a definition (def_pos_ says which), so it is not reset.
  def_block_.resize(num_vregs);
  def_pos_.assign(num_vregs, kNoPos);
  crosses_.assign(num_vregs, 0);
  shapes_.resize(fn.insts.size());
  deferred_.clear();
  uint32_t* def_block = def_block_.data();
  uint32_t* def_pos = def_pos_.data();
  // Program positions: a parameter of block b is defined at 2 * insts_begin, a def of instruction i
  // at 2 * i + 1, and i reads its uses at 2 * i + 1 too, so a value defined earlier in the same
  // block has def_pos in [block_pos, at) and one defined by the reading instruction itself does
  // not. Otherwise the defining block must dominate b; a use whose def has not been seen yet (it
  // comes later in the block order, or never) is decided once all defs are known.
  auto cross_use = [&](uint32_t v, uint32_t b) {
    if (def_pos[v] == kNoPos) {
      deferred_.push_back({v, b});
      return true;
    }
    const uint32_t d = def_block[v];
    if (d == b || !dom_.Dominates(d, b)) return false;
    crosses_[v] = 1;
    if (record_exposed_) exposed_.push_back({v, b});
    return true;
  };
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const Block& bl = fn.blocks[b];
    const uint32_t block_pos = 2 * bl.insts_begin;
    for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) {
      const uint32_t v = fn.params[p];
      if (def_pos[v] != kNoPos) {
        return Err(absl::StrCat("block ", b, ": v", v, " is defined more than once (not SSA)"));
      }
      def_block[v] = b;
      def_pos[v] = block_pos;
    }
    // Flags the block's instructions must have: none before the last one, which is a branch if
    // the block has successors and a return otherwise.
    const uint32_t want_last = bl.succs_end != bl.succs_begin ? kInstBranch : kInstReturn;
    for (uint32_t i = bl.insts_begin; i < bl.insts_end; ++i) {
      const Inst& inst = insts[i];
      const uint32_t kind = inst.flags & (kInstBranch | kInstReturn);
      if (kind != (i + 1 == bl.insts_end ? want_last : 0u) || inst.operands_begin > inst.operands_end ||
          inst.operands_end > num_ops || inst.operands_end - inst.operands_begin > 255 ||
          inst.clobbers >= num_clobber_sets) {
        return InstError(fn, b, i);
      }
      // The common instruction needs no constraint check beyond the terminator rules: only Any,
      // Reg (and Stack outside branches) operands and defs reusing distinct early Reg uses, no
      // more than the smallest class has registers (so no register count can be exceeded), no
      // late use beside clobbers. Each operand's facts come from one table lookup on its tag.
      const uint32_t n = inst.operands_end - inst.operands_begin;
      const bool term = kind != 0, is_branch = kind == kInstBranch, clobbering = inst.clobbers != 0;
      const uint32_t at = 2 * i + 1, span = at - block_pos;
      uint32_t acc = 0, classes = 0;
      uint64_t reused_inputs = 0;
      for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
        const Operand& op = ops[k];
        const uint32_t v = op.vreg(), t = op.tag();
        if (v >= num_vregs || (t & 0xff) != static_cast<uint32_t>(vreg_class[v])) return OperandError(fn, i, k);
        const uint32_t e = kOperandFacts[OperandFactsIndex(t)];
        acc |= e;
        classes |= 1u << (t & 3);
        if ((e & kFactReuse) != 0) {
          // A late def reusing an early Reg use of its class that no other def reuses needs no
          // constraint check (the usual two-address instruction).
          const uint32_t in = static_cast<uint32_t>(op.reuse_index()), input = inst.operands_begin + in;
          const bool simple = in < 64 && input < inst.operands_end && (reused_inputs >> in & 1) == 0 &&
                              ops[input].is_use() && ops[input].is_early() &&
                              ops[input].constraint() == Constraint::kReg && ops[input].reg_class() == op.reg_class();
          reused_inputs |= in < 64 ? uint64_t{1} << in : 0;
          acc |= simple ? 0u : kFactComplex | kFactNotPlain;
        }
        if ((e & kFactUse) != 0) {
          if (def_pos[v] - block_pos >= span && !cross_use(v, b)) return NotDominated(v);
        } else {
          if (def_pos[v] != kNoPos) {
            return Err(absl::StrCat(OpWhere(i, k - inst.operands_begin), ": v", v,
                                    " is defined more than once (not SSA)"));
          }
          def_block[v] = b;
          def_pos[v] = at;
        }
      }
      const bool complex = n > min_regs || (acc & kFactComplex) != 0 || (is_branch && (acc & kFactStack) != 0) ||
                           (term && (acc & kFactDef) != 0) ||
                           (clobbering && (acc & kFactLateUse) != 0);
      const bool plain = !term && !clobbering && (acc & kFactNotPlain) == 0;
      const bool reuse = (acc & kFactReuse) != 0;
      if (complex) {
        if (absl::Status s = CheckInstConstraints(fn, env, i, allocatable); !s.ok()) return s;
      }
      shapes_[i] = static_cast<uint8_t>((plain ? kPlainInst : 0) | (reuse ? kInstHasReuse : 0) |
                                        (classes << kInstClassShift));
    }
    for (uint32_t a = fn.edge_args_begin[bl.succs_begin]; a < fn.edge_args_begin[bl.succs_end]; ++a) {
      const uint32_t v = fn.edge_args[a];
      if (def_pos[v] - block_pos >= 2 * bl.insts_end - block_pos && !cross_use(v, b)) return NotDominated(v);
    }
  }
  for (const auto& [v, b] : deferred_) {
    if (def_pos_[v] == kNoPos) return NotDominated(v);
    const uint32_t d = def_block[v];
    if (d == b || !dom_.Dominates(d, b)) return NotDominated(v);
    crosses_[v] = 1;
    if (record_exposed_) exposed_.push_back({v, b});
  }
  return absl::OkStatus();
}

absl::Status ValidateFunction(const Function& fn, const MachineEnv& env) {
  Validator validator;
  return validator.Run(fn, env);
}

}  // namespace lathe::regalloc
