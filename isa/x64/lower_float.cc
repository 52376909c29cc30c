// Scalar float lowering (f32, f64) through SSE2, SSE4.1 rounding when available, and the
// int<->float conversions.
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {

Unit Lowerer::emit_to_int(bool is_signed, bool saturating) {
  int from = CheckFloat(Arg(0)), to = ResultBytes();
  if (from == 0 || to == 0) return {};
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
  if (!isa_.has_fma && bytes == 4) return FmaF32Sse2();
  if (!isa_.has_fma) return EmitLibcall(Libcall::kFmaF64, 3);
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
  MInst& m = Begin(MOp::kLoadConst);  // from the constant pool
  m.size = static_cast<uint8_t>(bytes);
  m.imm = static_cast<int64_t>(bits);
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_sse(rules::SseOp op) {
  if (LowerF128Arith(op)) return {};
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
  if (LowerF128Convert()) return {};
  int to = CheckFloat(Result(0)), from = CheckFloat(Arg(0));
  if (to == 0 || from == 0) return {};
  if (to == from) return Unsupported(dfg_.value_type(Result(0)));
  return SseUnary(from == 4 ? 0xF3 : 0xF2, 0x5A);
}

Unit Lowerer::emit_round(rules::RoundMode mode) {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  if (!isa_.has_sse41) return RoundSse2(mode, bytes);
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
  if (op == rules::SignOp::Copysign) {  // sign masks come from the constant pool
    Use(Arg(1));
    Emit(Operand::Def(NewVreg(kFloat), kFloat, Constraint::kReg, OperandPos::kEarly));
  }
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
  if (LowerWideFloatBitcast()) return {};
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
  if (!is_signed && from == 8) return FromUint64(to);
  MInst& m = Begin(MOp::kCvtFromInt);
  m.sub = is_signed ? 1 : 0;
  m.size = static_cast<uint8_t>(from);
  m.imm = to;
  Use(Arg(0));
  TempDefEarly();
  Def(Result(0));
  return End();
}

// --- Scalar opcode completions.

bool Lowerer::inst_is_float(const IrInst& i) {
  ir::Inst in(i.index);
  auto results = dfg_.results(in);
  if (!results.empty()) return IsFloat(results[0]);
  auto args = dfg_.args(in);
  return !args.empty() && IsFloat(args[0]);
}

// u64 -> float: values below 2^63 convert as signed; larger ones are halved first, keeping
// the lost bit as a sticky bit so that doubling the converted value rounds correctly.
Unit Lowerer::FromUint64(int to_bytes) {
  Begin(MOp::kCvtFromU64).imm = to_bytes;
  Use(Arg(0));
  TempDefEarly();
  TempDefEarly();
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_float_logic(rules::AluOp op) {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0 || CheckFloat(Arg(0)) != bytes || CheckFloat(Arg(1)) != bytes) return {};
  static constexpr uint8_t kOps[] = {0, 0, 0x54, 0x56, 0x57};  // by AluOp: -, -, and, or, xor
  uint8_t code = kOps[static_cast<int>(op)];
  if (code == 0) return Fail("float add/sub through bitwise rules");
  MInst& m = Begin(MOp::kSseLogic);
  m.sub = code;
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  Use(Arg(1));
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::emit_float_bnot() {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  Begin(MOp::kFnot).size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  TempEarly(kFloat);
  ReuseDef(Result(0), 0);
  return End();
}

// Rounding without SSE4.1 (see kRoundSse2): the result is an early def because the operand
// is read again after the result is first written.
Unit Lowerer::RoundSse2(rules::RoundMode mode, int bytes) {
  MInst& m = Begin(MOp::kRoundSse2);
  m.sub = static_cast<uint8_t>(mode);
  m.size = static_cast<uint8_t>(bytes);
  Use(Arg(0));
  TempDefEarly();
  TempEarly(kFloat);
  TempEarly(kFloat);
  Emit(Operand::Def(V(Result(0)), kFloat, Constraint::kReg, OperandPos::kEarly));
  return End();
}

// f32 fma without FMA3 (see kFmaF32): the scratch registers are early defs because the
// operands are read after the first of them is written.
Unit Lowerer::FmaF32Sse2() {
  Begin(MOp::kFmaF32).size = 4;
  Use(Arg(0));
  Use(Arg(1));
  Use(Arg(2));
  for (int k = 0; k < 3; ++k) TempDefEarly();
  for (int k = 0; k < 5; ++k) TempEarly(kFloat);
  Def(Result(0));
  return End();
}

}  // namespace lathe::x64::lowering
