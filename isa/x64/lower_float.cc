// Scalar float lowering (f32, f64) through SSE2, SSE4.1 rounding when available, and the
// int<->float conversions.
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {

Unit Lowerer::emit_to_int(bool is_signed, bool saturating) {
  int from = CheckFloat(Arg(0)), to = ResultBytes();
  if (from == 0 || to == 0) return {};
  if (to < 4) return Unsupported(dfg_.value_type(Result(0)));
  MInst& m = Begin(MOp::kToInt);
  m.sub = static_cast<uint8_t>((is_signed ? 1 : 0) | (saturating ? 2 : 0));
  m.size = static_cast<uint8_t>(from);
  m.imm = to;
  Use(Arg(0));
  TempDefEarly();
  for (int k = 0; k < 2; ++k) {
    uint32_t v = rf_.num_vregs++;
    rf_.vreg_class.push_back(kFloat);
    Emit(Operand::Def(v, kFloat, Constraint::kReg, OperandPos::kEarly));
  }
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_fminmax(bool is_max) {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kFminMax);
  m.sub = is_max ? 1 : 0;
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  TempDefEarly();
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::emit_fma() {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  if (!isa_.has_fma) return Fail("fma without the FMA3 extension on this target");
  Begin(MOp::kFma).size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  Use(Arg(2));
  ReuseDef(Result(0), 2);
  return End();
}

Unit Lowerer::emit_fconst() {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  uint64_t bits = static_cast<uint64_t>(cur().imm);
  if (bytes == 4) bits &= 0xffffffffu;
  uint32_t t = rf_.num_vregs++;
  rf_.vreg_class.push_back(kInt);
  Begin(MOp::kMovImm).imm = static_cast<int64_t>(bits);
  Emit(Operand::Def(t, kInt, Constraint::kReg));
  End();
  Begin(MOp::kGprToXmm).size = static_cast<uint8_t>(bytes);
  Emit(Operand::Use(t, kInt, Constraint::kReg));
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_sse(rules::SseOp op) {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kSse);
  m.sub = SseOpcode(op);
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::SseUnary(uint8_t prefix, uint8_t op) {
  MInst& m = Begin(MOp::kSseUnary);
  m.sub = op;
  m.imm = prefix;
  Use(Arg(0));
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_sqrt() {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  return SseUnary(bytes == 4 ? 0xF3 : 0xF2, 0x51);
}

Unit Lowerer::emit_fconvert() {
  int to = CheckFloat(Result(0)), from = CheckFloat(Arg(0));
  if (to == 0 || from == 0) return {};
  if (to == from) return Unsupported(dfg_.value_type(Result(0)));
  return SseUnary(from == 4 ? 0xF3 : 0xF2, 0x5A);
}

Unit Lowerer::emit_round(rules::RoundMode mode) {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  if (!isa_.has_sse41) return Fail("rounding without SSE4.1 on this target");
  MInst& m = Begin(MOp::kRound);
  m.sub = static_cast<uint8_t>(mode);
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_fsign(rules::SignOp op) {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  MInst& m = Begin(MOp::kFsign);
  m.sub = static_cast<uint8_t>(op);
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  if (op == rules::SignOp::Copysign) Use(Arg(1));
  TempDefEarly();
  if (op == rules::SignOp::Copysign) TempDefEarly();
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_fcmp() {
  int bytes = CheckFloat(Arg(0));
  if (bytes == 0 || ResultBytes() == 0) return {};
  MInst& m = Begin(MOp::kFcmp);
  m.sub = cur().cond;
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  TempDefEarly();
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_bitcast() {
  ir::Value a = Arg(0), r = Result(0);
  int to = CheckScalar(r), from = CheckScalar(a);
  if (to == 0 || from == 0) return {};
  if (to != from) return Unsupported(dfg_.value_type(r));
  if (IsFloat(a) == IsFloat(r)) {
    if (IsFloat(a)) return SseUnary(0, 0x28);  // movaps
    Begin(MOp::kCopy);
    Use(a);
    Def(r);
    return End();
  }
  Begin(IsFloat(r) ? MOp::kGprToXmm : MOp::kXmmToGpr).size = static_cast<uint8_t>(to);
  Use(a);
  Def(r);
  return End();
}

Unit Lowerer::emit_from_int(bool is_signed) {
  int to = CheckFloat(Result(0)), from = CheckInt(Arg(0));
  if (to == 0 || from == 0) return {};
  if (!is_signed && from == 8) return Fail("fcvt_from_uint from i64");
  MInst& m = Begin(MOp::kCvtFromInt);
  m.sub = is_signed ? 1 : 0;
  m.size = static_cast<uint8_t>(from);
  m.imm = to;
  Use(Arg(0));
  TempDefEarly();
  Def(Result(0));
  return End();
}

}  // namespace lathe::x64::lowering
