// Memory lowering: loads, stores, atomics, fences and stack slot addresses.
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {

Unit Lowerer::emit_fence() {
  Begin(MOp::kFence);
  return End();
}

Unit Lowerer::emit_atomic_rmw() {
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
    if (ArgBytes(0) != 8) return {};
    Address a = AddressOf(Arg(0), cur().imm, cur().flags.trap);
    MInst& m = Begin(MOp::kFload);
    m.size = static_cast<uint8_t>(CheckFloat(Result(0)));
    SetAddress(&m, a);
    UseBase(a);
    Def(Result(0));
    UseIndex(a);
    return End();
  }
  int bytes = ResultBytes();
  if (bytes == 0 || ArgBytes(0) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(0)));
  return LoadFrom(AddressOf(Arg(0), cur().imm, cur().flags.trap),
                  mem_bytes == 0 ? static_cast<uint8_t>(bytes) : mem_bytes, is_signed);
}

Unit Lowerer::emit_store(uint8_t mem_bytes) {
  if (dfg_.args(cur_).size() == 2 && IsFloat(Arg(0)) && mem_bytes == 0) {
    if (ArgBytes(1) != 8) return {};
    Address a = AddressOf(Arg(1), cur().imm, cur().flags.trap);
    MInst& m = Begin(MOp::kFstore);
    m.size = static_cast<uint8_t>(CheckFloat(Arg(0)));
    SetAddress(&m, a);
    Use(Arg(0));
    UseBase(a);
    UseIndex(a);
    return End();
  }
  int bytes = ArgBytes(0);
  if (bytes == 0 || ArgBytes(1) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(1)));
  Address a = AddressOf(Arg(1), cur().imm, cur().flags.trap);
  MInst& m = Begin(MOp::kStore);
  m.size = mem_bytes == 0 ? static_cast<uint8_t>(bytes) : mem_bytes;
  SetAddress(&m, a);
  Use(Arg(0));  // the value
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

}  // namespace lathe::x64::lowering
