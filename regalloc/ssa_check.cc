#include "regalloc/ssa_check.h"

#include "absl/strings/str_cat.h"

namespace lathe::regalloc {
namespace {

constexpr uint32_t kNone = 0xffffffffu;

absl::Status NotDominated(uint32_t v) {
  return absl::InvalidArgumentError(absl::StrCat(
      "v", v, " is used but not defined on every path from the entry (not SSA, or a use without a def)"));
}

}  // namespace

absl::Status SsaCheck::Compute(const Function& fn) {
  if (const uint32_t b = dom_.Compute(fn); b != Dominators::kAllReachable) {
    return absl::InvalidArgumentError(
        absl::StrCat("block ", b, " is unreachable; remove it before allocation"));
  }
  def_block_.assign(fn.num_vregs, kNone);
  crosses_.assign(fn.num_vregs, 0);
  uint32_t* def_block = def_block_.data();
  uint8_t* crosses = crosses_.data();
  const Operand* ops = fn.operands.data();
  // A use in b is fine if b defined the value earlier (defs are recorded after the uses of their
  // instruction) or the defining block dominates b.
  auto use = [&](uint32_t v, uint32_t b) {
    const uint32_t d = def_block[v];
    if (d == b) return true;
    if (d == kNone || !dom_.Dominates(d, b)) return false;
    crosses[v] = 1;
    return true;
  };
  for (uint32_t b : dom_.rpo()) {
    const Block& bl = fn.blocks[b];
    for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) {
      const uint32_t v = fn.params[p];
      if (def_block[v] != kNone) {
        return absl::InvalidArgumentError(
            absl::StrCat("block ", b, ": v", v, " is defined more than once (not SSA)"));
      }
      def_block[v] = b;
    }
    for (uint32_t i = bl.insts_begin; i < bl.insts_end; ++i) {
      const Inst& inst = fn.insts[i];
      bool any_def = false;
      for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
        if (ops[k].is_def()) {
          any_def = true;
        } else if (!use(ops[k].vreg(), b)) {
          return NotDominated(ops[k].vreg());
        }
      }
      for (uint32_t k = inst.operands_begin; any_def && k < inst.operands_end; ++k) {
        if (!ops[k].is_def()) continue;
        const uint32_t v = ops[k].vreg();
        if (def_block[v] != kNone) {
          return absl::InvalidArgumentError(absl::StrCat("inst ", i, " operand ", k - inst.operands_begin,
                                                         ": v", v, " is defined more than once (not SSA)"));
        }
        def_block[v] = b;
      }
    }
    for (uint32_t a = fn.edge_args_begin[bl.succs_begin]; a < fn.edge_args_begin[bl.succs_end]; ++a) {
      if (!use(fn.edge_args[a], b)) return NotDominated(fn.edge_args[a]);
    }
  }
  return absl::OkStatus();
}

}  // namespace lathe::regalloc
