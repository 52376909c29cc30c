// Control lowering: jumps, branches, jump tables, returns, calls (direct, indirect, tail), traps.
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {

Unit Lowerer::emit_jump() {
  Begin(MOp::kJump);
  End(0, regalloc::kInstBranch);
  AddEdge(dfg_.block_calls(cur_)[0]);
  return {};
}

Unit Lowerer::emit_brif(bool fused) {
  if (fused) {
    if (!BeginFusedIcmp(MOp::kBrIcmp)) return {};
  } else if (Wide(Arg(0))) {
    Begin(MOp::kBrif128);
    Use(Arg(0));
    UseH(Arg(0));
  } else {
    int bytes = ArgBytes(0);
    if (bytes == 0) return {};
    Begin(MOp::kBrif).size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
  }
  End(0, regalloc::kInstBranch);
  for (uint32_t bc : dfg_.block_calls(cur_)) AddEdgeViaEdgeBlock(bc);
  return {};
}

Unit Lowerer::emit_br_table() {
  if (ArgBytes(0) == 0) return {};
  if (ArgBytes(0) > 4) return Unsupported(dfg_.value_type(Arg(0)));
  // A terminator may not define values, so the zero-extended index is a separate vreg that
  // dies at the branch; the branch reuses its register for the loaded table entry.
  uint32_t idx = rf_.num_vregs++;
  rf_.vreg_class.push_back(kInt);
  MInst& ext = Begin(MOp::kExt);
  ext.sub = 0;
  ext.size = static_cast<uint8_t>(ArgBytes(0));
  Use(Arg(0));
  Emit(Operand::Def(idx, kInt, Constraint::kReg));
  End();
  Begin(MOp::kBrTable).size = 4;
  Emit(Operand::Use(idx, kInt, Constraint::kReg));
  End(0, regalloc::kInstBranch);
  for (uint32_t bc : dfg_.block_calls(cur_)) AddEdgeViaEdgeBlock(bc);
  return {};
}

Unit Lowerer::emit_return() {
  auto args = dfg_.args(cur_);
  if (ret_area_) {
    for (size_t i = 0; i < args.size(); ++i) {
      bool wide = Wide(args[i]), fl = IsFloat(args[i]);
      if (!wide && !CheckScalar(args[i])) return {};
      MInst& m = Begin(wide ? MOp::kStore128 : fl ? MOp::kFstore : MOp::kStore);
      m.size = fl ? static_cast<uint8_t>(CheckFloat(args[i])) : 8;
      m.imm = static_cast<int64_t>(16 * i);
      Use(args[i]);
      if (wide) UseH(args[i]);
      Emit(Operand::Use(ret_ptr_, kInt, Constraint::kReg));
      End();
    }
    Begin(MOp::kReturn);
    return End(0, regalloc::kInstReturn);
  }
  Begin(MOp::kReturn);
  int ni = 0, nf = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    if (Wide(args[i])) {
      if (ni != 0) return Fail("returning an i128 with other integer values");
      Emit(Operand::FixedUse(V(args[i]), IntReg(kRetRegs[ni++])));
      Emit(Operand::FixedUse(H(args[i]), IntReg(kRetRegs[ni++])));
      continue;
    }
    if (!CheckScalar(args[i])) return {};
    bool fl = IsFloat(args[i]);
    if ((fl ? nf : ni) >= kMaxRegReturns) return Fail("returning more than 2 integer or 2 float values");
    Emit(Operand::FixedUse(V(args[i]), fl ? XmmReg(static_cast<uint8_t>(nf++)) : IntReg(kRetRegs[ni++])));
  }
  return End(0, regalloc::kInstReturn);
}

Unit Lowerer::emit_call() {
  const ir::ExtFuncData& callee = f_.ext_funcs[cur().entity];
  return LowerCall(MOp::kCall, cur().entity, callee.signature.index(), 0);
}

Unit Lowerer::emit_call_indirect() {
  if (dfg_.args(cur_).empty() || ArgBytes(0) != 8) return Fail("call_indirect needs an i64 callee address");
  return LowerCall(MOp::kCallIndirect, 0, cur().entity, 1);
}

