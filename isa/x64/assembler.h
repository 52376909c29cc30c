// x86-64 instruction encoder: one method per instruction form the backend emits, writing into a
// CodeBuffer. Registers are hardware numbers 0-15 (rax=0 ... r15=15); `size` is the operand
// size in bytes (1, 2, 4 or 8). Handles REX (W/R/X/B and the bare REX needed to name
// spl/bpl/sil/dil), the 0x66 size prefix, and the ModRM special cases of memory operands:
// rsp/r12 as base need a SIB byte, rbp/r13 as base with no displacement need an explicit disp8,
// and rip-relative addressing. Callers pass valid register numbers; this layer does not check.
#pragma once

#include <cstdint>

#include "isa/common/code_buffer.h"

namespace lathe::x64 {

enum Gpr : uint8_t { kRax, kRcx, kRdx, kRbx, kRsp, kRbp, kRsi, kRdi, kR8, kR9, kR10, kR11, kR12, kR13, kR14, kR15 };

// The /digit or opcode group of the classic two-operand ALU instructions.
enum class Alu : uint8_t { kAdd = 0, kOr = 1, kAdc = 2, kSbb = 3, kAnd = 4, kSub = 5, kXor = 6, kCmp = 7 };
enum class Shift : uint8_t { kRol = 0, kRor = 1, kShl = 4, kShr = 5, kSar = 7 };
// Condition-code nibble of jcc/setcc/cmovcc.
enum class Cond : uint8_t {
  kO = 0, kNo = 1, kB = 2, kAe = 3, kE = 4, kNe = 5, kBe = 6, kA = 7,
  kS = 8, kNs = 9, kP = 10, kNp = 11, kL = 12, kGe = 13, kLe = 14, kG = 15
};
inline Cond Invert(Cond c) { return static_cast<Cond>(static_cast<uint8_t>(c) ^ 1); }

// [base + disp], [rip + disp] or [base + index * (1 << scale) + disp].
struct Mem {
  uint8_t base = 0;
  int32_t disp = 0;
  bool rip = false;
  bool indexed = false;  // index must not be rsp (that encoding means "no index")
  uint8_t index = 0;
  uint8_t scale = 0;     // log2: 0..3
  static Mem Base(uint8_t b, int32_t d) { return Mem{b, d, false}; }
  static Mem Rip(int32_t d) { return Mem{0, d, true}; }
  static Mem Indexed(uint8_t b, uint8_t i, uint8_t scale_log2, int32_t d) {
    Mem m = Base(b, d);
    m.indexed = true;
    m.index = i;
    m.scale = scale_log2;
    return m;
  }
};

// jmp/jcc in their rel8 and rel32 forms, for the code buffer's branch peepholes.
const isa::BranchForms& X64BranchForms();

class Assembler {
 public:
  explicit Assembler(isa::CodeBuffer* buf) : buf_(buf) { buf->set_branch_forms(&X64BranchForms()); }
  isa::CodeBuffer* buffer() { return buf_; }

