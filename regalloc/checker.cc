#include "regalloc/checker.h"

#include <algorithm>
#include <deque>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "regalloc/validate.h"

namespace lathe::regalloc {
namespace {

using VSet = absl::InlinedVector<uint32_t, 2>;  // sorted vregs
using State = std::vector<VSet>;

absl::Status Fail(const std::string& msg) { return absl::FailedPreconditionError(msg); }

std::string LocName(Location l) {
  if (l.is_reg()) return absl::StrCat(RegClassName(l.reg().reg_class()), "_r", l.reg().hw());
  if (l.is_stack()) return absl::StrCat("slot", l.slot());
  return "none";
}

std::string SetName(const VSet& s) {
  return absl::StrCat("{", absl::StrJoin(s, ", ", [](std::string* o, uint32_t v) { absl::StrAppend(o, "v", v); }), "}");
}

bool Has(const VSet& s, uint32_t v) { return std::binary_search(s.begin(), s.end(), v); }

void Remove(VSet* s, uint32_t v) {
  auto it = std::lower_bound(s->begin(), s->end(), v);
  if (it != s->end() && *it == v) s->erase(it);
}

void Insert(VSet* s, uint32_t v) {
  auto it = std::lower_bound(s->begin(), s->end(), v);
  if (it == s->end() || *it != v) s->insert(it, v);
}

class Checker {
 public:
  Checker(const Function& fn, const MachineEnv& env, const Allocation& a) : fn_(fn), env_(env), a_(a) {}

  absl::Status Run() {
    if (absl::Status s = ValidateFunction(fn_, env_); !s.ok()) return s;
    for (int c = 0; c < kNumRegClasses; ++c) {
      for (PReg r : env_.regs[c]) {
        allocatable_.Add(r);
        reg_index_[r.index()] = num_regs_++;
      }
      if (env_.scratch[c].valid()) {
        scratch_.Add(env_.scratch[c]);
        reg_index_[env_.scratch[c].index()] = num_regs_++;
      }
    }
    if (a_.operand_locs.size() != fn_.operands.size()) {
      return Fail(absl::StrCat("allocation has ", a_.operand_locs.size(), " operand locations for ",
                               fn_.operands.size(), " operands"));
    }
    if (a_.slot_class.size() != a_.num_spill_slots) return Fail("slot_class size differs from num_spill_slots");
    if (absl::Status s = CheckStatic(); !s.ok()) return s;
    return CheckDataflow();
  }

 private:
  // Dense state index: registers the allocation may touch (allocatable and scratch), then slots.
  uint32_t Index(Location l) const {
    return l.is_reg() ? reg_index_[l.reg().index()] : num_regs_ + l.slot();
  }

  absl::Status CheckLoc(Location l, RegClass c, bool allow_scratch, const std::string& where) const {
    if (l.is_reg()) {
      if (l.reg().reg_class() != c) return Fail(absl::StrCat(where, ": ", LocName(l), " has the wrong class"));
      if (!allocatable_.Contains(l.reg()) && !(allow_scratch && scratch_.Contains(l.reg()))) {
        return Fail(absl::StrCat(where, ": ", LocName(l), " is not an allocatable register"));
      }
      return absl::OkStatus();
    }
    if (l.is_stack()) {
      if (l.slot() >= a_.num_spill_slots) return Fail(absl::StrCat(where, ": ", LocName(l), " out of range"));
      if (a_.slot_class[l.slot()] != c) return Fail(absl::StrCat(where, ": ", LocName(l), " has the wrong class"));
      return absl::OkStatus();
    }
    return Fail(absl::StrCat(where, ": no location"));
  }

