// Control lowering: jumps, branches, jump tables, returns, calls (direct, indirect, tail), traps.
#include <algorithm>
#include <utility>
#include <vector>

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
      // An f16 is stored as its xmm register's low 32 bits: the 16-byte slot has room.
      m.size = fl ? static_cast<uint8_t>(std::max(4, XmmBytes(dfg_.value_type(args[i])))) : 8;
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

// Tail calls: the emitter tears the frame down (which touches no argument register), moves
// stack arguments to where the callee expects them, and jumps instead of calling.
Unit Lowerer::emit_return_call() {
  const ir::ExtFuncData& callee = f_.ext_funcs[cur().entity];
  return LowerCall(MOp::kTailCall, cur().entity, callee.signature.index(), 0);
}

Unit Lowerer::emit_return_call_indirect() {
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
// Stack arguments are stored into the outgoing-argument area first; a callee returning through
// memory gets a pointer to the frame's call return area, read back after the call.
Unit Lowerer::LowerCall(MOp op, uint32_t aux, size_t sig, size_t first) {
  auto all_args = dfg_.args(cur_);
  auto args = all_args.subspan(first);
  auto results = dfg_.results(cur_);
  if (sig >= f_.signatures.size()) return Fail("a call with an undeclared signature");
  const ir::Signature& callee = f_.signatures[sig];
  const bool tail = op == MOp::kTailCall || op == MOp::kTailCallIndirect;
  if (args.size() != callee.params.size()) return Fail("a call whose arguments do not match its signature");
  const ArgLayout lay = LayoutArgs(callee);
  if (tail) {
    // The callee returns what we return (the verifier checks), so it may write our caller's
    // return area directly.
    if (lay.ret_area != ret_area_) return Fail("a tail call between functions returning values differently");
    // The callee's arguments must end where ours end (after its return our caller sees the
    // stack it expects): that space is ours only up to our own incoming argument area.
    const uint32_t pop_f = vc_->callee_pops ? vc_->incoming_stack_bytes : 0;
    const uint32_t pop_g = lay.callee_pops ? lay.stack_bytes : 0;
    if (pop_f + lay.stack_bytes > vc_->incoming_stack_bytes + pop_g) {
      return Fail("a tail call whose stack arguments do not fit the caller's incoming argument area");
    }
  }
  std::vector<Operand> uses;
  if (first == 1) uses.push_back(Operand::FixedUse(V(all_args[0]), IntReg(kR10)));
  size_t part = 0;
  if (lay.ret_area && tail) {
    uses.push_back(Operand::FixedUse(ret_ptr_, IntReg(lay.parts[part++].reg)));
  } else if (lay.ret_area) {
    uint32_t area = NewVreg(kInt);
    MInst& a = Begin(MOp::kFrameAddr);
    a.sub = 2;
    Emit(Operand::Def(area, kInt, Constraint::kReg));
    End();
    uses.push_back(Operand::FixedUse(area, IntReg(lay.parts[part++].reg)));
    vc_->call_ret_area_bytes = std::max<uint32_t>(vc_->call_ret_area_bytes, static_cast<uint32_t>(16 * results.size()));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    ir::Value a = args[i];
    if (dfg_.value_type(dfg_.Resolve(a)) != callee.params[i].type) {
      return Fail("a call argument whose type does not match the signature");
    }
    const bool wide = Wide(a);
    if (!wide && !CheckScalar(a)) return {};
    for (int half = 0; half < (wide ? 2 : 1); ++half, ++part) {
      const ArgPart& p = lay.parts[part];
      uint32_t v = half == 0 ? V(a) : H(a);
      RegClass cls = half == 0 ? Cls(a) : kInt;
      if (p.kind == ArgPart::kStack) {
        MInst& st = Begin(MOp::kFrameStore);
        st.sub = 1;
        st.size = p.bytes;
        st.imm = p.offset;
        Emit(Operand::Use(v, cls, Constraint::kReg));
        End();
      } else {
        uses.push_back(Operand::FixedUse(v, p.kind == ArgPart::kXmmReg ? XmmReg(p.reg) : IntReg(p.reg)));
      }
    }
  }
  vc_->outgoing_bytes = std::max(vc_->outgoing_bytes, lay.stack_bytes);
  MInst& m = Begin(op);
  m.aux = aux;
  m.imm = lay.stack_bytes;
  m.sub = lay.callee_pops ? 1 : 0;
  for (const Operand& u : uses) Emit(u);
  if (tail) return End(0, regalloc::kInstReturn);
  regalloc::PRegSet clobbers = CallerSavedSet();
  if (lay.ret_area) {
    End(ClobberSet(clobbers));
    for (size_t i = 0; i < results.size(); ++i) {
      const bool wide = Wide(results[i]);
      if (!wide && !CheckScalar(results[i])) return {};
      for (int half = 0; half < (wide ? 2 : 1); ++half) {
        MInst& ld = Begin(MOp::kFrameLoad);
        ld.sub = 2;
        ld.size = XmmBytes(dfg_.value_type(results[i])) == 16 ? 16 : 8;
        ld.imm = static_cast<int64_t>(16 * i + 8 * half);
        if (half == 0) Def(results[i]); else DefH(results[i]);
        End();
      }
    }
    return {};
  }
  int ni = 0, nf = 0;
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
  return End(ClobberSet(clobbers));
}

absl::StatusOr<std::vector<uint32_t>> Lowerer::LowerParams(ir::Block entry) {
  const ArgLayout lay = LayoutArgs(f_.signature);
  vc_->incoming_stack_bytes = lay.stack_bytes;
  vc_->callee_pops = lay.callee_pops;
  auto block_params = dfg_.block_params(entry);
  if (block_params.size() != f_.signature.params.size()) {
    return absl::InvalidArgumentError(absl::StrCat("entry block parameters of ", f_.name.ToString(),
                                                   " do not match the signature"));
  }
  std::vector<uint32_t> params;
  std::vector<std::pair<uint32_t, const ArgPart*>> loads;  // (vreg, stack part)
  Begin(MOp::kArgs);
  size_t part = 0;
  if (lay.ret_area) {
    ret_ptr_ = NewVreg(kInt);
    Emit(Operand::FixedDef(ret_ptr_, IntReg(lay.parts[part++].reg)));
  }
  for (size_t i = 0; i < block_params.size(); ++i) {
    ir::Value p = block_params[i];
    if (dfg_.value_type(p) != f_.signature.params[i].type) {
      return absl::InvalidArgumentError(absl::StrCat("entry block parameters of ", f_.name.ToString(),
                                                     " do not match the signature"));
    }
    const bool wide = Wide(p);
    for (int half = 0; half < (wide ? 2 : 1); ++half, ++part) {
      const ArgPart& ap = lay.parts[part];
      uint32_t v = NewVreg(half == 0 && IsFloat(p) ? kFloat : kInt);
      params.push_back(v);
      if (ap.kind == ArgPart::kStack) {
        loads.push_back({v, &ap});
      } else {
        Emit(Operand::FixedDef(v, ap.kind == ArgPart::kXmmReg ? XmmReg(ap.reg) : IntReg(ap.reg)));
      }
    }
  }
  End();
  for (auto [v, ap] : loads) {
    MInst& m = Begin(MOp::kFrameLoad);
    m.sub = 0;
    m.size = ap->bytes;
    m.imm = ap->offset;
    Emit(Operand::Def(v, rf_.vreg_class[v], Constraint::kReg));
    End();
  }
  return params;
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