  void AluRR(Alu op, int size, uint8_t dst, uint8_t src);      // op dst, src
  void AluRI(Alu op, int size, uint8_t dst, int32_t imm);      // op dst, imm
  void AluRM(Alu op, int size, uint8_t dst, Mem m);            // op dst, [m]; size 4 or 8
  void ImulRM(int size, uint8_t dst, Mem m);                    // imul dst, [m]; size 4 or 8
  void MovRR(int size, uint8_t dst, uint8_t src);
  void MovRI(uint8_t dst, uint64_t imm);                       // full 64-bit result
  void Imul(int size, uint8_t dst, uint8_t src);                // size 2, 4 or 8
  void ShiftCl(Shift op, int size, uint8_t dst);                // op dst, cl
  void ShiftImm(Shift op, int size, uint8_t dst, uint8_t imm);  // op dst, imm8
  void Test(int size, uint8_t a, uint8_t b);
  // shld/shrd dst, src, cl (64-bit): shift dst, filling from src.
  void ShiftDoubleCl(bool left, uint8_t dst, uint8_t src);
  void Neg(int size, uint8_t r);
  void Not(int size, uint8_t r);
  // div/idiv of rdx:rax (or ax for size 1) by r.
  void Div(bool is_signed, int size, uint8_t r);
  void SignExtendRaxToRdx(int size);  // cwd/cdq/cqo
  void MulWide(int size, uint8_t r);    // rdx:rax = rax * r (unsigned)
  void Setcc(Cond cc, uint8_t dst);
  void Cmov(Cond cc, int size, uint8_t dst, uint8_t src);
  void Movzx(int from_size, uint8_t dst, uint8_t src);  // to 64 bits (32-bit forms zero the rest)
  void Movsx(int from_size, uint8_t dst, uint8_t src);  // to 64 bits
  void Load(int size, uint8_t dst, Mem m);              // zero-extends sizes 1 and 2
  void LoadSx(int size, uint8_t dst, Mem m);            // sign-extends to 64 bits (size 1, 2, 4)
  void Store(int size, Mem m, uint8_t src);
  void StoreImm32(int size, Mem m, int32_t imm);         // size 4 or 8 (sign-extended)
  void Lea(uint8_t dst, Mem m);
  // lea dst, [base + index * (1 << scale_log2) + disp8]; index must not be rsp.
  void LeaIndexed(uint8_t dst, uint8_t base, uint8_t index, uint8_t scale_log2, int8_t disp8);
  // lea dst, [rip + rel32] to a label of the buffer.
  void LeaRipLabel(uint8_t dst, isa::CodeBuffer::Label l);
  void LockCmpxchg(int size, Mem m, uint8_t src);
  void Mfence();  // lock cmpxchg [m], src (compares with rax)
  void Push(uint8_t r);
  void Pop(uint8_t r);
  void Jmp(isa::CodeBuffer::Label l);
  void Jcc(Cond cc, isa::CodeBuffer::Label l);
  void CallRel32(uint32_t callee);
  // lea dst, [rip + rel32] where rel32 is a call relocation to `callee` (its address).
  void LeaRipCallee(uint8_t dst, uint32_t callee);
  void CallR(uint8_t r);
  // jmp rel32 carrying a call relocation to `callee` (a tail call).
  void JmpRel32Callee(uint32_t callee);
  void JmpR(uint8_t r);
  void Ret();
  void RetImm(uint16_t pop_bytes);  // ret imm16: return, then pop the caller's stack arguments
  void Ud2();
  // popcnt (0xB8), tzcnt (0xBC), lzcnt (0xBD): F3 0F op /r.
  void BitCount(uint8_t op, int size, uint8_t dst, uint8_t src);
  // bsf (reverse false) / bsr dst, src (size 4 or 8): ZF set and dst undefined when src is 0.
  void BitScan(bool reverse, int size, uint8_t dst, uint8_t src);
  // op dst, [rip + pool constant c] / imul dst, [rip + c] (size 4 or 8).
  void AluRConst(Alu op, int size, uint8_t dst, isa::CodeBuffer::Const c);
  void ImulRConst(int size, uint8_t dst, isa::CodeBuffer::Const c);
  // Bit test family with an immediate bit: digit 4 bt, 5 bts, 6 btr, 7 btc.
  void BitImm(uint8_t digit, int size, uint8_t r, uint8_t bit);

