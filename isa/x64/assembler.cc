#include "isa/x64/assembler.h"

namespace lathe::x64 {

void Assembler::Prefix(int size, uint8_t reg, uint8_t rm, bool reg_byte, bool rm_byte) {
  if (size == 2) buf_->Put1(0x66);
  uint8_t rex = static_cast<uint8_t>((size == 8 ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((rm >> 3) & 1));
  bool need_bare = (reg_byte && reg >= 4 && reg < 8) || (rm_byte && rm >= 4 && rm < 8);
  if (rex != 0 || need_bare) buf_->Put1(static_cast<uint8_t>(0x40 | rex));
}

void Assembler::Op(int size, uint8_t reg, uint8_t rm, bool reg_byte, bool rm_byte,
                   std::initializer_list<uint8_t> opcode) {
  Prefix(size, reg, rm, reg_byte, rm_byte);
  for (uint8_t b : opcode) buf_->Put1(b);
  ModRmReg(reg, rm);
}

void Assembler::OpMem(int size, uint8_t reg, Mem m, bool reg_byte, std::initializer_list<uint8_t> opcode) {
  if (m.indexed) return OpMemIndexed(size, reg, m, reg_byte, opcode);
  Prefix(size, reg, m.rip ? 0 : m.base, reg_byte, false);
  for (uint8_t b : opcode) buf_->Put1(b);
  ModRmMem(reg, m);
}

void Assembler::ModRmMem(uint8_t reg, Mem m) {
  uint8_t r = static_cast<uint8_t>((reg & 7) << 3);
  if (m.rip) {
    buf_->Put1(static_cast<uint8_t>(0x05 | r));
    buf_->Put4(static_cast<uint32_t>(m.disp));
    return;
  }
  uint8_t base = m.base & 7;
  uint8_t mod;
  if (m.disp == 0 && base != 5) {
    mod = 0;  // rbp/r13 with mod 0 would mean rip/disp32, so they take an explicit disp8 of 0
  } else if (m.disp >= -128 && m.disp <= 127) {
    mod = 1;
  } else {
    mod = 2;
  }
  buf_->Put1(static_cast<uint8_t>((mod << 6) | r | base));
  if (base == 4) buf_->Put1(0x24);  // rsp/r12 as base: SIB with no index
  if (mod == 1) buf_->Put1(static_cast<uint8_t>(m.disp));
  if (mod == 2) buf_->Put4(static_cast<uint32_t>(m.disp));
}

void Assembler::AluRR(Alu op, int size, uint8_t dst, uint8_t src) {
  uint8_t base = static_cast<uint8_t>(static_cast<uint8_t>(op) << 3);
  Op(size, src, dst, size == 1, size == 1, {static_cast<uint8_t>(base | (size == 1 ? 0 : 1))});
}

void Assembler::AluRI(Alu op, int size, uint8_t dst, int32_t imm) {
  uint8_t digit = static_cast<uint8_t>(op);
  if (size == 1) {
    Op(1, digit, dst, false, true, {0x80});
    buf_->Put1(static_cast<uint8_t>(imm));
  } else if (imm >= -128 && imm <= 127) {
    Op(size, digit, dst, false, false, {0x83});
    buf_->Put1(static_cast<uint8_t>(imm));
  } else {
    Op(size, digit, dst, false, false, {0x81});
    if (size == 2) buf_->Put2(static_cast<uint16_t>(imm)); else buf_->Put4(static_cast<uint32_t>(imm));
  }
}

void Assembler::MovRR(int size, uint8_t dst, uint8_t src) {
  Op(size, src, dst, size == 1, size == 1, {static_cast<uint8_t>(size == 1 ? 0x88 : 0x89)});
}

void Assembler::MovRI(uint8_t dst, uint64_t imm) {
  if (imm <= 0xffffffffu) {  // mov r32, imm32 zero-extends
    Prefix(4, 0, dst, false, false);
    buf_->Put1(static_cast<uint8_t>(0xB8 | (dst & 7)));
    buf_->Put4(static_cast<uint32_t>(imm));
  } else if (static_cast<int64_t>(imm) >= INT32_MIN && static_cast<int64_t>(imm) <= INT32_MAX) {
    Op(8, 0, dst, false, false, {0xC7});
    buf_->Put4(static_cast<uint32_t>(imm));
  } else {
    Prefix(8, 0, dst, false, false);
    buf_->Put1(static_cast<uint8_t>(0xB8 | (dst & 7)));
    buf_->Put8(imm);
  }
}

void Assembler::Imul(int size, uint8_t dst, uint8_t src) { Op(size, dst, src, false, false, {0x0F, 0xAF}); }

void Assembler::ShiftCl(Shift op, int size, uint8_t dst) {
  Op(size, static_cast<uint8_t>(op), dst, false, size == 1, {static_cast<uint8_t>(size == 1 ? 0xD2 : 0xD3)});
}

void Assembler::ShiftImm(Shift op, int size, uint8_t dst, uint8_t imm) {
  Op(size, static_cast<uint8_t>(op), dst, false, size == 1, {static_cast<uint8_t>(size == 1 ? 0xC0 : 0xC1)});
  buf_->Put1(imm);
}

void Assembler::Test(int size, uint8_t a, uint8_t b) {
  Op(size, b, a, size == 1, size == 1, {static_cast<uint8_t>(size == 1 ? 0x84 : 0x85)});
}

void Assembler::ShiftDoubleCl(bool left, uint8_t dst, uint8_t src) {
  Op(8, src, dst, false, false, {0x0F, static_cast<uint8_t>(left ? 0xA5 : 0xAD)});
}

void Assembler::Neg(int size, uint8_t r) { Op(size, 3, r, false, size == 1, {static_cast<uint8_t>(size == 1 ? 0xF6 : 0xF7)}); }
void Assembler::Not(int size, uint8_t r) { Op(size, 2, r, false, size == 1, {static_cast<uint8_t>(size == 1 ? 0xF6 : 0xF7)}); }

void Assembler::Div(bool is_signed, int size, uint8_t r) {
  Op(size, is_signed ? 7 : 6, r, false, size == 1, {static_cast<uint8_t>(size == 1 ? 0xF6 : 0xF7)});
}

void Assembler::MulWide(int size, uint8_t r) {
  Op(size, 4, r, false, size == 1, {static_cast<uint8_t>(size == 1 ? 0xF6 : 0xF7)});
}

void Assembler::SignExtendRaxToRdx(int size) {
  if (size == 2) buf_->Put1(0x66);
  if (size == 8) buf_->Put1(0x48);
  buf_->Put1(0x99);
}

void Assembler::Setcc(Cond cc, uint8_t dst) {
  Op(4, 0, dst, false, true, {0x0F, static_cast<uint8_t>(0x90 | static_cast<uint8_t>(cc))});
}

void Assembler::Cmov(Cond cc, int size, uint8_t dst, uint8_t src) {
  Op(size, dst, src, false, false, {0x0F, static_cast<uint8_t>(0x40 | static_cast<uint8_t>(cc))});
}

void Assembler::Movzx(int from_size, uint8_t dst, uint8_t src) {
  if (from_size == 1) return Op(4, dst, src, false, true, {0x0F, 0xB6});
  if (from_size == 2) return Op(4, dst, src, false, false, {0x0F, 0xB7});
  MovRR(4, dst, src);  // from 4 bytes: a 32-bit mov clears the upper half
}

void Assembler::Movsx(int from_size, uint8_t dst, uint8_t src) {
  if (from_size == 1) return Op(8, dst, src, false, true, {0x0F, 0xBE});
  if (from_size == 2) return Op(8, dst, src, false, false, {0x0F, 0xBF});
  Op(8, dst, src, false, false, {0x63});  // movsxd
}

void Assembler::Load(int size, uint8_t dst, Mem m) {
  if (size == 1) return OpMem(4, dst, m, false, {0x0F, 0xB6});
  if (size == 2) return OpMem(4, dst, m, false, {0x0F, 0xB7});
  OpMem(size, dst, m, false, {0x8B});
}

void Assembler::LoadSx(int size, uint8_t dst, Mem m) {
  if (size == 1) return OpMem(8, dst, m, false, {0x0F, 0xBE});
  if (size == 2) return OpMem(8, dst, m, false, {0x0F, 0xBF});
  OpMem(8, dst, m, false, {0x63});
}

void Assembler::Store(int size, Mem m, uint8_t src) {
  OpMem(size, src, m, size == 1, {static_cast<uint8_t>(size == 1 ? 0x88 : 0x89)});
}

void Assembler::StoreImm32(int size, Mem m, int32_t imm) {
  OpMem(size, 0, m, false, {0xC7});
  buf_->Put4(static_cast<uint32_t>(imm));
}

void Assembler::LockCmpxchg(int size, Mem m, uint8_t src) {
  buf_->Put1(0xF0);
  OpMem(size, src, m, size == 1, {0x0F, static_cast<uint8_t>(size == 1 ? 0xB0 : 0xB1)});
}

void Assembler::Mfence() {
  buf_->Put1(0x0F);
  buf_->Put1(0xAE);
  buf_->Put1(0xF0);
}

void Assembler::Lea(uint8_t dst, Mem m) { OpMem(8, dst, m, false, {0x8D}); }

void Assembler::LeaIndexed(uint8_t dst, uint8_t base, uint8_t index, uint8_t scale_log2, int8_t disp8) {
  // Always mod=01 (disp8) so rbp/r13 as base need no special case.
  buf_->Put1(static_cast<uint8_t>(0x48 | (dst >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) | (base >= 8 ? 1 : 0)));
  buf_->Put1(0x8D);
  buf_->Put1(static_cast<uint8_t>(0x44 | ((dst & 7) << 3)));
  buf_->Put1(static_cast<uint8_t>((scale_log2 << 6) | ((index & 7) << 3) | (base & 7)));
  buf_->Put1(static_cast<uint8_t>(disp8));
}

void Assembler::LeaRipLabel(uint8_t dst, isa::CodeBuffer::Label l) {
  buf_->Put1(static_cast<uint8_t>(0x48 | (dst >= 8 ? 4 : 0)));
  buf_->Put1(0x8D);
  buf_->Put1(static_cast<uint8_t>(0x05 | ((dst & 7) << 3)));
  buf_->UseLabelRel32(l);
}

void Assembler::Push(uint8_t r) {
  if (r >= 8) buf_->Put1(0x41);
  buf_->Put1(static_cast<uint8_t>(0x50 | (r & 7)));
}

void Assembler::Pop(uint8_t r) {
  if (r >= 8) buf_->Put1(0x41);
  buf_->Put1(static_cast<uint8_t>(0x58 | (r & 7)));
}

namespace {

// jmp: EB rel8 / E9 rel32; jcc: 7x rel8 / 0F 8x rel32.
int BranchOpcode(int cond, bool short_form, uint8_t* out) {
  if (cond == isa::BranchForms::kAlways) {
    out[0] = short_form ? 0xEB : 0xE9;
    return 1;
  }
  if (short_form) {
    out[0] = static_cast<uint8_t>(0x70 | cond);
    return 1;
  }
  out[0] = 0x0F;
  out[1] = static_cast<uint8_t>(0x80 | cond);
  return 2;
}
int InvertCond(int cond) { return static_cast<int>(Invert(static_cast<Cond>(cond))); }
constexpr isa::BranchForms kBranchForms = {BranchOpcode, InvertCond};

}  // namespace

const isa::BranchForms& X64BranchForms() { return kBranchForms; }

void Assembler::Jmp(isa::CodeBuffer::Label l) { buf_->AddBranch(isa::BranchForms::kAlways, l); }

void Assembler::Jcc(Cond cc, isa::CodeBuffer::Label l) { buf_->AddBranch(static_cast<int>(cc), l); }

void Assembler::SseLoadConst(uint8_t prefix, uint8_t op, uint8_t dst, isa::CodeBuffer::Const c) {
  if (prefix != 0) buf_->Put1(prefix);
  OpConst(4, dst, {0x0F, op}, c);
}

void Assembler::CallRel32(uint32_t callee) {
  buf_->Put1(0xE8);
  buf_->AddCallRel32(callee);
}

void Assembler::LeaRipCallee(uint8_t dst, uint32_t callee) {
  // The disp32 ends the instruction, so rip-relative and end-of-field-relative coincide.
  buf_->Put1(static_cast<uint8_t>(0x48 | (dst >= 8 ? 4 : 0)));
  buf_->Put1(0x8D);
  buf_->Put1(static_cast<uint8_t>(0x05 | ((dst & 7) << 3)));
  buf_->AddCallRel32(callee);
}

void Assembler::JmpRel32Callee(uint32_t callee) {
  buf_->Put1(0xE9);
  buf_->AddCallRel32(callee);
}

void Assembler::CallR(uint8_t r) { Op(4, 2, r, false, false, {0xFF}); }
void Assembler::JmpR(uint8_t r) { Op(4, 4, r, false, false, {0xFF}); }
void Assembler::Ret() { buf_->Put1(0xC3); }
void Assembler::RetImm(uint16_t pop_bytes) {
  buf_->Put1(0xC2);
  buf_->Put1(static_cast<uint8_t>(pop_bytes));
  buf_->Put1(static_cast<uint8_t>(pop_bytes >> 8));
}
void Assembler::Ud2() {
  buf_->Put1(0x0F);
  buf_->Put1(0x0B);
}

void Assembler::BitCount(uint8_t op, int size, uint8_t dst, uint8_t src) {
  if (size == 2) buf_->Put1(0x66);
  buf_->Put1(0xF3);
  Op(size == 2 ? 4 : size, dst, src, false, false, {0x0F, op});
}

void Assembler::BitScan(bool reverse, int size, uint8_t dst, uint8_t src) {
  Op(size, dst, src, false, false, {0x0F, static_cast<uint8_t>(reverse ? 0xBD : 0xBC)});
}

void Assembler::OpConst(int size, uint8_t reg, std::initializer_list<uint8_t> opcode, isa::CodeBuffer::Const c) {
  Prefix(size, reg, 0, false, false);
  for (uint8_t b : opcode) buf_->Put1(b);
  buf_->Put1(static_cast<uint8_t>(0x05 | ((reg & 7) << 3)));
  buf_->UseConstRel32(c);
}

void Assembler::AluRConst(Alu op, int size, uint8_t dst, isa::CodeBuffer::Const c) {
  OpConst(size, dst, {static_cast<uint8_t>((static_cast<uint8_t>(op) << 3) | 3)}, c);
}

void Assembler::ImulRConst(int size, uint8_t dst, isa::CodeBuffer::Const c) { OpConst(size, dst, {0x0F, 0xAF}, c); }

void Assembler::BitImm(uint8_t digit, int size, uint8_t r, uint8_t bit) {
  Op(size, digit, r, false, false, {0x0F, 0xBA});
  buf_->Put1(bit);
}

void Assembler::SseRR(uint8_t prefix, uint8_t op, uint8_t dst, uint8_t src) {
  if (prefix != 0) buf_->Put1(prefix);
  Op(4, dst, src, false, false, {0x0F, op});
}

void Assembler::SseLoad(uint8_t prefix, uint8_t op, uint8_t dst, Mem m) {
  if (prefix != 0) buf_->Put1(prefix);
  OpMem(4, dst, m, false, {0x0F, op});
}

void Assembler::SseStore(uint8_t prefix, uint8_t op, Mem m, uint8_t src) {
  if (prefix != 0) buf_->Put1(prefix);
  OpMem(4, src, m, false, {0x0F, op});
}

void Assembler::MovGprToXmm(int size, uint8_t xmm, uint8_t gpr) {
  buf_->Put1(0x66);
  Op(size, xmm, gpr, false, false, {0x0F, 0x6E});
}

void Assembler::MovXmmToGpr(int size, uint8_t gpr, uint8_t xmm) {
  buf_->Put1(0x66);
  Op(size, xmm, gpr, false, false, {0x0F, 0x7E});
}

void Assembler::CvtSi2F(bool is_double, int size, uint8_t xmm, uint8_t gpr) {
  buf_->Put1(is_double ? 0xF2 : 0xF3);
  Op(size, xmm, gpr, false, false, {0x0F, 0x2A});
}

void Assembler::Fmadd231(bool is_double, uint8_t dst, uint8_t a, uint8_t b) {
  buf_->Put1(0xC4);  // three-byte VEX, map 0F38
  buf_->Put1(static_cast<uint8_t>(((~dst >> 3) & 1) << 7 | 1 << 6 | ((~b >> 3) & 1) << 5 | 0x02));
  buf_->Put1(static_cast<uint8_t>((is_double ? 1 : 0) << 7 | ((~a) & 0xF) << 3 | 0x01));  // L=0, pp=66
  buf_->Put1(0xB9);
  ModRmReg(dst, b);
}

void Assembler::CvtTF2Si(bool is_double, uint8_t gpr, uint8_t xmm) {
  buf_->Put1(is_double ? 0xF2 : 0xF3);
  Op(8, gpr, xmm, false, false, {0x0F, 0x2C});
}

void Assembler::Round(bool is_double, uint8_t dst, uint8_t src, uint8_t mode) {
  buf_->Put1(0x66);
  Op(4, dst, src, false, false, {0x0F, 0x3A, static_cast<uint8_t>(is_double ? 0x0B : 0x0A)});
  buf_->Put1(mode);
}

// --- Scalar opcode completions (bitrev, mulhi, i128 atomics).

void Assembler::Bswap(int size, uint8_t r) {
  Prefix(size, 0, r, false, false);
  buf_->Put1(0x0F);
  buf_->Put1(static_cast<uint8_t>(0xC8 | (r & 7)));
}

void Assembler::ImulWide(int size, uint8_t r) {
  Op(size, 5, r, false, size == 1, {static_cast<uint8_t>(size == 1 ? 0xF6 : 0xF7)});
}

void Assembler::Int3() { buf_->Put1(0xCC); }

void Assembler::LockCmpxchg16b(Mem m) {
  buf_->Put1(0xF0);
  OpMem(8, 1, m, false, {0x0F, 0xC7});
}

// --- Indexed memory operands and ALU ops with a memory source.

void Assembler::OpMemIndexed(int size, uint8_t reg, Mem m, bool reg_byte, std::initializer_list<uint8_t> opcode) {
  if (size == 2) buf_->Put1(0x66);
  uint8_t rex = static_cast<uint8_t>((size == 8 ? 8 : 0) | ((reg >> 3) & 1) << 2 | ((m.index >> 3) & 1) << 1 |
                                     ((m.base >> 3) & 1));
  if (rex != 0 || (reg_byte && reg >= 4 && reg < 8)) buf_->Put1(static_cast<uint8_t>(0x40 | rex));
  for (uint8_t b : opcode) buf_->Put1(b);
  uint8_t base = m.base & 7;
  // As without an index, rbp/r13 as base cannot use mod 0 (that means "no base, disp32").
  uint8_t mod = m.disp == 0 && base != 5 ? 0 : m.disp >= -128 && m.disp <= 127 ? 1 : 2;
  buf_->Put1(static_cast<uint8_t>((mod << 6) | ((reg & 7) << 3) | 4));
  buf_->Put1(static_cast<uint8_t>(((m.scale & 3) << 6) | ((m.index & 7) << 3) | base));
  if (mod == 1) buf_->Put1(static_cast<uint8_t>(m.disp));
  if (mod == 2) buf_->Put4(static_cast<uint32_t>(m.disp));
}

void Assembler::AluRM(Alu op, int size, uint8_t dst, Mem m) {
  OpMem(size, dst, m, false, {static_cast<uint8_t>((static_cast<uint8_t>(op) << 3) | 3)});
}

void Assembler::ImulRM(int size, uint8_t dst, Mem m) { OpMem(size, dst, m, false, {0x0F, 0xAF}); }

// --- SIMD (128-bit packed) forms.

namespace {
// Splits a packed opcode (see VecRR) into its mandatory prefix (0 for none) and the bytes from
// 0x0F on (2 or 3 of them).
uint8_t SplitVecOp(uint32_t op, uint8_t bytes[3], int* n) {
  uint8_t prefix = 0;
  if (op > 0xFFFFFF) {  // prefix 0F map op
    prefix = static_cast<uint8_t>(op >> 24);
    op &= 0xFFFFFF;
  } else if (op > 0xFFFF && (op >> 16) != 0x0F) {  // prefix 0F op
    prefix = static_cast<uint8_t>(op >> 16);
    op &= 0xFFFF;
  }
  *n = op > 0xFFFF ? 3 : 2;
  for (int k = 0; k < *n; ++k) bytes[k] = static_cast<uint8_t>(op >> (8 * (*n - 1 - k)));
  return prefix;
}
}  // namespace

void Assembler::VecGpr(uint32_t op, int size, uint8_t reg, uint8_t gpr, int imm) {
  uint8_t b[3];
  int n = 0;
  const uint8_t prefix = SplitVecOp(op, b, &n);
  if (prefix != 0) buf_->Put1(prefix);
  if (n == 2) {
    Op(size == 8 ? 8 : 4, reg, gpr, false, false, {b[0], b[1]});
  } else {
    Op(size == 8 ? 8 : 4, reg, gpr, false, false, {b[0], b[1], b[2]});
  }
  if (imm >= 0) buf_->Put1(static_cast<uint8_t>(imm));
}

void Assembler::VecRR(uint32_t op, uint8_t dst, uint8_t src) { VecGpr(op, 4, dst, src, -1); }

void Assembler::VecRRImm(uint32_t op, uint8_t dst, uint8_t src, uint8_t imm) { VecGpr(op, 4, dst, src, imm); }

void Assembler::VecRConst(uint32_t op, uint8_t dst, isa::CodeBuffer::Const c) {
  uint8_t b[3];
  int n = 0;
  const uint8_t prefix = SplitVecOp(op, b, &n);
  if (prefix != 0) buf_->Put1(prefix);
  if (n == 2) {
    OpConst(4, dst, {b[0], b[1]}, c);
  } else {
    OpConst(4, dst, {b[0], b[1], b[2]}, c);
  }
}

void Assembler::VecShiftImm(uint8_t op, uint8_t digit, uint8_t xmm, uint8_t imm) {
  buf_->Put1(0x66);
  Op(4, digit, xmm, false, false, {0x0F, op});
  buf_->Put1(imm);
}

void Assembler::VecFmadd231(bool is_double, uint8_t dst, uint8_t a, uint8_t b) {
  buf_->Put1(0xC4);  // three-byte VEX, map 0F38
  buf_->Put1(static_cast<uint8_t>(((~dst >> 3) & 1) << 7 | 1 << 6 | ((~b >> 3) & 1) << 5 | 0x02));
  buf_->Put1(static_cast<uint8_t>((is_double ? 1 : 0) << 7 | ((~a) & 0xF) << 3 | 0x01));  // L=0, pp=66
  buf_->Put1(0xB8);
  ModRmReg(dst, b);
}

}  // namespace lathe::x64
