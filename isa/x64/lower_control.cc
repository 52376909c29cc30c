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

uint32_t Lowerer::AbiExtended(ir::Value v, const ir::AbiParam* p) {
  const int bytes = IntBytes(dfg_.value_type(dfg_.Resolve(v)));
  if (p == nullptr || p->ext == ir::AbiParam::kNoExt || bytes == 0 || bytes == 8) return V(v);
  uint32_t t = NewVreg(kInt);
  MInst& m = Begin(MOp::kExt);
  m.sub = p->ext == ir::AbiParam::kSext ? 1 : 0;
  m.size = static_cast<uint8_t>(bytes);
  Use(v);
  Emit(Operand::Def(t, kInt, Constraint::kReg));
  End();
  return t;
}

Unit Lowerer::emit_return() {
  auto args = dfg_.args(cur_);
  const auto& rets = f_.signature.returns;
  std::vector<uint32_t> vals;  // the low (or only) part of each value, extended as declared
  for (size_t i = 0; i < args.size(); ++i) vals.push_back(AbiExtended(args[i], i < rets.size() ? &rets[i] : nullptr));
  if (ret_area_) {
    for (size_t i = 0; i < args.size(); ++i) {
      bool wide = Wide(args[i]), fl = IsFloat(args[i]);
      if (!wide && !CheckScalar(args[i])) return {};
      MInst& m = Begin(wide ? MOp::kStore128 : fl ? MOp::kFstore : MOp::kStore);
      // An f16 is stored as its xmm register's low 32 bits: the 16-byte slot has room.
      m.size = fl ? static_cast<uint8_t>(std::max(4, XmmBytes(dfg_.value_type(args[i])))) : 8;
      m.imm = static_cast<int64_t>(16 * i);
      Emit(Operand::Use(vals[i], Cls(args[i]), Constraint::kReg));
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
    Emit(Operand::FixedUse(vals[i], fl ? XmmReg(static_cast<uint8_t>(nf++)) : IntReg(kRetRegs[ni++])));
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

// try_call without exception handlers: nothing in Lathe's runtime can throw, so a call whose
// exception table is empty is a call followed by a jump to the normal-return block, whose
// `retN` arguments are the call's results. Handlers would need unwinding and are rejected.
Unit Lowerer::emit_try_call(bool indirect) {
  auto calls = dfg_.block_calls(cur_);
  if (calls.size() != 1) return Fail("try_call with exception handlers");
  std::vector<CallResult> results;
  if (indirect) {
    if (dfg_.args(cur_).empty() || ArgBytes(0) != 8) return Fail("try_call_indirect needs an i64 callee address");
    LowerCall(MOp::kCallIndirect, 0, cur().entity, 1, &results);
  } else {
    const ir::ExtFuncData& callee = f_.ext_funcs[cur().entity];
    LowerCall(MOp::kCall, cur().entity, callee.signature.index(), 0, &results);
  }
  if (!status_.ok()) return {};
  std::vector<uint32_t> args;
  for (const ir::BlockArg& a : dfg_.block_call_args(calls[0])) {
    if (a.kind() == ir::BlockArg::kValue) {
      ir::Value v = a.value();
      if (!Wide(v) && !CheckScalar(v)) return {};
      args.push_back(V(v));
      if (Wide(v)) args.push_back(H(v));
    } else if (a.kind() == ir::BlockArg::kTryCallRet && a.index() < results.size()) {
      args.push_back(results[a.index()].lo);
      if (IsI128(results[a.index()].type)) args.push_back(results[a.index()].hi);
    } else {
      return Fail("a try_call block argument that is not a value or a return value");
    }
  }
  Begin(MOp::kJump);
  End(0, regalloc::kInstBranch);
  AddSucc(block_id_[dfg_.block_call(calls[0]).block.index()], args);
  return {};
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
Unit Lowerer::LowerCall(MOp op, uint32_t aux, size_t sig, size_t first, std::vector<CallResult>* try_results) {
  auto all_args = dfg_.args(cur_);
  auto args = all_args.subspan(first);
  if (sig >= f_.signatures.size()) return Fail("a call with an undeclared signature");
  // The result vregs: the instruction's results, or fresh ones for a try_call (whose results
  // reach its normal-return block as `retN` arguments).
  std::vector<CallResult> fresh;
  std::vector<CallResult>& results = try_results != nullptr ? *try_results : fresh;
  results.clear();
  if (try_results != nullptr) {
    for (const ir::AbiParam& r : f_.signatures[sig].returns) {
      const bool wide = IsI128(r.type), fl = XmmBytes(r.type) != 0;
      if (!wide && !fl && IntBytes(r.type) == 0) return Unsupported(r.type);
      uint32_t lo = NewVreg(fl ? kFloat : kInt);
      results.push_back({lo, wide ? NewVreg(kInt) : 0, r.type});
    }
  } else {
    for (ir::Value r : dfg_.results(cur_)) {
      const bool wide = Wide(r);
      if (!wide && !CheckScalar(r)) return {};
      results.push_back({V(r), wide ? H(r) : 0, dfg_.value_type(r)});
    }
  }
  const ir::Signature& callee = f_.signatures[sig];
  const bool tail = op == MOp::kTailCall || op == MOp::kTailCallIndirect;
  if (args.size() != callee.params.size()) return Fail("a call whose arguments do not match its signature");
  const ArgLayout lay = LayoutArgs(callee);
  if (lay.callee_pops && lay.stack_bytes > kMaxPoppedBytes) return Fail("more than 64 KiB of tail stack arguments");
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
    const uint32_t low = AbiExtended(a, &callee.params[i]);
    for (int half = 0; half < (wide ? 2 : 1); ++half, ++part) {
      const ArgPart& p = lay.parts[part];
      uint32_t v = half == 0 ? low : H(a);
      RegClass cls = half == 0 ? Cls(a) : kInt;
      if (p.kind == ArgPart::kStack) {
        MInst& st = Begin(MOp::kFrameStore);
        st.sub = 1;
        st.size = p.bytes;
        st.imm = p.offset;
        Emit(Operand::Use(v, cls, Constraint::kReg));
        End();
      } else {
        uses.push_back(Operand::FixedUse(v, p.kind == ArgPart::kFloatReg ? XmmReg(p.reg) : IntReg(p.reg)));
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
      const bool wide = IsI128(results[i].type);
      for (int half = 0; half < (wide ? 2 : 1); ++half) {
        MInst& ld = Begin(MOp::kFrameLoad);
        ld.sub = 2;
        ld.size = XmmBytes(results[i].type) == 16 ? 16 : 8;
        ld.imm = static_cast<int64_t>(16 * i + 8 * half);
        const uint32_t v = half == 0 ? results[i].lo : results[i].hi;
        Emit(Operand::Def(v, rf_.vreg_class[v], Constraint::kReg));
        End();
      }
    }
    return {};
  }
  int ni = 0, nf = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (IsI128(results[i].type)) {
      if (ni != 0) return Fail("a call returning an i128 with other integer values");
      Emit(Operand::FixedDef(results[i].lo, IntReg(kRetRegs[0])));
      Emit(Operand::FixedDef(results[i].hi, IntReg(kRetRegs[1])));
      clobbers.Remove(IntReg(kRetRegs[0]));
      clobbers.Remove(IntReg(kRetRegs[1]));
      ni = 2;
      continue;
    }
    bool fl = XmmBytes(results[i].type) != 0;
    if ((fl ? nf : ni) >= kMaxRegReturns) return Fail("a call returning more than 2 integer or 2 float values");
    regalloc::PReg r = fl ? XmmReg(static_cast<uint8_t>(nf++)) : IntReg(kRetRegs[ni++]);
    Emit(Operand::FixedDef(results[i].lo, r));
    clobbers.Remove(r);
  }
  return End(ClobberSet(clobbers));
}

Unit Lowerer::EmitLibcall(Libcall lc, size_t nargs) {
  MInst& m = Begin(MOp::kCall);
  m.aux = kLibcallRelocBit | static_cast<uint32_t>(lc);
  for (size_t i = 0; i < nargs; ++i) Emit(Operand::FixedUse(V(Arg(i)), XmmReg(static_cast<uint8_t>(i))));
  Emit(Operand::FixedDef(V(Result(0)), XmmReg(0)));
  regalloc::PRegSet clobbers = CallerSavedSet();
  clobbers.Remove(XmmReg(0));
  return End(ClobberSet(clobbers));
}

absl::StatusOr<std::vector<uint32_t>> Lowerer::LowerParams(ir::Block entry) {
  const ArgLayout lay = LayoutArgs(f_.signature);
  if (lay.callee_pops && lay.stack_bytes > kMaxPoppedBytes) {
    return absl::UnimplementedError(absl::StrCat("x64 backend does not support more than 64 KiB of tail stack arguments (function ",
                                                 f_.name.ToString(), ")"));
  }
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
        Emit(Operand::FixedDef(v, ap.kind == ArgPart::kFloatReg ? XmmReg(ap.reg) : IntReg(ap.reg)));
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