  // SSE (registers are xmm numbers 0-15). `prefix` is the mandatory prefix (0 for none,
  // 0x66, 0xF3 for scalar single, 0xF2 for scalar double); `op` the byte after 0x0F.
  void SseRR(uint8_t prefix, uint8_t op, uint8_t dst, uint8_t src);
  void SseLoad(uint8_t prefix, uint8_t op, uint8_t dst, Mem m);   // op dst, [m]
  void SseStore(uint8_t prefix, uint8_t op, Mem m, uint8_t src);  // op [m], src (movss/movsd 0x11)
  // op dst, [rip + pool constant c] (16-byte constants are aligned, as packed ops require).
  void SseLoadConst(uint8_t prefix, uint8_t op, uint8_t dst, isa::CodeBuffer::Const c);
  void MovGprToXmm(int size, uint8_t xmm, uint8_t gpr);  // movd/movq (size 4 or 8)
  void MovXmmToGpr(int size, uint8_t gpr, uint8_t xmm);
  // cvttss2si/cvttsd2si r64, xmm (truncating).
  void CvtTF2Si(bool is_double, uint8_t gpr, uint8_t xmm);
  void CvtSi2F(bool is_double, int size, uint8_t xmm, uint8_t gpr);  // cvtsi2ss/sd from r32/r64
  // FMA3 vfmadd231ss/sd: dst = a * b + dst (VEX-encoded).
  void Fmadd231(bool is_double, uint8_t dst, uint8_t a, uint8_t b);
  void Round(bool is_double, uint8_t dst, uint8_t src, uint8_t mode);  // SSE4.1 roundss/sd

  // --- Scalar opcode completions (bitrev, mulhi, i128 atomics).
  void Bswap(int size, uint8_t r);               // size 4 or 8
  void ImulWide(int size, uint8_t r);            // rdx:rax = rax * r (signed, one-operand imul)
  void LockCmpxchg16b(Mem m);                    // compares rdx:rax with [m], stores rcx:rbx
  void Int3();

  // --- SIMD (128-bit packed) forms. `op` is the opcode's bytes read as a hex number, optional
  // mandatory prefix first: 0x0F58 (addps), 0x660FFE (paddd), 0x660F3800 (pshufb).
  void VecRR(uint32_t op, uint8_t dst, uint8_t src);                     // op dst, src
  void VecRRImm(uint32_t op, uint8_t dst, uint8_t src, uint8_t imm);     // op dst, src, imm8
  void VecRConst(uint32_t op, uint8_t dst, isa::CodeBuffer::Const c);    // op dst, [rip + c]
  // An op whose ModRM.reg is `reg` and r/m the general register `gpr` (REX.W when size is 8):
  // pinsr*/pextr*/pextrw/pmovmskb/movmskp*; imm < 0 means no immediate byte.
  void VecGpr(uint32_t op, int size, uint8_t reg, uint8_t gpr, int imm);
  // Packed shift by an immediate: 66 0F op /digit ib (op 0x71 words, 0x72 dwords, 0x73 qwords).
  void VecShiftImm(uint8_t op, uint8_t digit, uint8_t xmm, uint8_t imm);
  // FMA3 vfmadd231ps/pd xmm: dst = a * b + dst, all four lanes (VEX.128).
  void VecFmadd231(bool is_double, uint8_t dst, uint8_t a, uint8_t b);

 private:
  // Prefixes, REX and opcode bytes for a register-direct or memory ModRM form. `reg` is the
  // ModRM.reg field (a register or an opcode extension), `rm` the r/m register.
  // reg_byte / rm_byte: that field names an 8-bit register (spl..dil need a bare REX).
  void Prefix(int size, uint8_t reg, uint8_t rm, bool reg_byte, bool rm_byte);
  void ModRmReg(uint8_t reg, uint8_t rm) { buf_->Put1(static_cast<uint8_t>(0xC0 | ((reg & 7) << 3) | (rm & 7))); }
  void ModRmMem(uint8_t reg, Mem m);
  void Op(int size, uint8_t reg, uint8_t rm, bool reg_byte, bool rm_byte, std::initializer_list<uint8_t> opcode);
  void OpMem(int size, uint8_t reg, Mem m, bool reg_byte, std::initializer_list<uint8_t> opcode);
  // OpMem for an indexed Mem: REX.X and a SIB byte carry the index.
  void OpMemIndexed(int size, uint8_t reg, Mem m, bool reg_byte, std::initializer_list<uint8_t> opcode);
  // [rip + pool constant] as the r/m operand.
  void OpConst(int size, uint8_t reg, std::initializer_list<uint8_t> opcode, isa::CodeBuffer::Const c);

  isa::CodeBuffer* buf_;
};

}  // namespace lathe::x64
