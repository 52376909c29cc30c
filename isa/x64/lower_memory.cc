// Memory lowering: loads, stores, atomics, fences and stack slot addresses.
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {

Unit Lowerer::emit_fence() {
  Begin(MOp::kFence);
  return End();
}

Unit Lowerer::emit_atomic_rmw() {
  // Single bytes have no byte order.
  if (BigEndian() && !dfg_.results(cur_).empty() && IntBytes(dfg_.value_type(Result(0))) != 1) {
    return Fail("big-endian atomic_rmw and atomic_cas");
  }
  int bytes = ResultBytes();
  if (bytes == 0 || ArgBytes(0) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(0)));
  if (ArgBytes(1) == 0) return {};
  MInst& m = Begin(MOp::kAtomicRmw);
  m.sub = cur().cond;
  m.size = static_cast<uint8_t>(bytes);
  // Late uses: rax (the result) is loaded before the operands are last read.
  Emit(Operand::Use(V(Arg(0)), kInt, Constraint::kReg, OperandPos::kLate));
  Emit(Operand::Use(V(Arg(1)), kInt, Constraint::kReg, OperandPos::kLate));
  TempDefEarly();
  Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax)));
  return End();
}

Unit Lowerer::emit_atomic_cas() {
  // Single bytes have no byte order.
  if (BigEndian() && !dfg_.results(cur_).empty() && IntBytes(dfg_.value_type(Result(0))) != 1) {
    return Fail("big-endian atomic_rmw and atomic_cas");
  }
  int bytes = ResultBytes();
  if (bytes == 0 || ArgBytes(0) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(0)));
  Begin(MOp::kCas).size = static_cast<uint8_t>(bytes);
  Emit(Operand::FixedUse(V(Arg(1)), IntReg(kRax)));
  Use(Arg(0));
  Use(Arg(2));
  Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax)));
  return End();
}

Unit Lowerer::emit_load(uint8_t mem_bytes, bool is_signed) {
  if (!dfg_.results(cur_).empty() && IsFloat(Result(0)) && mem_bytes == 0) {
    if (BigEndian()) return Fail("big-endian float loads and stores");
    if (ArgBytes(0) != 8) return {};
    // f128 loads whole (movdqu); f16 through a 16-bit integer load.
    if (XmmBytes(dfg_.value_type(Result(0))) == 2) return LowerF16Load();
    if (XmmBytes(dfg_.value_type(Result(0))) != 16 && CheckFloat(Result(0)) == 0) return {};
    Address a = AddressOf(Arg(0), cur().imm, cur().flags.trap);
    MInst& m = Begin(MOp::kFload);
    m.size = static_cast<uint8_t>(XmmBytes(dfg_.value_type(Result(0))));
    SetAddress(&m, a);
    UseBase(a);
    Def(Result(0));
    UseIndex(a);
    return End();
  }
  int bytes = ResultBytes();
  if (bytes == 0 || ArgBytes(0) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(0)));
  uint8_t size = mem_bytes == 0 ? static_cast<uint8_t>(bytes) : mem_bytes;
  Address a = AddressOf(Arg(0), cur().imm, cur().flags.trap);
  // x86-64 is little-endian: a big-endian access swaps the bytes after loading.
  if (!BigEndian() || size == 1) return LoadFrom(a, size, is_signed);
  uint32_t dst = NewVreg(kInt);
  MInst& m = Begin(MOp::kLoad);
  m.size = size;
  SetAddress(&m, a);
  UseBase(a);
  Emit(Operand::Def(dst, kInt, Constraint::kReg));
  UseIndex(a);
  End();
  return SwapLoaded(dst, size, is_signed);
}

Unit Lowerer::emit_store(uint8_t mem_bytes) {
  if (dfg_.args(cur_).size() == 2 && IsFloat(Arg(0)) && mem_bytes == 0) {
    if (BigEndian()) return Fail("big-endian float loads and stores");
    if (ArgBytes(1) != 8) return {};
    if (XmmBytes(dfg_.value_type(dfg_.Resolve(Arg(0)))) == 2) return LowerF16Store();
    if (XmmBytes(dfg_.value_type(dfg_.Resolve(Arg(0)))) != 16 && CheckFloat(Arg(0)) == 0) return {};
    Address a = AddressOf(Arg(1), cur().imm, cur().flags.trap);
    MInst& m = Begin(MOp::kFstore);
    m.size = static_cast<uint8_t>(XmmBytes(dfg_.value_type(dfg_.Resolve(Arg(0)))));
    SetAddress(&m, a);
    Use(Arg(0));
    UseBase(a);
    UseIndex(a);
    return End();
  }
  int bytes = ArgBytes(0);
  if (bytes == 0 || ArgBytes(1) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(1)));
  uint8_t size = mem_bytes == 0 ? static_cast<uint8_t>(bytes) : mem_bytes;
  uint32_t value = V(Arg(0));
  if (BigEndian() && size > 1) {  // store a byte-swapped copy
    uint32_t swapped = NewVreg(kInt);
    Begin(MOp::kBswap).size = size;
    Emit(Operand::Use(value, kInt, Constraint::kReg));
    Emit(Operand::ReuseDef(swapped, kInt, 0));
    End();
    value = swapped;
  }
  Address a = AddressOf(Arg(1), cur().imm, cur().flags.trap);
  MInst& m = Begin(MOp::kStore);
  m.size = size;
  SetAddress(&m, a);
  Emit(Operand::Use(value, kInt, Constraint::kReg));  // the value
  UseBase(a);
  UseIndex(a);
  return End();
}