  absl::Status CheckStatic() {
    for (uint32_t i = 0; i < fn_.insts.size(); ++i) {
      const Inst& inst = fn_.insts[i];
      const PRegSet& clob = fn_.clobber_sets[inst.clobbers];
      const uint32_t n = inst.operands_end - inst.operands_begin;
      for (uint32_t k = 0; k < n; ++k) {
        const Operand& op = fn_.operands[inst.operands_begin + k];
        const Location l = a_.operand_locs[inst.operands_begin + k];
        const std::string where = absl::StrCat("inst ", i, " operand ", k, " (v", op.vreg(), ")");
        if (absl::Status s = CheckLoc(l, op.reg_class(), false, where); !s.ok()) return s;
        switch (op.constraint()) {
          case Constraint::kAny:
            break;
          case Constraint::kReg:
            if (!l.is_reg()) return Fail(absl::StrCat(where, ": needs a register, got ", LocName(l)));
            break;
          case Constraint::kStack:
            if (!l.is_stack()) return Fail(absl::StrCat(where, ": needs a stack slot, got ", LocName(l)));
            break;
          case Constraint::kFixedReg:
            if (l != Location::Reg(op.fixed_reg())) {
              return Fail(absl::StrCat(where, ": fixed to ", LocName(Location::Reg(op.fixed_reg())),
                                       ", got ", LocName(l)));
            }
            break;
          case Constraint::kReuse:
            if (l != a_.operand_locs[inst.operands_begin + op.reuse_index()] || !l.is_reg()) {
              return Fail(absl::StrCat(where, ": must reuse the register of operand ", op.reuse_index()));
            }
            break;
        }
        for (uint32_t j = 0; j < k; ++j) {
          const Operand& o = fn_.operands[inst.operands_begin + j];
          const Location lj = a_.operand_locs[inst.operands_begin + j];
          if (lj != l) continue;
          const bool reuse_pair = (op.constraint() == Constraint::kReuse && op.reuse_index() == static_cast<int>(j)) ||
                                  (o.constraint() == Constraint::kReuse && o.reuse_index() == static_cast<int>(k));
          if (reuse_pair) continue;
          if (op.is_use() && o.is_use()) {
            if (op.vreg() != o.vreg()) return Fail(absl::StrCat(where, ": shares ", LocName(l), " with another used value"));
            continue;
          }
          if (op.is_def() && o.is_def()) return Fail(absl::StrCat(where, ": two defs in ", LocName(l)));
          const Operand& use = op.is_use() ? op : o;
          const Operand& def = op.is_def() ? op : o;
          if (def.is_early() || use.is_late()) {
            return Fail(absl::StrCat(where, ": ", LocName(l), " is both read and written in overlapping parts of the instruction"));
          }
        }
        if (op.is_use() && op.is_late() && l.is_reg() && clob.Contains(l.reg())) {
          return Fail(absl::StrCat(where, ": late use in clobbered ", LocName(l)));
        }
      }
    }
    // Edits.
    edit_start_.assign(2 * fn_.insts.size() + 1, 0);
    ProgPoint prev = ProgPoint::Before(0);
    for (size_t e = 0; e < a_.edits.size(); ++e) {
      const Edit& ed = a_.edits[e];
      const std::string where = absl::StrCat("edit ", e, " (", LocName(ed.from), " -> ", LocName(ed.to), ")");
      if (ed.point.inst() >= fn_.insts.size()) return Fail(absl::StrCat(where, ": point out of range"));
      if (ed.point < prev) return Fail(absl::StrCat(where, ": edits are not sorted by program point"));
      prev = ed.point;
      if (ed.point.is_after() && (fn_.insts[ed.point.inst()].flags & (kInstBranch | kInstReturn))) {
        return Fail(absl::StrCat(where, ": after a terminator"));
      }
      if (ed.from.is_stack() && ed.to.is_stack()) return Fail(absl::StrCat(where, ": stack-to-stack move"));
      const RegClass c = ed.from.is_reg() ? ed.from.reg().reg_class()
                         : ed.from.is_stack() && ed.from.slot() < a_.num_spill_slots ? a_.slot_class[ed.from.slot()]
                                                                                     : RegClass::kInt;
      if (absl::Status s = CheckLoc(ed.from, c, true, where); !s.ok()) return s;
      if (absl::Status s = CheckLoc(ed.to, c, true, where); !s.ok()) return s;
      ++edit_start_[ed.point.bits() + 1];
    }
    for (size_t p = 1; p < edit_start_.size(); ++p) edit_start_[p] += edit_start_[p - 1];
    return absl::OkStatus();
  }

  void ApplyEdits(ProgPoint p, State* s) const {
    for (uint32_t e = edit_start_[p.bits()]; e < edit_start_[p.bits() + 1]; ++e) {
      const Edit& ed = a_.edits[e];
      (*s)[Index(ed.to)] = (*s)[Index(ed.from)];
    }
  }

