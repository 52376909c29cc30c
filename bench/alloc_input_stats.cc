#include "bench/alloc_input_stats.h"

#include <algorithm>

namespace lathe::bench {

using regalloc::Constraint;

absl::Status AllocInputStats::Add(const regalloc::Function& fn, const regalloc::MachineEnv& env) {
  // The validator bounds every index read below and computes crosses_blocks.
  absl::Status s = validator_.Run(fn, env);
  if (!s.ok()) return s;
  ++functions_;
  blocks_ += fn.blocks.size();
  insts_ += fn.insts.size();
  max_insts_ = std::max<uint64_t>(max_insts_, fn.insts.size());
  if (fn.insts.size() >= kLargeFunction) insts_in_large_ += fn.insts.size();
  operands_ += fn.operands.size();
  for (const regalloc::Operand& op : fn.operands) {
    ++by_constraint_[static_cast<int>(op.constraint())];
    if (op.reg_class() != regalloc::RegClass::kInt) ++float_operands_;
    if (op.is_use()) {
      ++uses_;
      if (op.is_late()) ++late_uses_;
    } else {
      ++defs_;
      if (op.is_early()) ++early_defs_;
    }
  }
  for (const regalloc::Inst& inst : fn.insts) {
    if (inst.clobbers != 0 && !fn.clobber_sets[inst.clobbers].empty()) ++clobber_insts_;
  }
  for (const regalloc::Block& b : fn.blocks) {
    max_succs_ = std::max<uint64_t>(max_succs_, b.succs_end - b.succs_begin);
    max_preds_ = std::max<uint64_t>(max_preds_, b.preds_end - b.preds_begin);
  }
  block_params_ += fn.params.size();
  edges_ += fn.succs.size();
  edge_args_ += fn.edge_args.size();
  vregs_ += fn.num_vregs;
  // SSA: each defined value has exactly one def operand or block parameter.
  uint64_t defined = fn.params.size();
  for (const regalloc::Operand& op : fn.operands) defined += op.is_def() ? 1 : 0;
  defined_vregs_ += defined;
  for (uint32_t v = 0; v < fn.num_vregs; ++v) crossing_vregs_ += validator_.crosses_blocks(v) ? 1 : 0;
  return absl::OkStatus();
}

std::vector<std::pair<std::string, double>> AllocInputStats::Rows() const {
  auto ratio = [](uint64_t a, uint64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); };
  auto percent = [&](uint64_t a, uint64_t b) { return 100.0 * ratio(a, b); };
  return {
      {"functions", static_cast<double>(functions_)},
      {"insts", static_cast<double>(insts_)},
      {"largest function (insts)", static_cast<double>(max_insts_)},
      {"% insts in functions of 1000+ insts", percent(insts_in_large_, insts_)},
      {"blocks per function", ratio(blocks_, functions_)},
      {"insts per block", ratio(insts_, blocks_)},
      {"operands per inst", ratio(operands_, insts_)},
      {"uses per inst", ratio(uses_, insts_)},
      {"defs per inst", ratio(defs_, insts_)},
      {"% operands Any", percent(by_constraint_[static_cast<int>(Constraint::kAny)], operands_)},
      {"% operands Reg", percent(by_constraint_[static_cast<int>(Constraint::kReg)], operands_)},
      {"% operands Stack", percent(by_constraint_[static_cast<int>(Constraint::kStack)], operands_)},
      {"% operands FixedReg", percent(by_constraint_[static_cast<int>(Constraint::kFixedReg)], operands_)},
      {"% operands Reuse", percent(by_constraint_[static_cast<int>(Constraint::kReuse)], operands_)},
      {"% operands float/vector class", percent(float_operands_, operands_)},
      {"% uses late", percent(late_uses_, uses_)},
      {"% defs early", percent(early_defs_, defs_)},
      {"% insts with clobbers", percent(clobber_insts_, insts_)},
      {"block params per block", ratio(block_params_, blocks_)},
      {"successor edges per block", ratio(edges_, blocks_)},
      {"branch args per edge", ratio(edge_args_, edges_)},
      {"most successors of a block", static_cast<double>(max_succs_)},
      {"most predecessors of a block", static_cast<double>(max_preds_)},
      {"vregs per inst", ratio(vregs_, insts_)},
      {"defined vregs per inst", ratio(defined_vregs_, insts_)},
      {"% vregs never defined", percent(vregs_ - std::min(vregs_, defined_vregs_), vregs_)},
      {"% defined vregs crossing blocks", percent(crossing_vregs_, defined_vregs_)},
  };
}

}  // namespace lathe::bench