// Tail calls: arguments in registers only; the emitter tears the frame down (which touches
// no argument register) and jumps instead of calling.
Unit Lowerer::emit_return_call() {
  if (ret_area_) return Fail("tail calls from functions returning values in memory");
  const ir::ExtFuncData& callee = f_.ext_funcs[cur().entity];
  return LowerCall(MOp::kTailCall, cur().entity, callee.signature.index(), 0);
}

Unit Lowerer::emit_return_call_indirect() {
  if (ret_area_) return Fail("tail calls from functions returning values in memory");
  if (dfg_.args(cur_).empty() || ArgBytes(0) != 8) return Fail("return_call_indirect needs an i64 callee address");
  return LowerCall(MOp::kTailCallIndirect, 0, cur().entity, 1);
}

Unit Lowerer::emit_func_addr() {
  if (ResultBytes() != 8) return Unsupported(dfg_.value_type(Result(0)));
  MInst& m = Begin(MOp::kFuncAddr);
  m.aux = cur().entity;
  Def(Result(0));
  return End();
}

// A call whose arguments start at args[first]; for an indirect call args[0] is the callee
// address, pinned to r10 because that register carries no argument and is caller-saved.
Unit Lowerer::LowerCall(MOp op, uint32_t aux, size_t sig, size_t first) {
  auto all_args = dfg_.args(cur_);
  auto args = all_args.subspan(first);
  auto results = dfg_.results(cur_);
  if (sig < f_.signatures.size() && ReturnsInMemory(f_.signatures[sig])) {
    return Fail("calls to functions returning values in memory");
  }
  MInst& m = Begin(op);
  m.aux = aux;
  regalloc::PRegSet clobbers = CallerSavedSet();
  if (first == 1) Emit(Operand::FixedUse(V(all_args[0]), IntReg(kR10)));
  int ni = 0, nf = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    if (Wide(args[i])) {
      if (ni + 1 >= kMaxRegArgs) return Fail("a call with stack arguments");
      Emit(Operand::FixedUse(V(args[i]), IntReg(kArgRegs[ni++])));
      Emit(Operand::FixedUse(H(args[i]), IntReg(kArgRegs[ni++])));
      continue;
    }
    if (!CheckScalar(args[i])) return {};
    bool fl = IsFloat(args[i]);
    if (fl ? nf >= kMaxFloatArgs : ni >= kMaxRegArgs) return Fail("a call with stack arguments");
    Emit(Operand::FixedUse(V(args[i]), fl ? XmmReg(static_cast<uint8_t>(nf++)) : IntReg(kArgRegs[ni++])));
  }
  ni = nf = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (Wide(results[i])) {
      if (ni != 0) return Fail("a call returning an i128 with other integer values");
      Emit(Operand::FixedDef(V(results[i]), IntReg(kRetRegs[0])));
      Emit(Operand::FixedDef(H(results[i]), IntReg(kRetRegs[1])));
      clobbers.Remove(IntReg(kRetRegs[0]));
      clobbers.Remove(IntReg(kRetRegs[1]));
      ni = 2;
      continue;
    }
    if (!CheckScalar(results[i])) return {};
    bool fl = IsFloat(results[i]);
    if ((fl ? nf : ni) >= kMaxRegReturns) return Fail("a call returning more than 2 integer or 2 float values");
    regalloc::PReg r = fl ? XmmReg(static_cast<uint8_t>(nf++)) : IntReg(kRetRegs[ni++]);
    Emit(Operand::FixedDef(V(results[i]), r));
    clobbers.Remove(r);
  }
  if (op == MOp::kTailCall || op == MOp::kTailCallIndirect) return End(0, regalloc::kInstReturn);
  return End(ClobberSet(clobbers));
}

Unit Lowerer::emit_trap() {
  Begin(MOp::kTrap).trap = cur().trap;
  // A trap ends its block without successors; the allocator treats it as a return.
  return End(0, regalloc::kInstReturn);
}

Unit Lowerer::emit_trap_if(bool if_nonzero) {
  int bytes = ArgBytes(0);
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kTrapIf);
  m.sub = if_nonzero ? 1 : 0;
  m.size = static_cast<uint8_t>(bytes);
  m.trap = cur().trap;
  Use(Arg(0));
  return End();
}

}  // namespace lathe::x64::lowering
