#include "isa/x64/lower.h"

#include <algorithm>
#include <optional>

#include "ir/opcode.h"
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {
namespace {

std::optional<rules::Op> RuleOp(ir::Opcode op) {
  switch (op) {
#define MAP(X) case ir::Opcode::k##X: return rules::Op::X;
    MAP(Iconst) MAP(Iadd) MAP(Isub) MAP(Imul) MAP(Band) MAP(Bor) MAP(Bxor) MAP(Bnot) MAP(Ineg)
    MAP(Ishl) MAP(Ushr) MAP(Sshr) MAP(Rotl) MAP(Rotr) MAP(Icmp) MAP(Select) MAP(Udiv) MAP(Sdiv)
    MAP(Urem) MAP(Srem) MAP(Smin) MAP(Umin) MAP(Smax) MAP(Umax) MAP(Uextend) MAP(Sextend)
    MAP(Ireduce) MAP(Load) MAP(Uload8) MAP(Sload8) MAP(Uload16) MAP(Sload16) MAP(Uload32)
    MAP(Sload32) MAP(Store) MAP(Istore8) MAP(Istore16) MAP(Istore32) MAP(StackAddr) MAP(Jump)
    MAP(Brif) MAP(BrTable) MAP(Return) MAP(Call) MAP(Trap) MAP(Trapz) MAP(Trapnz) MAP(Nop)
    MAP(F32const) MAP(F64const) MAP(Fadd) MAP(Fsub) MAP(Fmul) MAP(Fdiv) MAP(Sqrt) MAP(Fneg)
    MAP(Fabs) MAP(Fcopysign) MAP(Fcmp) MAP(Ceil) MAP(Floor) MAP(Trunc) MAP(Nearest) MAP(Fpromote)
    MAP(Fdemote) MAP(Bitcast) MAP(FcvtFromSint) MAP(FcvtFromUint)
    MAP(Bmask) MAP(UaddOverflow) MAP(SaddOverflow) MAP(UsubOverflow) MAP(SsubOverflow)
    MAP(UmulOverflow) MAP(SmulOverflow) MAP(Popcnt) MAP(Clz) MAP(Ctz) MAP(UaddOverflowTrap)
    MAP(Iconcat) MAP(Isplit) MAP(Fma) MAP(FcvtToSint) MAP(FcvtToUint) MAP(FcvtToSintSat)
    MAP(FcvtToUintSat) MAP(AtomicCas) MAP(Cls) MAP(Fmin) MAP(Fmax) MAP(AtomicRmw) MAP(AtomicLoad)
    MAP(AtomicStore) MAP(FuncAddr) MAP(CallIndirect)
    MAP(ReturnCall) MAP(ReturnCallIndirect)
    MAP(Bitrev) MAP(Umulhi) MAP(Smulhi) MAP(Iabs) MAP(Bitselect) MAP(Fence) MAP(Bswap)
    MAP(SelectSpectreGuard) MAP(UaddOverflowCin) MAP(SaddOverflowCin) MAP(UsubOverflowBin)
    MAP(SsubOverflowBin) MAP(GetFramePointer) MAP(GetStackPointer) MAP(GetReturnAddress)
    MAP(Debugtrap) MAP(SequencePoint) MAP(GetPinnedReg) MAP(SetPinnedReg)
    MAP(F16const) MAP(F128const)
    MAP(TryCall) MAP(TryCallIndirect)
#undef MAP
    default: return std::nullopt;
  }
}


}  // namespace

void Lowerer::inst_op(const IrInst& i, rules::Op* out) {
  *out = RuleOp(dfg_.inst(ir::Inst(i.index)).opcode).value_or(rules::Op::Other);
}

bool Lowerer::inst_imm32_rhs(const IrInst& i, int32_t* out) {
  auto args = dfg_.args(ir::Inst(i.index));
  if (args.size() != 2) return false;
  ir::Value v = dfg_.Resolve(args[1]);
  if (dfg_.value(v).kind != ir::ValueData::kResult) return false;
  const ir::InstData& d = dfg_.inst(ir::Inst(dfg_.value(v).owner));
  if (d.opcode != ir::Opcode::kIconst) return false;
  int bytes = IntBytes(dfg_.value_type(v));
  if (bytes == 0) return false;
  // The immediate is sign-extended from 32 bits; for narrower types only the low bits matter.
  int64_t k = d.imm;
  if (bytes < 8) k = static_cast<int32_t>(static_cast<uint32_t>(k));
  if (k < INT32_MIN || k > INT32_MAX) return false;
  *out = static_cast<int32_t>(k);
  return true;
}

bool Lowerer::inst_cond_is_icmp(const IrInst& i) {
  ir::Value c = dfg_.args(ir::Inst(i.index))[0];
  if (IcmpOf(c) == nullptr) return false;
  ir::Inst ci(dfg_.value(dfg_.Resolve(c)).owner);
  return !Wide(dfg_.args(ci)[0]);  // i128 compares are materialized by their own rule
}

// The block's vcode from `first` on was built one IR instruction at a time from the last one
// up (groups starting at group_start_): reversing the block's range and then each group of
// several instructions lays it out in program order, in place and in linear time. Operand
// ranges move with their instructions (the allocator does not need them in order).
void Lowerer::RestoreProgramOrder(uint32_t first) {
  const uint32_t end = static_cast<uint32_t>(rf_.insts.size());
  if (group_start_.size() < 2) return;
  std::reverse(vc_->insts.begin() + first, vc_->insts.end());
  std::reverse(rf_.insts.begin() + first, rf_.insts.end());
  for (size_t g = 0; g < group_start_.size(); ++g) {
    const uint32_t stop = g + 1 < group_start_.size() ? group_start_[g + 1] : end;
    if (stop - group_start_[g] < 2) continue;
    // [start, stop) now sits at [first + end - stop, first + end - start), backwards.
    const uint32_t lo = first + end - stop, hi = first + end - group_start_[g];
    std::reverse(vc_->insts.begin() + lo, vc_->insts.begin() + hi);
    std::reverse(rf_.insts.begin() + lo, rf_.insts.begin() + hi);
  }
}

absl::Status Lowerer::Run() {
  const ir::Signature& sig = f_.signature;
  ret_area_ = ReturnsInMemory(sig);
  for (const ir::AbiParam& p : sig.params) {
    if (IntBytes(p.type) == 0 && XmmBytes(p.type) == 0 && !IsI128(p.type)) {
      return absl::UnimplementedError(absl::StrCat("x64 backend does not support parameter type ", p.type.Name(),
                                                   " in function ", f_.name.ToString()));
    }
  }
  for (const ir::AbiParam& p : sig.returns) {
    if (IntBytes(p.type) == 0 && XmmBytes(p.type) == 0 && !IsI128(p.type)) {
      return absl::UnimplementedError(absl::StrCat("x64 backend does not support return type ", p.type.Name(),
                                                   " in function ", f_.name.ToString()));
    }
  }
  rf_.Clear();
  vc_->insts.clear();
  rf_.clobber_sets.push_back(regalloc::PRegSet());  // index 0: no clobbers
  rf_.edge_args_begin.push_back(0);
  vreg_.assign(dfg_.num_values(), 0);
  for (size_t v = 0; v < dfg_.num_values(); ++v) {
    vreg_[v] = rf_.num_vregs++;
    bool fl = dfg_.value(ir::Value(static_cast<uint32_t>(v))).kind != ir::ValueData::kUnused &&
              XmmBytes(dfg_.value_type(ir::Value(static_cast<uint32_t>(v)))) != 0;
    rf_.vreg_class.push_back(fl ? kFloat : kInt);
  }
  hi_.assign(dfg_.num_values(), 0);
  for (size_t v = 0; v < dfg_.num_values(); ++v) {
    ir::Value val(static_cast<uint32_t>(v));
    if (dfg_.value(val).kind != ir::ValueData::kUnused && IsI128(dfg_.value_type(val))) {
      hi_[v] = rf_.num_vregs++;
      rf_.vreg_class.push_back(kInt);
    }
  }
  vc_->slot_size.clear();
  vc_->slot_align.clear();
  vc_->outgoing_bytes = vc_->call_ret_area_bytes = vc_->incoming_stack_bytes = 0;
  vc_->callee_pops = false;
  vc_->vec_consts.clear();
  for (const ir::StackSlotData& s : f_.stack_slots) {
    vc_->slot_size.push_back(s.size);
    // Slots of 16 bytes or more are 16-aligned, so that i128 atomics (cmpxchg16b) on them work.
    uint32_t align = 1u << std::min<uint32_t>(s.align_shift, 12);
    vc_->slot_align.push_back(s.size >= 16 && align < 16 ? 16 : align);
  }

  ir::Block entry = f_.layout.entry_block();
  if (!entry.valid()) return absl::InvalidArgumentError("function has no blocks");
  // Unreachable blocks are not lowered (the allocator requires every block to be reachable).
  std::vector<bool> reachable(dfg_.num_blocks(), false);
  std::vector<ir::Block> work = {entry};
  reachable[entry.index()] = true;
  while (!work.empty()) {
    ir::Block b = work.back();
    work.pop_back();
    for (ir::Inst i = f_.layout.first_inst(b); i.valid(); i = f_.layout.next_inst(i)) {
      for (uint32_t bc : dfg_.block_calls(i)) {
        ir::Block t = dfg_.block_call(bc).block;
        if (!reachable[t.index()]) {
          reachable[t.index()] = true;
          work.push_back(t);
        }
      }
    }
  }
  CountUses(reachable);
  // Block numbering: the entry stub, then each IR block followed by its edge blocks.
  block_id_.assign(dfg_.num_blocks(), 0);
  uint32_t next = 1;
  for (ir::Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    if (!reachable[b.index()]) continue;
    block_id_[b.index()] = next++;
    ir::Inst last = f_.layout.last_inst(b);
    if (last.valid()) {
      ir::Opcode op = dfg_.inst(last).opcode;
      if (op == ir::Opcode::kBrif || op == ir::Opcode::kBrTable) next += static_cast<uint32_t>(dfg_.block_calls(last).size());
    }
  }
  // The entry stub: arguments arrive in fixed registers and flow to the IR entry block.
  StartBlock(0);
  absl::StatusOr<std::vector<uint32_t>> params = LowerParams(entry);
  if (!params.ok()) return params.status();
  Begin(MOp::kJump);
  End(0, regalloc::kInstBranch);
  AddSucc(block_id_[entry.index()], *params);
  EndBlock();

  for (ir::Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    if (!reachable[b.index()]) continue;
    StartBlock(block_id_[b.index()]);
    for (ir::Value p : dfg_.block_params(b)) {
      rf_.params.push_back(V(p));
      if (Wide(p)) rf_.params.push_back(H(p));
    }
    rf_.blocks.back().params_end = static_cast<uint32_t>(rf_.params.size());
    next_edge_block_ = block_id_[b.index()] + 1;
    pending_edges_.clear();
    // Backwards, so that every use is seen before its definition is lowered.
    const uint32_t first = static_cast<uint32_t>(rf_.insts.size());
    group_start_.clear();
    for (ir::Inst i = f_.layout.last_inst(b); i.valid(); i = f_.layout.prev_inst(i)) {
      if (Unneeded(i)) continue;
      cur_ = i;
      group_start_.push_back(static_cast<uint32_t>(rf_.insts.size()));
      std::optional<Unit> r = rules::lower(*this, IrInst{i.index()});
      if (!r.has_value()) {
        Fail(absl::StrCat("opcode ", ir::Name(dfg_.inst(i).opcode)));
      }
      if (!status_.ok()) return status_;
    }
    RestoreProgramOrder(first);
    EndBlock();
    for (auto [id, bc] : pending_edges_) {
      (void)id;
      StartBlock(id);
      Begin(MOp::kJump);
      End(0, regalloc::kInstBranch);
      AddEdge(bc);
      EndBlock();
    }
    if (!status_.ok()) return status_;
  }
  // Predecessors, in block order.
  std::vector<std::vector<uint32_t>> preds(rf_.blocks.size());
  for (uint32_t b = 0; b < rf_.blocks.size(); ++b) {
    for (uint32_t s = rf_.blocks[b].succs_begin; s < rf_.blocks[b].succs_end; ++s) preds[rf_.succs[s]].push_back(b);
  }
  for (uint32_t b = 0; b < rf_.blocks.size(); ++b) {
    rf_.blocks[b].preds_begin = static_cast<uint32_t>(rf_.preds.size());
    rf_.preds.insert(rf_.preds.end(), preds[b].begin(), preds[b].end());
    rf_.blocks[b].preds_end = static_cast<uint32_t>(rf_.preds.size());
  }
  return absl::OkStatus();
}

}  // namespace lathe::x64::lowering

namespace lathe::x64 {

absl::Status Lower(const ir::Function& f, VCode* out, const IsaFlags& isa, bool pinned_reg) {
  lowering::Lowerer l(f, out, isa, pinned_reg);
  return l.Run();
}

}  // namespace lathe::x64
