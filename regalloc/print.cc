#include "regalloc/print.h"

#include "absl/strings/str_cat.h"

namespace lathe::regalloc {
namespace {

const char* ConstraintName(Constraint c) {
  switch (c) {
    case Constraint::kAny:
      return "any";
    case Constraint::kReg:
      return "reg";
    case Constraint::kStack:
      return "stack";
    case Constraint::kFixedReg:
      return "fixed";
    case Constraint::kReuse:
      return "reuse";
  }
  return "?";
}

}  // namespace

std::string LocationToString(Location l) {
  if (l.is_reg()) return absl::StrCat(l.reg().reg_class() == RegClass::kInt ? "r" : l.reg().reg_class() == RegClass::kFloat ? "f" : "x", l.reg().hw());
  if (l.is_stack()) return absl::StrCat("s", l.slot());
  return "-";
}

std::string FunctionToString(const Function& fn, const Allocation* alloc) {
  std::string out;
  size_t e = 0;
  auto edits_at = [&](ProgPoint p) {
    if (!alloc) return;
    while (e < alloc->edits.size() && alloc->edits[e].point < p) ++e;
    while (e < alloc->edits.size() && alloc->edits[e].point == p) {
      absl::StrAppend(&out, "    move ", LocationToString(alloc->edits[e].to), " <- ",
                      LocationToString(alloc->edits[e].from), "\n");
      ++e;
    }
  };
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const Block& bl = fn.blocks[b];
    absl::StrAppend(&out, "block", b, "(");
    for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) {
      absl::StrAppend(&out, p == bl.params_begin ? "" : ", ", "v", fn.params[p]);
    }
    absl::StrAppend(&out, "): preds");
    for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) absl::StrAppend(&out, " ", fn.preds[p]);
    absl::StrAppend(&out, "\n");
    for (uint32_t i = bl.insts_begin; i < bl.insts_end; ++i) {
      edits_at(ProgPoint::Before(i));
      const Inst& inst = fn.insts[i];
      absl::StrAppend(&out, "  i", i, ":", (inst.flags & kInstBranch) ? " br" : (inst.flags & kInstReturn) ? " ret" : "");
      for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
        const Operand& op = fn.operands[k];
        absl::StrAppend(&out, " ", op.is_use() ? "use" : "def", op.is_early() ? "E" : "L", " v", op.vreg(), ":",
                        ConstraintName(op.constraint()));
        if (op.constraint() == Constraint::kFixedReg) absl::StrAppend(&out, "=", LocationToString(Location::Reg(op.fixed_reg())));
        if (op.constraint() == Constraint::kReuse) absl::StrAppend(&out, "=", op.reuse_index());
        if (alloc) absl::StrAppend(&out, "@", LocationToString(alloc->operand_locs[k]));
      }
      if (inst.clobbers && !fn.clobber_sets[inst.clobbers].empty()) {
        absl::StrAppend(&out, " clobbers");
        for (int c = 0; c < kNumRegClasses; ++c) {
          for (uint64_t m = fn.clobber_sets[inst.clobbers].class_bits(static_cast<RegClass>(c)); m; m &= m - 1) {
            absl::StrAppend(&out, " ", LocationToString(Location::Reg(PReg(static_cast<RegClass>(c), __builtin_ctzll(m)))));
          }
        }
      }
      for (uint32_t s = bl.succs_begin; s < bl.succs_end && i + 1 == bl.insts_end; ++s) {
        absl::StrAppend(&out, " -> block", fn.succs[s], "(");
        for (uint32_t a = fn.edge_args_begin[s]; a < fn.edge_args_begin[s + 1]; ++a) {
          absl::StrAppend(&out, a == fn.edge_args_begin[s] ? "" : ", ", "v", fn.edge_args[a]);
        }
        absl::StrAppend(&out, ")");
      }
      absl::StrAppend(&out, "\n");
      edits_at(ProgPoint::After(i));
    }
  }
  return out;
}

}  // namespace lathe::regalloc
