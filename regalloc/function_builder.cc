#include "regalloc/function_builder.h"

#include <algorithm>

namespace lathe::regalloc {

FunctionBuilder::FunctionBuilder() {
  fn_.clobber_sets.push_back(PRegSet());
  fn_.edge_args_begin.push_back(0);
}

uint32_t FunctionBuilder::NewVreg(RegClass c) {
  fn_.vreg_class.push_back(c);
  return fn_.num_vregs++;
}

uint32_t FunctionBuilder::AddClobberSet(const PRegSet& set) {
  fn_.clobber_sets.push_back(set);
  return static_cast<uint32_t>(fn_.clobber_sets.size() - 1);
}

void FunctionBuilder::EndBlock() {
  if (!open_) return;
  Block& b = fn_.blocks.back();
  b.insts_end = static_cast<uint32_t>(fn_.insts.size());
  b.succs_end = static_cast<uint32_t>(fn_.succs.size());
  open_ = false;
}

uint32_t FunctionBuilder::StartBlock(std::initializer_list<uint32_t> params) {
  EndBlock();
  Block b;
  b.insts_begin = static_cast<uint32_t>(fn_.insts.size());
  b.succs_begin = static_cast<uint32_t>(fn_.succs.size());
  b.params_begin = static_cast<uint32_t>(fn_.params.size());
  fn_.params.insert(fn_.params.end(), params.begin(), params.end());
  b.params_end = static_cast<uint32_t>(fn_.params.size());
  fn_.blocks.push_back(b);
  open_ = true;
  return static_cast<uint32_t>(fn_.blocks.size() - 1);
}

uint32_t FunctionBuilder::AddInst(std::initializer_list<Operand> ops, uint32_t clobbers, uint8_t flags) {
  Inst inst;
  inst.operands_begin = static_cast<uint32_t>(fn_.operands.size());
  fn_.operands.insert(fn_.operands.end(), ops.begin(), ops.end());
  inst.operands_end = static_cast<uint32_t>(fn_.operands.size());
  inst.clobbers = clobbers;
  inst.flags = flags;
  fn_.insts.push_back(inst);
  return static_cast<uint32_t>(fn_.insts.size() - 1);
}

void FunctionBuilder::AddSucc(uint32_t block, std::initializer_list<uint32_t> args) {
  fn_.succs.push_back(block);
  fn_.edge_args.insert(fn_.edge_args.end(), args.begin(), args.end());
  fn_.edge_args_begin.push_back(static_cast<uint32_t>(fn_.edge_args.size()));
  edges_.push_back({static_cast<uint32_t>(fn_.blocks.size() - 1), block});
}

Function FunctionBuilder::Finish() {
  EndBlock();
  std::stable_sort(edges_.begin(), edges_.end(),
                   [](const auto& a, const auto& b) { return a.second < b.second; });
  size_t e = 0;
  for (uint32_t b = 0; b < fn_.blocks.size(); ++b) {
    fn_.blocks[b].preds_begin = static_cast<uint32_t>(fn_.preds.size());
    for (; e < edges_.size() && edges_[e].second == b; ++e) fn_.preds.push_back(edges_[e].first);
    fn_.blocks[b].preds_end = static_cast<uint32_t>(fn_.preds.size());
  }
  return std::move(fn_);
}

}  // namespace lathe::regalloc
