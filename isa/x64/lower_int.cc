// Scalar integer lowering: constants, ALU, shifts, division, compares, selects, extensions,
// overflow ops and bit counts.
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {

Unit Lowerer::emit_cls() {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kCls);
  m.size = static_cast<uint8_t>(bytes);
  m.imm = !isa_.has_lzcnt;  // clz through bsr when lzcnt is missing
  Use(Arg(0));
  TempDefEarly();
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_bmask() {
  int from = ArgBytes(0);
  if (from == 0 || ResultBytes() == 0) return {};
  Begin(MOp::kBmask).size = static_cast<uint8_t>(from);
  Use(Arg(0));
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_overflow(rules::OvfOp op) {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  if (dfg_.results(cur_).size() != 2) return Fail("an overflow op without its flag result");
  if (op == rules::OvfOp::Umul && bytes == 8) return UmulOverflow64();
  MInst& m = Begin(MOp::kOverflow);
  m.sub = static_cast<uint8_t>(op);
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  TempDefEarly();
  ReuseDef(Result(0), 0);
  Def(Result(1));
  return End();
}

Unit Lowerer::emit_add_trap_on_carry() {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kAddTrapC);
  m.size = static_cast<uint8_t>(bytes);
  m.trap = cur().trap;
  Use(Arg(0));
  Use(Arg(1));
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::emit_bitcount(rules::CountOp op) {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  const bool fallback = !HasCountExtension(op);  // emitted with baseline instructions
  MInst& m = Begin(MOp::kBitCount);
  m.sub = static_cast<uint8_t>(op);
  m.size = static_cast<uint8_t>(bytes);
  m.imm = fallback;
  Use(Arg(0));
  if (fallback && op == rules::CountOp::Popcnt) TempDefEarly();
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_iconst() {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  uint64_t k = static_cast<uint64_t>(cur().imm);
  if (bytes < 8) k &= (uint64_t{1} << (8 * bytes)) - 1;
  Begin(MOp::kMovImm).imm = static_cast<int64_t>(k);
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_alu_imm(rules::AluOp op, int32_t k) {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  Drop(Arg(1));  // the iconst, now an immediate
  MInst& m = Begin(MOp::kAluImm);
  m.sub = static_cast<uint8_t>(AluOf(op));
  m.size = OpSize(bytes);
  m.imm = k;
  Use(Arg(0));
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::emit_unary(rules::UnOp op) {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kUnary);
  m.sub = op == rules::UnOp::Neg ? 0 : 1;
  m.size = OpSize(bytes);
  Use(Arg(0));
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::emit_shift(rules::ShiftOp op) {
  int bytes = ResultBytes();
  if (bytes == 0 || (!Wide(Arg(1)) && !CheckInt(Arg(1)))) return {};  // an i128 amount: its low half
  static constexpr Shift kShifts[] = {Shift::kShl, Shift::kShr, Shift::kSar, Shift::kRol, Shift::kRor};
  MInst& m = Begin(MOp::kShift);
  m.sub = static_cast<uint8_t>(kShifts[static_cast<int>(op)]);
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  FixedDefEarly(rf_.num_vregs++, kRcx);
  rf_.vreg_class.push_back(kInt);
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::emit_div(rules::DivOp op) {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kDiv);
  m.sub = static_cast<uint8_t>(op);
  m.size = static_cast<uint8_t>(bytes);
  bool rem = op == rules::DivOp::Urem || op == rules::DivOp::Srem;
  Emit(Operand::FixedUse(V(Arg(0)), IntReg(kRax)));
  Use(Arg(1));
  FixedDefEarly(rf_.num_vregs++, kRcx);
  rf_.vreg_class.push_back(kInt);
  Emit(Operand::FixedDef(V(Result(0)), IntReg(rem ? kRdx : kRax)));
  regalloc::PRegSet clobber;
  clobber.Add(IntReg(rem ? kRax : kRdx));
  return End(ClobberSet(clobber));
}

Unit Lowerer::emit_minmax(rules::MinMax op) {
  // Keep a, and take b when the condition says a is on the wrong side of b.
  static constexpr Cond kTakeB[] = {Cond::kG, Cond::kA, Cond::kL, Cond::kB};
  return Binary(MOp::kMinMax, static_cast<uint8_t>(kTakeB[static_cast<int>(op)]));
}

Unit Lowerer::emit_icmp() {
  int bytes = ArgBytes(0);
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kIcmp);
  m.sub = static_cast<uint8_t>(CondOf(static_cast<ir::IntCC>(cur().cond)));
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  Def(Result(0));
  return End();
}

// A float select branches over a movaps (kSelectF); an integer one is a cmov, fused with the
// icmp producing its condition when the rule says so. A fused float select uses the
// condition register like an unfused one.
Unit Lowerer::emit_select(bool fused) {
  const bool is_float = !dfg_.results(cur_).empty() && IsFloat(Result(0));
  if (!is_float && ResultBytes() == 0) return {};
  if (fused && !is_float) {
    if (!BeginFusedIcmp(MOp::kSelectIcmp)) return {};
    Use(Arg(1));
    Use(Arg(2));
    ReuseDef(Result(0), 3);
    return End();
  }
  int cbytes = 0;
  uint32_t c = 0;
  if (!CondReg(Arg(0), &c, &cbytes)) return {};
  MInst& m = Begin(is_float ? MOp::kSelectF : MOp::kSelect);
  m.size = static_cast<uint8_t>(cbytes);
  Emit(Operand::Use(c, kInt, Constraint::kReg));
  Use(Arg(1));
  Use(Arg(2));
  ReuseDef(Result(0), 2);
  return End();
}

Unit Lowerer::emit_extend(bool is_signed) {
  int to = ResultBytes(), from = ArgBytes(0);
  if (to == 0 || from == 0) return {};
  MInst& m = Begin(from == 8 ? MOp::kCopy : MOp::kExt);
  m.sub = is_signed ? 1 : 0;
  m.size = static_cast<uint8_t>(from);
  Use(Arg(0));
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_ireduce() {
  if (ResultBytes() == 0 || ArgBytes(0) == 0) return {};
  Begin(MOp::kCopy);
  Use(Arg(0));
  Def(Result(0));
  return End();
}

// --- Scalar opcode completions.

// The full 128-bit product of rax and b: the low half is the result, rdx (a scratch here)
// non-zero means overflow.
Unit Lowerer::UmulOverflow64() {
  Begin(MOp::kUmulOvf64).size = 8;
  Emit(Operand::FixedUse(V(Arg(0)), IntReg(kRax)));
  Use(Arg(1));
  FixedTempEarly(kRdx);
  Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax)));
  Def(Result(1));
  return End();
}

Unit Lowerer::emit_bitrev() { return InPlace(MOp::kBitrev, 2); }

Unit Lowerer::emit_bswap() { return InPlace(MOp::kBswap, 0); }

Unit Lowerer::InPlace(MOp op, int temps) {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  Begin(op).size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  for (int k = 0; k < temps; ++k) TempDefEarly();
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::emit_mulhi(bool is_signed) {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kMulHi);
  m.sub = is_signed ? 1 : 0;
  m.size = static_cast<uint8_t>(bytes);
  if (bytes == 8) {  // one-operand mul/imul: rdx:rax = rax * b
    Emit(Operand::FixedUse(V(Arg(0)), IntReg(kRax)));
    Use(Arg(1));
    Emit(Operand::FixedDef(V(Result(0)), IntReg(kRdx)));
    regalloc::PRegSet clobber;
    clobber.Add(IntReg(kRax));
    return End(ClobberSet(clobber));
  }
  // Narrower: the exact product of the extended operands fits 64 bits.
  Use(Arg(0));
  Use(Arg(1));
  TempDefEarly();
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_iabs() {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  Begin(MOp::kIabs).size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Emit(Operand::Def(V(Result(0)), kInt, Constraint::kReg, OperandPos::kEarly));
  return End();
}

// Integer and float scalars; the result is an early def so that no operand aliases it.
Unit Lowerer::emit_bitselect() {
  if (dfg_.results(cur_).empty()) return Fail("a missing result");
  bool fl = IsFloat(Result(0));
  int bytes = fl ? CheckFloat(Result(0)) : CheckInt(Result(0));
  if (bytes == 0) return {};
  Begin(fl ? MOp::kBitselectF : MOp::kBitselect).size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  Use(Arg(2));
  if (fl) TempEarly(kFloat);
  Emit(Operand::Def(V(Result(0)), fl ? kFloat : kInt, Constraint::kReg, OperandPos::kEarly));
  return End();
}

Unit Lowerer::emit_carry_op(rules::OvfOp op) {
  int bytes = ResultBytes();
  if (bytes == 0 || ArgBytes(2) == 0) return {};
  if (dfg_.results(cur_).size() != 2) return Fail("a carry op without its flag result");
  MInst& m = Begin(MOp::kCarryOp);
  m.sub = static_cast<uint8_t>(op);
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  Use(Arg(2));
  TempDefEarly();
  ReuseDef(Result(0), 0);
  Def(Result(1));
  return End();
}

Unit Lowerer::emit_frame_reg(rules::FrameReg r) {
  if (ResultBytes() != 8) return Unsupported(dfg_.value_type(Result(0)));
  Begin(MOp::kFrameReg).sub = static_cast<uint8_t>(r);
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_debugtrap() {
  Begin(MOp::kDebugtrap);
  return End();
}

// r15 is out of allocation in every function of a module compiled with the flag, so a plain
// move reads or writes the module-wide pinned value.
Unit Lowerer::emit_pinned_reg(bool read) {
  if (!pinned_reg_) return Fail(absl::StrCat(ir::Name(cur().opcode), " without the enable_pinned_reg setting"));
  ir::Value v = read ? Result(0) : Arg(0);
  if (CheckInt(v) != 8) return Unsupported(dfg_.value_type(v));
  Begin(MOp::kPinnedReg).sub = read ? 0 : 1;
  if (read) Def(v); else Use(v);
  return End();
}

// iconcat / isplit below i128 (i16, i32, i64 from or into two halves).
Unit Lowerer::NarrowConcat() {
  int half = ArgBytes(0), whole = ResultBytes();
  if (half == 0 || whole == 0) return {};
  if (whole != 2 * half || ArgBytes(1) != half) return Unsupported(dfg_.value_type(Result(0)));
  Begin(MOp::kConcat).size = static_cast<uint8_t>(half);
  Use(Arg(0));
  Use(Arg(1));
  TempDefEarly();
  Def(Result(0));
  return End();
}

Unit Lowerer::NarrowSplit() {
  int whole = ArgBytes(0), half = CheckInt(Result(0));
  if (whole == 0 || half == 0) return {};
  if (whole != 2 * half || CheckInt(Result(1)) != half) return Unsupported(dfg_.value_type(Arg(0)));
  Begin(MOp::kCopy);
  Use(Arg(0));
  Def(Result(0));
  End();
  Begin(MOp::kSplitHigh).size = static_cast<uint8_t>(half);
  Use(Arg(0));
  ReuseDef(Result(1), 0);
  return End();
}

}  // namespace lathe::x64::lowering