  absl::Status CheckDataflow() {
    const uint32_t nb = static_cast<uint32_t>(fn_.blocks.size());
    const size_t nl = num_regs_ + a_.num_spill_slots;
    std::vector<State> entry(nb);
    std::vector<uint8_t> visited(nb, 0), queued(nb, 0);
    entry[0].assign(nl, VSet());
    visited[0] = 1;
    std::deque<uint32_t> work = {0};
    queued[0] = 1;
    State s;
    while (!work.empty()) {
      const uint32_t b = work.front();
      work.pop_front();
      queued[b] = 0;
      s = entry[b];
      const Block& bl = fn_.blocks[b];
      for (uint32_t i = bl.insts_begin; i < bl.insts_end; ++i) {
        ApplyEdits(ProgPoint::Before(i), &s);
        const Inst& inst = fn_.insts[i];
        for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
          const Operand& op = fn_.operands[k];
          if (!op.is_use()) continue;
          const Location l = a_.operand_locs[k];
          if (!Has(s[Index(l)], op.vreg())) {
            return Fail(absl::StrCat("inst ", i, " operand ", k - inst.operands_begin, ": use of v", op.vreg(),
                                     " reads ", LocName(l), " which holds ", SetName(s[Index(l)]),
                                     " on some path into block ", b));
          }
        }
        const PRegSet& clob = fn_.clobber_sets[inst.clobbers];
        for (int c = 0; c < kNumRegClasses; ++c) {
          for (uint64_t m = clob.class_bits(static_cast<RegClass>(c)); m; m &= m - 1) {
            const PReg r(static_cast<RegClass>(c), __builtin_ctzll(m));
            if (allocatable_.Contains(r) || scratch_.Contains(r)) s[Index(Location::Reg(r))].clear();
          }
        }
        for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
          const Operand& op = fn_.operands[k];
          if (!op.is_def()) continue;
          for (VSet& set : s) Remove(&set, op.vreg());
        }
        for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
          const Operand& op = fn_.operands[k];
          if (op.is_def()) s[Index(a_.operand_locs[k])] = VSet{op.vreg()};
        }
        ApplyEdits(ProgPoint::After(i), &s);
      }
      for (uint32_t e = bl.succs_begin; e < bl.succs_end; ++e) {
        const uint32_t succ = fn_.succs[e];
        const Block& sb = fn_.blocks[succ];
        State t = s;
        const uint32_t np = sb.params_end - sb.params_begin;
        if (np > 0) {
          for (size_t loc = 0; loc < nl; ++loc) {
            const VSet old = s[loc];
            VSet& cur = t[loc];
            for (uint32_t j = 0; j < np; ++j) Remove(&cur, fn_.params[sb.params_begin + j]);
            for (uint32_t j = 0; j < np; ++j) {
              if (Has(old, fn_.edge_args[fn_.edge_args_begin[e] + j])) Insert(&cur, fn_.params[sb.params_begin + j]);
            }
          }
        }
        bool changed = false;
        if (!visited[succ]) {
          visited[succ] = 1;
          entry[succ] = std::move(t);
          changed = true;
        } else {
          State& in = entry[succ];
          for (size_t loc = 0; loc < nl; ++loc) {
            VSet& x = in[loc];
            size_t w = 0;
            for (size_t r = 0; r < x.size(); ++r) {
              if (Has(t[loc], x[r])) x[w++] = x[r];
            }
            if (w != x.size()) {
              x.resize(w);
              changed = true;
            }
          }
        }
        if (changed && !queued[succ]) {
          queued[succ] = 1;
          work.push_back(succ);
        }
      }
    }
    return absl::OkStatus();
  }

  const Function& fn_;
  const MachineEnv& env_;
  const Allocation& a_;
  PRegSet allocatable_, scratch_;
  uint32_t reg_index_[kNumPRegIndices] = {};
  uint32_t num_regs_ = 0;
  std::vector<uint32_t> edit_start_;
};

}  // namespace

absl::Status CheckAllocation(const Function& fn, const MachineEnv& env, const Allocation& alloc) {
  return Checker(fn, env, alloc).Run();
}

}  // namespace lathe::regalloc
