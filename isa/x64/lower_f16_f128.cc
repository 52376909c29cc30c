// f16 and f128 values: they live in xmm registers (f16 in the low 16 bits, f128 in all 128, as
// System V passes _Float16 and __float128) and support constants, bit casts, selects, moves,
// loads/stores (f128), arguments and returns. Their arithmetic is not lowered.
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {

Unit Lowerer::emit_f16const() {
  if (XmmBytes(dfg_.value_type(Result(0))) != 2) return Unsupported(dfg_.value_type(Result(0)));
  uint32_t t = NewVreg(kInt);
  Begin(MOp::kMovImm).imm = static_cast<int64_t>(static_cast<uint64_t>(cur().imm) & 0xffff);
  Emit(Operand::Def(t, kInt, Constraint::kReg));
  End();
  Begin(MOp::kGprToXmm).size = 4;
  Emit(Operand::Use(t, kInt, Constraint::kReg));
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_f128const() {
  if (XmmBytes(dfg_.value_type(Result(0))) != 16) return Unsupported(dfg_.value_type(Result(0)));
  if (cur().entity >= f_.constants.size()) return Fail("an f128const naming a missing constant");
  const std::vector<uint8_t>& bytes = f_.constants[cur().entity].bytes;
  if (bytes.size() > 16) return Fail("an f128const wider than 128 bits");
  uint64_t half[2] = {0, 0};
  for (size_t k = 0; k < bytes.size(); ++k) half[k / 8] |= static_cast<uint64_t>(bytes[k]) << (8 * (k % 8));
  uint32_t v[2];
  for (int h = 0; h < 2; ++h) {
    v[h] = NewVreg(kInt);
    Begin(MOp::kMovImm).imm = static_cast<int64_t>(half[h]);
    Emit(Operand::Def(v[h], kInt, Constraint::kReg));
    End();
  }
  Begin(MOp::kXmmFromPair);
  Emit(Operand::Use(v[0], kInt, Constraint::kReg));
  Emit(Operand::Use(v[1], kInt, Constraint::kReg));
  Emit(Operand::Def(NewVreg(kFloat), kFloat, Constraint::kReg, OperandPos::kEarly));
  Def(Result(0));
  return End();
}

bool Lowerer::LowerWideFloatBitcast() {
  ir::Value a = Arg(0), r = Result(0);
  const int from = XmmBytes(dfg_.value_type(dfg_.Resolve(a))), to = XmmBytes(dfg_.value_type(r));
  const bool a_wide = Wide(a), r_wide = Wide(r);
  if (a_wide && r_wide) {  // i128 to i128: copy both halves
    for (int h = 0; h < 2; ++h) {
      Begin(MOp::kCopy);
      if (h == 0) Use(a); else UseH(a);
      if (h == 0) Def(r); else DefH(r);
      End();
    }
    return true;
  }
  if (from == 16 && r_wide) {
    Begin(MOp::kXmmToPair);
    Use(a);
    Emit(Operand::Def(NewVreg(kFloat), kFloat, Constraint::kReg, OperandPos::kEarly));
    Def(r);
    DefH(r);
    End();
    return true;
  }
  if (a_wide && to == 16) {
    Begin(MOp::kXmmFromPair);
    Use(a);
    UseH(a);
    Emit(Operand::Def(NewVreg(kFloat), kFloat, Constraint::kReg, OperandPos::kEarly));
    Def(r);
    End();
    return true;
  }
  // f16 <-> i16 moves 32 bits (the bits above 16 are unspecified on both sides).
  const bool a_i16 = IntBytes(dfg_.value_type(dfg_.Resolve(a))) == 2, r_i16 = IntBytes(dfg_.value_type(r)) == 2;
  if ((from == 2 && r_i16) || (a_i16 && to == 2)) {
    Begin(to == 2 ? MOp::kGprToXmm : MOp::kXmmToGpr).size = 4;
    Use(a);
    Def(r);
    End();
    return true;
  }
  if (from == 16 || to == 16 || from == 2 || to == 2 || a_wide || r_wide) {
    if (from != to || a_wide != r_wide) {
      Unsupported(dfg_.value_type(r));
      return true;
    }
  }
  return false;
}

}  // namespace lathe::x64::lowering