Unit Lowerer::emit_stack_addr() {
  if (ResultBytes() != 8) return Unsupported(dfg_.value_type(Result(0)));
  MInst& m = Begin(MOp::kStackAddr);
  m.aux = cur().entity;
  m.imm = cur().imm;
  Def(Result(0));
  return End();
}

// --- Scalar opcode completions: i128 atomics through lock cmpxchg16b, which compares rdx:rax
// with the 16 bytes at the address and stores rcx:rbx when equal (else loads them into rdx:rax).
// Fixed registers are early defs so that no other operand (the address, the source) lands in
// them.

Unit Lowerer::emit_wide_atomic_load() {
  if (BigEndian()) return Fail("big-endian i128 atomics");
  if (!Wide(Result(0)) || ArgBytes(0) != 8) return Unsupported(dfg_.value_type(Result(0)));
  if (!isa_.has_cmpxchg16b) return Fail("i128 atomics without cmpxchg16b on this target");
  Begin(MOp::kAtomicLoad128);
  Use(Arg(0));
  Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax), OperandPos::kEarly));
  Emit(Operand::FixedDef(H(Result(0)), IntReg(kRdx), OperandPos::kEarly));
  FixedTempEarly(kRbx);
  FixedTempEarly(kRcx);
  return End();
}

Unit Lowerer::emit_wide_atomic_store() {
  if (BigEndian()) return Fail("big-endian i128 atomics");
  if (!Wide(Arg(0)) || ArgBytes(1) != 8) return Unsupported(dfg_.value_type(Arg(0)));
  if (!isa_.has_cmpxchg16b) return Fail("i128 atomics without cmpxchg16b on this target");
  Begin(MOp::kAtomicStore128);
  Use(Arg(1));
  Emit(Operand::FixedUse(V(Arg(0)), IntReg(kRbx)));
  Emit(Operand::FixedUse(H(Arg(0)), IntReg(kRcx)));
  FixedTempEarly(kRax);
  FixedTempEarly(kRdx);
  return End();
}

Unit Lowerer::emit_wide_atomic_cas() {
  if (BigEndian()) return Fail("big-endian i128 atomics");
  if (!Wide(Result(0)) || ArgBytes(0) != 8 || !Wide(Arg(1)) || !Wide(Arg(2))) {
    return Unsupported(dfg_.value_type(Result(0)));
  }
  if (!isa_.has_cmpxchg16b) return Fail("i128 atomics without cmpxchg16b on this target");
  // One vreg cannot sit in two fixed registers at once: copy a replacement equal to the
  // expected value.
  uint32_t rlo = V(Arg(2)), rhi = H(Arg(2));
  if (dfg_.Resolve(Arg(1)) == dfg_.Resolve(Arg(2))) {
    for (uint32_t* half : {&rlo, &rhi}) {
      uint32_t src = *half;
      *half = rf_.num_vregs++;
      rf_.vreg_class.push_back(kInt);
      Begin(MOp::kCopy);
      Emit(Operand::Use(src, kInt, Constraint::kReg));
      Emit(Operand::Def(*half, kInt, Constraint::kReg));
      End();
    }
  }
  Begin(MOp::kCas128);
  Use(Arg(0));
  Emit(Operand::FixedUse(V(Arg(1)), IntReg(kRax)));
  Emit(Operand::FixedUse(H(Arg(1)), IntReg(kRdx)));
  Emit(Operand::FixedUse(rlo, IntReg(kRbx)));
  Emit(Operand::FixedUse(rhi, IntReg(kRcx)));
  Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax)));
  Emit(Operand::FixedDef(H(Result(0)), IntReg(kRdx)));
  return End();
}

Unit Lowerer::emit_wide_atomic_rmw() {
  if (BigEndian()) return Fail("big-endian i128 atomics");
  if (!Wide(Result(0)) || ArgBytes(0) != 8 || !Wide(Arg(1))) return Unsupported(dfg_.value_type(Result(0)));
  if (!isa_.has_cmpxchg16b) return Fail("i128 atomics without cmpxchg16b on this target");
  Begin(MOp::kAtomicRmw128).sub = cur().cond;
  Use(Arg(0));
  Use(Arg(1));
  UseH(Arg(1));
  Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax), OperandPos::kEarly));
  Emit(Operand::FixedDef(H(Result(0)), IntReg(kRdx), OperandPos::kEarly));
  FixedTempEarly(kRbx);
  FixedTempEarly(kRcx);
  return End();
}

// The rest of a big-endian integer load: swap the bytes of the loaded width (zero-extended
// in `loaded`), then sign-extend when asked.
Unit Lowerer::SwapLoaded(uint32_t loaded, int size, bool is_signed) {
  bool extend = is_signed && size < 8;
  uint32_t swapped = extend ? NewVreg(kInt) : V(Result(0));
  Begin(MOp::kBswap).size = static_cast<uint8_t>(size);
  Emit(Operand::Use(loaded, kInt, Constraint::kReg));
  Emit(Operand::ReuseDef(swapped, kInt, 0));
  End();
  if (!extend) return {};
  MInst& x = Begin(MOp::kExt);
  x.sub = 1;
  x.size = static_cast<uint8_t>(size);
  Emit(Operand::Use(swapped, kInt, Constraint::kReg));
  Def(Result(0));
  return End();
}

}  // namespace lathe::x64::lowering
