// i128 lowering: every i128 value is a pair of 64-bit vregs (low, high).
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {

bool Lowerer::inst_is_i128(const IrInst& i) {
  ir::Inst in(i.index);
  for (ir::Value r : dfg_.results(in)) {
    if (Wide(r)) return true;
  }
  auto args = dfg_.args(in);
  return !args.empty() && Wide(args[0]);
}

Unit Lowerer::emit_iconcat() {
  if (!Wide(Result(0))) return NarrowConcat();
  if (ArgBytes(0) != 8 || ArgBytes(1) != 8) return Unsupported(dfg_.value_type(Result(0)));
  return CopyToPair(V(Arg(0)), V(Arg(1)), Result(0));
}

Unit Lowerer::CopyToPair(uint32_t lo, uint32_t hi, ir::Value dst) {
  for (bool high : {false, true}) {
    Begin(MOp::kCopy);
    Emit(Operand::Use(high ? hi : lo, kInt, Constraint::kReg));
    if (high) DefH(dst); else Def(dst);
    End();
  }
  return {};
}

Unit Lowerer::emit_isplit() {
  if (dfg_.results(cur_).size() != 2) return Fail("isplit without two results");
  if (!Wide(Arg(0))) return NarrowSplit();
  Begin(MOp::kCopy);
  Use(Arg(0));
  Def(Result(0));
  End();
  Begin(MOp::kCopy);
  UseH(Arg(0));
  Def(Result(1));
  return End();
}

Unit Lowerer::emit_wide_alu(rules::AluOp op) {
  if (!Wide(Arg(0)) || !Wide(Arg(1)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Result(0)));
  Begin(MOp::kAlu128).sub = static_cast<uint8_t>(AluOf(op));
  Use(Arg(0));
  UseH(Arg(0));
  Use(Arg(1));
  UseH(Arg(1));
  ReuseDef(Result(0), 0);
  Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
  return End();
}

Unit Lowerer::emit_wide_icmp() {
  if (!Wide(Arg(0)) || !Wide(Arg(1)) || ResultBytes() == 0) return {};
  Begin(MOp::kIcmp128).sub = cur().cond;
  Use(Arg(0));
  UseH(Arg(0));
  Use(Arg(1));
  UseH(Arg(1));
  TempDefEarly();
  TempDefEarly();
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_wide_select() {
  if (!Wide(Result(0))) return emit_select(false);  // only the condition is i128
  int cbytes = 0;
  uint32_t c = 0;
  if (!CondReg(Arg(0), &c, &cbytes)) return {};
  Begin(MOp::kSelect128).size = static_cast<uint8_t>(cbytes);
  Emit(Operand::Use(c, kInt, Constraint::kReg));
  Use(Arg(1));
  UseH(Arg(1));
  Use(Arg(2));
  UseH(Arg(2));
  ReuseDef(Result(0), 3);
  Emit(Operand::ReuseDef(H(Result(0)), kInt, 4));
  return End();
}

Unit Lowerer::emit_wide_extend(bool is_signed) {
  if (!Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
  int from = ArgBytes(0);
  if (from == 0) return {};
  MInst& m = Begin(from == 8 ? MOp::kCopy : MOp::kExt);
  m.sub = is_signed ? 1 : 0;
  m.size = static_cast<uint8_t>(from);
  Use(Arg(0));
  Def(Result(0));
  End();
  if (is_signed) {
    Begin(MOp::kSarImm).imm = 63;
    Use(Result(0));
    Emit(Operand::ReuseDef(H(Result(0)), kInt, 0));
    return End();
  }
  Begin(MOp::kMovImm).imm = 0;
  DefH(Result(0));
  return End();
}

Unit Lowerer::emit_wide_reduce() {
  if (!Wide(Arg(0)) || ResultBytes() == 0) return {};
  Begin(MOp::kCopy);
  Use(Arg(0));
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_wide_load() {
  if (BigEndian()) return Fail("big-endian i128 loads and stores");
  if (!Wide(Result(0)) || ArgBytes(0) != 8) return Unsupported(dfg_.value_type(Result(0)));
  Begin(MOp::kLoad128).imm = cur().imm;
  Use(Arg(0));
  Emit(Operand::Def(V(Result(0)), kInt, Constraint::kReg, OperandPos::kEarly));
  DefH(Result(0));
  return End();
}

Unit Lowerer::emit_wide_store() {
  if (BigEndian()) return Fail("big-endian i128 loads and stores");
  if (!Wide(Arg(0)) || ArgBytes(1) != 8) return Unsupported(dfg_.value_type(Arg(0)));
  Begin(MOp::kStore128).imm = cur().imm;
  Use(Arg(0));
  UseH(Arg(0));
  Use(Arg(1));
  return End();
}

Unit Lowerer::emit_wide_shift(rules::ShiftOp op) {
  if (!Wide(Arg(0)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
  if (!Wide(Arg(1)) && !CheckInt(Arg(1))) return {};
  static constexpr Shift kShifts[] = {Shift::kShl, Shift::kShr, Shift::kSar, Shift::kRol, Shift::kRor};
  Begin(MOp::kShift128).sub = static_cast<uint8_t>(kShifts[static_cast<int>(op)]);
  Use(Arg(0));
  UseH(Arg(0));
  Use(Arg(1));  // an i128 amount: its low half
  FixedDefEarly(rf_.num_vregs++, kRcx);
  rf_.vreg_class.push_back(kInt);
  ReuseDef(Result(0), 0);
  Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
  return End();
}

Unit Lowerer::emit_wide_overflow(rules::OvfOp op) {
  if (op == rules::OvfOp::Umul || op == rules::OvfOp::Smul) return Unsupported(dfg_.value_type(Arg(0)));
  if (!Wide(Arg(0)) || !Wide(Arg(1)) || dfg_.results(cur_).size() != 2 || !CheckInt(Result(1))) {
    return Unsupported(dfg_.value_type(Arg(0)));
  }
  Begin(MOp::kOverflow128).sub = static_cast<uint8_t>(op);
  Use(Arg(0));
  UseH(Arg(0));
  Use(Arg(1));
  UseH(Arg(1));
  ReuseDef(Result(0), 0);
  Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
  Def(Result(1));
  return End();
}

Unit Lowerer::emit_wide_unary(rules::UnOp op) {
  return WideUnary(MOp::kUnary128, op == rules::UnOp::Neg ? 0 : 1, 0, false);
}

Unit Lowerer::emit_wide_imul() {
  if (!Wide(Arg(0)) || !Wide(Arg(1)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
  Begin(MOp::kImul128);
  Use(Arg(0));
  UseH(Arg(0));
  Emit(Operand::Use(V(Arg(1)), kInt, Constraint::kReg, OperandPos::kLate));  // read by mul after rax is set
  UseH(Arg(1));
  TempDefEarly();
  TempDefEarly();
  Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax)));
  Emit(Operand::FixedDef(H(Result(0)), IntReg(kRdx)));
  return End();
}

Unit Lowerer::emit_wide_bitcount(rules::CountOp op) {
  if (!Wide(Arg(0)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
  const bool fallback = !HasCountExtension(op);  // emitted with baseline instructions
  MInst& m = Begin(MOp::kBitCount128);
  m.sub = static_cast<uint8_t>(op);
  m.imm = fallback;
  Use(Arg(0));
  UseH(Arg(0));
  TempDefEarly();
  if (fallback && op == rules::CountOp::Popcnt) TempDefEarly();
  Def(Result(0));
  DefH(Result(0));
  return End();
}

// --- Scalar opcode completions.

Unit Lowerer::emit_wide_rotate(bool left) {
  if (!Wide(Arg(0)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
  if (!Wide(Arg(1)) && !CheckInt(Arg(1))) return {};
  Begin(MOp::kRotate128).sub = left ? 0 : 1;
  Use(Arg(0));
  UseH(Arg(0));
  Use(Arg(1));  // an i128 amount: its low half
  FixedTempEarly(kRcx);
  TempDefEarly();
  ReuseDef(Result(0), 0);
  Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
  return End();
}

Unit Lowerer::emit_wide_cls() {
  if (!Wide(Arg(0)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
  Begin(MOp::kCls128).imm = !isa_.has_lzcnt;  // clz through bsr when lzcnt is missing
  Use(Arg(0));
  UseH(Arg(0));
  TempDefEarly();
  TempDefEarly();
  Def(Result(0));
  DefH(Result(0));
  return End();
}

// bitrev and bswap: the halves trade places (the new low half is the old high half reversed).
Unit Lowerer::emit_wide_bitrev() { return WideUnary(MOp::kBitrev128, 0, 2, true); }

Unit Lowerer::emit_wide_bswap() { return WideUnary(MOp::kBswap128, 0, 0, true); }

Unit Lowerer::emit_wide_iabs() { return WideUnary(MOp::kIabs128, 0, 1, false); }

Unit Lowerer::WideUnary(MOp op, uint8_t sub, int temps, bool swap) {
  if (!Wide(Arg(0)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
  Begin(op).sub = sub;
  Use(Arg(0));
  UseH(Arg(0));
  for (int k = 0; k < temps; ++k) TempDefEarly();
  ReuseDef(Result(0), swap ? 1 : 0);
  Emit(Operand::ReuseDef(H(Result(0)), kInt, swap ? 0 : 1));
  return End();
}

// i128 <-> i128 copies both halves; i128 <-> f128 moves between a register pair and an xmm.
Unit Lowerer::emit_wide_bitcast() {
  if (LowerWideFloatBitcast()) return {};
  return Unsupported(dfg_.value_type(Wide(Arg(0)) ? Result(0) : Arg(0)));
}

Unit Lowerer::emit_wide_trap_if(bool if_nonzero) {
  int bytes = 0;
  uint32_t c = 0;
  if (!CondReg(Arg(0), &c, &bytes)) return {};
  MInst& m = Begin(MOp::kTrapIf);
  m.sub = if_nonzero ? 1 : 0;
  m.size = static_cast<uint8_t>(bytes);
  m.trap = cur().trap;
  Emit(Operand::Use(c, kInt, Constraint::kReg));
  return End();
}

Unit Lowerer::emit_wide_carry_op(rules::OvfOp op) {
  if (!Wide(Arg(0)) || !Wide(Arg(1)) || !Wide(Result(0)) || dfg_.results(cur_).size() != 2) {
    return Unsupported(dfg_.value_type(Arg(0)));
  }
  if (ArgBytes(2) == 0 || CheckInt(Result(1)) == 0) return {};
  Begin(MOp::kCarryOp128).sub = static_cast<uint8_t>(op);
  Use(Arg(0));
  UseH(Arg(0));
  Use(Arg(1));
  UseH(Arg(1));
  Use(Arg(2));
  TempDefEarly();
  ReuseDef(Result(0), 0);
  Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
  Def(Result(1));
  return End();
}

// An i128 operand is reduced to lo | hi; an i128 result gets the mask in both halves.
Unit Lowerer::emit_wide_bmask() {
  int from = 0;
  uint32_t c = 0;
  if (!CondReg(Arg(0), &c, &from)) return {};
  bool wide = Wide(Result(0));
  if (!wide && ResultBytes() == 0) return {};
  Begin(MOp::kBmask).size = static_cast<uint8_t>(from);
  Emit(Operand::Use(c, kInt, Constraint::kReg));
  Def(Result(0));
  End();
  if (!wide) return {};
  Begin(MOp::kCopy);
  Use(Result(0));
  DefH(Result(0));
  return End();
}

Unit Lowerer::emit_wide_minmax(rules::MinMax op) {
  if (!Wide(Arg(0)) || !Wide(Arg(1)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Result(0)));
  // Take b when a - b says a is on the wrong side (equal operands: either).
  static constexpr Cond kTakeB[] = {Cond::kGe, Cond::kAe, Cond::kL, Cond::kB};  // smin umin smax umax
  Begin(MOp::kMinMax128).sub = static_cast<uint8_t>(kTakeB[static_cast<int>(op)]);
  Use(Arg(0));
  UseH(Arg(0));
  Use(Arg(1));
  UseH(Arg(1));
  TempDefEarly();
  ReuseDef(Result(0), 0);
  Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
  return End();
}

}  // namespace lathe::x64::lowering
