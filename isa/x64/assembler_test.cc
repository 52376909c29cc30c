// Checks every instruction form the x86-64 assembler emits against Capstone's decoding, over all
// 16 registers (so every REX.R/REX.B combination and the bare REX of spl..dil is covered) and
// the special memory cases (rsp/r12 base, rbp/r13 base with zero displacement, rip-relative).
// Capstone's operands are rendered structurally (register names, base+disp, immediates in
// decimal) so the comparison does not depend on its text formatting.
#include "isa/x64/assembler.h"

#include <capstone/capstone.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace lathe::x64 {
namespace {

const char* const kNames64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                  "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
const char* const kNames32[16] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                  "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
const char* const kNames16[16] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                                  "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
const char* const kNames8[16] = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                 "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};

std::string R(int size, int r) {
  switch (size) {
    case 1: return kNames8[r];
    case 2: return kNames16[r];
    case 4: return kNames32[r];
    default: return kNames64[r];
  }
}

std::string M(Mem m) {
  if (m.rip) return absl::StrCat("[rip+", m.disp, "]");
  if (m.indexed) return absl::StrCat("[", kNames64[m.base], "+", m.disp, "]<", kNames64[m.index], "*", 1 << m.scale, ">");
  return absl::StrCat("[", kNames64[m.base], "+", m.disp, "]");
}

// [base + index * scale + disp] over every base (rbp/r13 and rsp/r12 included), a spread of
// indexes (all REX.X cases; rsp cannot be one), every scale, and disp 0 / 8-bit / 32-bit.
std::vector<Mem> IndexedMems() {
  std::vector<Mem> out;
  for (int b = 0; b < 16; ++b) {
    for (int x = 0; x < 16; x += (b % 3) + 1) {
      if (x == kRsp) continue;
      for (int32_t disp : {0, 16, -128, 4096}) out.push_back(Mem::Indexed(b, x, (b + x) & 3, disp));
    }
  }
  return out;
}

class Disasm {
 public:
  Disasm() {
    EXPECT_EQ(cs_open(CS_ARCH_X86, CS_MODE_64, &handle_), CS_ERR_OK);
    cs_option(handle_, CS_OPT_DETAIL, CS_OPT_ON);
  }
  ~Disasm() { cs_close(&handle_); }

  // Decodes exactly one instruction spanning all of `bytes`; renders "mnemonic op, op".
  std::string One(const std::vector<uint8_t>& bytes) {
    cs_insn* insn = nullptr;
    size_t n = cs_disasm(handle_, bytes.data(), bytes.size(), 0x1000, 0, &insn);
    std::string out;
    if (n != 1 || insn[0].size != bytes.size()) {
      out = absl::StrCat("<decoded ", n, " instructions>");
    } else {
      out = insn[0].mnemonic;
      const cs_x86& x = insn[0].detail->x86;
      for (int i = 0; i < x.op_count; ++i) {
        const cs_x86_op& op = x.operands[i];
        absl::StrAppend(&out, i == 0 ? " " : ", ");
        if (op.type == X86_OP_REG) {
          absl::StrAppend(&out, cs_reg_name(handle_, op.reg));
        } else if (op.type == X86_OP_IMM) {
          // Capstone reports some immediates zero-extended; sign-extend from the operand size.
          int64_t v = op.imm;
          if (op.size == 1) v = static_cast<int8_t>(v);
          if (op.size == 2) v = static_cast<int16_t>(v);
          if (op.size == 4) v = static_cast<int32_t>(v);
          absl::StrAppend(&out, v);
        } else if (op.type == X86_OP_MEM) {
          absl::StrAppend(&out, "[", op.mem.base == X86_REG_INVALID ? "none" : cs_reg_name(handle_, op.mem.base), "+",
                          op.mem.disp, "]");
          if (op.mem.index != X86_REG_INVALID) {
            absl::StrAppend(&out, "<", cs_reg_name(handle_, op.mem.index), "*", op.mem.scale, ">");
          }
        }
      }
    }
    cs_free(insn, n);
    return out;
  }

 private:
  csh handle_ = 0;
};

class AssemblerTest : public ::testing::Test {
 protected:
  template <typename F>
  void Check(const std::string& expected, F emit) {
    isa::CodeBuffer buf;
    Assembler a(&buf);
    emit(a);
    ASSERT_TRUE(buf.Finish().ok());
    EXPECT_EQ(dis_.One(buf.bytes()), expected);
    ++forms_;
  }
  Disasm dis_;
  int forms_ = 0;
};

const int kSizes[4] = {1, 2, 4, 8};

TEST_F(AssemblerTest, AluRegRegAndImm) {
  const std::pair<Alu, const char*> ops[] = {{Alu::kAdd, "add"}, {Alu::kOr, "or"},   {Alu::kAnd, "and"},
                                             {Alu::kSub, "sub"}, {Alu::kXor, "xor"}, {Alu::kCmp, "cmp"},
                                             {Alu::kAdc, "adc"}, {Alu::kSbb, "sbb"}};
  for (auto [op, name] : ops) {
    for (int size : kSizes) {
      for (int d = 0; d < 16; ++d) {
        for (int s = 0; s < 16; s += 5) {
          Check(absl::StrCat(name, " ", R(size, d), ", ", R(size, s)), [&](Assembler& a) { a.AluRR(op, size, d, s); });
        }
        for (int32_t imm : {1, -128, 127, 100000, -70000}) {
          int32_t v = size == 1 ? static_cast<int8_t>(imm) : size == 2 ? static_cast<int16_t>(imm) : imm;
          Check(absl::StrCat(name, " ", R(size, d), ", ", v), [&](Assembler& a) { a.AluRI(op, size, d, v); });
        }
      }
    }
  }
}

TEST_F(AssemblerTest, MovesAndExtensions) {
  for (int d = 0; d < 16; ++d) {
    for (int s = 0; s < 16; s += 3) {
      for (int size : kSizes) {
        Check(absl::StrCat("mov ", R(size, d), ", ", R(size, s)), [&](Assembler& a) { a.MovRR(size, d, s); });
      }
      Check(absl::StrCat("movzx ", R(4, d), ", ", R(1, s)), [&](Assembler& a) { a.Movzx(1, d, s); });
      Check(absl::StrCat("movzx ", R(4, d), ", ", R(2, s)), [&](Assembler& a) { a.Movzx(2, d, s); });
      Check(absl::StrCat("mov ", R(4, d), ", ", R(4, s)), [&](Assembler& a) { a.Movzx(4, d, s); });
      Check(absl::StrCat("movsx ", R(8, d), ", ", R(1, s)), [&](Assembler& a) { a.Movsx(1, d, s); });
      Check(absl::StrCat("movsx ", R(8, d), ", ", R(2, s)), [&](Assembler& a) { a.Movsx(2, d, s); });
      Check(absl::StrCat("movsxd ", R(8, d), ", ", R(4, s)), [&](Assembler& a) { a.Movsx(4, d, s); });
    }
    Check(absl::StrCat("mov ", R(4, d), ", 305419896"), [&](Assembler& a) { a.MovRI(d, 0x12345678); });
    Check(absl::StrCat("mov ", R(8, d), ", -2"), [&](Assembler& a) { a.MovRI(d, ~uint64_t{1}); });
    Check(absl::StrCat("movabs ", R(8, d), ", 81985529216486895"),
          [&](Assembler& a) { a.MovRI(d, 0x0123456789abcdefull); });
  }
}

TEST_F(AssemblerTest, ArithShiftsCompares) {
  const std::pair<Shift, const char*> shifts[] = {
      {Shift::kRol, "rol"}, {Shift::kRor, "ror"}, {Shift::kShl, "shl"}, {Shift::kShr, "shr"}, {Shift::kSar, "sar"}};
  const char* const cc_names[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                    "s", "np", "p", "np", "l", "ge", "le", "g"};
  for (int d = 0; d < 16; ++d) {
    for (int size : kSizes) {
      for (auto [op, name] : shifts) {
        Check(absl::StrCat(name, " ", R(size, d), ", cl"), [&](Assembler& a) { a.ShiftCl(op, size, d); });
        Check(absl::StrCat(name, " ", R(size, d), ", 3"), [&](Assembler& a) { a.ShiftImm(op, size, d, 3); });
      }
      Check(absl::StrCat("test ", R(size, d), ", ", R(size, 15 - d)), [&](Assembler& a) { a.Test(size, d, 15 - d); });
      Check(absl::StrCat("neg ", R(size, d)), [&](Assembler& a) { a.Neg(size, d); });
      if (size == 8) {
        Check(absl::StrCat("shld ", R(8, d), ", ", R(8, 15 - d), ", cl"), [&](Assembler& a) { a.ShiftDoubleCl(true, d, 15 - d); });
        Check(absl::StrCat("shrd ", R(8, d), ", ", R(8, 15 - d), ", cl"), [&](Assembler& a) { a.ShiftDoubleCl(false, d, 15 - d); });
      }
      Check(absl::StrCat("not ", R(size, d)), [&](Assembler& a) { a.Not(size, d); });
      Check(absl::StrCat("div ", R(size, d)), [&](Assembler& a) { a.Div(false, size, d); });
      Check(absl::StrCat("mul ", R(size, d)), [&](Assembler& a) { a.MulWide(size, d); });
      Check(absl::StrCat("idiv ", R(size, d)), [&](Assembler& a) { a.Div(true, size, d); });
      if (size != 1) {
        Check(absl::StrCat("imul ", R(size, d), ", ", R(size, 15 - d)), [&](Assembler& a) { a.Imul(size, d, 15 - d); });
      }
    }
    for (int cc = 0; cc < 16; ++cc) {
      // Capstone spells condition 10 "p" and 11 "np" (listed above as the set/cmov suffixes).
      std::string suffix = cc == 9 ? "ns" : cc_names[cc];
      Check(absl::StrCat("set", suffix, " ", R(1, d)), [&](Assembler& a) { a.Setcc(static_cast<Cond>(cc), d); });
      Check(absl::StrCat("cmov", suffix, " ", R(8, d), ", ", R(8, 15 - d)),
            [&](Assembler& a) { a.Cmov(static_cast<Cond>(cc), 8, d, 15 - d); });
      Check(absl::StrCat("cmov", suffix, " ", R(4, d), ", ", R(4, 15 - d)),
            [&](Assembler& a) { a.Cmov(static_cast<Cond>(cc), 4, d, 15 - d); });
    }
    Check(absl::StrCat("push ", R(8, d)), [&](Assembler& a) { a.Push(d); });
    Check(absl::StrCat("pop ", R(8, d)), [&](Assembler& a) { a.Pop(d); });
    Check(absl::StrCat("call ", R(8, d)), [&](Assembler& a) { a.CallR(d); });
    Check(absl::StrCat("jmp ", R(8, d)), [&](Assembler& a) { a.JmpR(d); });
  }
  Check("cwd", [&](Assembler& a) { a.SignExtendRaxToRdx(2); });
  Check("cdq", [&](Assembler& a) { a.SignExtendRaxToRdx(4); });
  Check("cqo", [&](Assembler& a) { a.SignExtendRaxToRdx(8); });
  Check("ret", [&](Assembler& a) { a.Ret(); });
  Check("ud2", [&](Assembler& a) { a.Ud2(); });
  Check("mfence", [&](Assembler& a) { a.Mfence(); });
}

TEST_F(AssemblerTest, MemoryOperandsIncludingSpecialBases) {
  std::vector<Mem> mems;
  for (int b = 0; b < 16; ++b) {
    for (int32_t disp : {0, 8, -128, 127, 128, -4096, 0x12345}) mems.push_back(Mem::Base(b, disp));
  }
  mems.push_back(Mem::Rip(0x40));
  mems.push_back(Mem::Rip(-16));
  for (const Mem& m : IndexedMems()) mems.push_back(m);
  for (const Mem& m : mems) {
    std::string ms = M(m);
    for (int r = 0; r < 16; r += 5) {
      for (int size : kSizes) {
        Check(absl::StrCat("mov ", ms, ", ", R(size, r)), [&](Assembler& a) { a.Store(size, m, r); });
      }
      Check(absl::StrCat("movzx ", R(4, r), ", ", ms), [&](Assembler& a) { a.Load(1, r, m); });
      Check(absl::StrCat("movzx ", R(4, r), ", ", ms), [&](Assembler& a) { a.Load(2, r, m); });
      Check(absl::StrCat("mov ", R(4, r), ", ", ms), [&](Assembler& a) { a.Load(4, r, m); });
      Check(absl::StrCat("mov ", R(8, r), ", ", ms), [&](Assembler& a) { a.Load(8, r, m); });
      Check(absl::StrCat("movsx ", R(8, r), ", ", ms), [&](Assembler& a) { a.LoadSx(1, r, m); });
      Check(absl::StrCat("movsx ", R(8, r), ", ", ms), [&](Assembler& a) { a.LoadSx(2, r, m); });
      Check(absl::StrCat("movsxd ", R(8, r), ", ", ms), [&](Assembler& a) { a.LoadSx(4, r, m); });
      Check(absl::StrCat("lea ", R(8, r), ", ", ms), [&](Assembler& a) { a.Lea(r, m); });
      for (int size : kSizes) {
        Check(absl::StrCat("lock cmpxchg ", ms, ", ", R(size, r)), [&](Assembler& a) { a.LockCmpxchg(size, m, r); });
      }
    }
    Check(absl::StrCat("mov ", ms, ", -7"), [&](Assembler& a) { a.StoreImm32(8, m, -7); });
    Check(absl::StrCat("mov ", ms, ", 9"), [&](Assembler& a) { a.StoreImm32(4, m, 9); });
  }
}

TEST_F(AssemblerTest, SseForms) {
  auto X = [](int r) { return absl::StrCat("xmm", r); };
  const std::pair<uint8_t, const char*> arith[] = {{0x58, "add"}, {0x59, "mul"}, {0x5C, "sub"}, {0x5E, "div"},
                                                   {0x51, "sqrt"}, {0x5A, "cvt"}};
  for (int d = 0; d < 16; d += 3) {
    for (int s2 = 0; s2 < 16; s2 += 5) {
      for (auto [op, name] : arith) {
        std::string ss = op == 0x5A ? "cvtss2sd" : absl::StrCat(name, "ss");
        std::string sd = op == 0x5A ? "cvtsd2ss" : absl::StrCat(name, "sd");
        Check(absl::StrCat(ss, " ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0xF3, op, d, s2); });
        Check(absl::StrCat(sd, " ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0xF2, op, d, s2); });
      }
      Check(absl::StrCat("ucomiss ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0, 0x2E, d, s2); });
      Check(absl::StrCat("ucomisd ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0x66, 0x2E, d, s2); });
      Check(absl::StrCat("movaps ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0, 0x28, d, s2); });
      Check(absl::StrCat("orps ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0, 0x56, d, s2); });
      Check(absl::StrCat("andps ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0, 0x54, d, s2); });
      Check(absl::StrCat("minss ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0xF3, 0x5D, d, s2); });
      Check(absl::StrCat("maxsd ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0xF2, 0x5F, d, s2); });
      Check(absl::StrCat("movq ", X(d), ", ", R(8, s2)), [&](Assembler& a) { a.MovGprToXmm(8, d, s2); });
      Check(absl::StrCat("movd ", X(d), ", ", R(4, s2)), [&](Assembler& a) { a.MovGprToXmm(4, d, s2); });
      Check(absl::StrCat("movq ", R(8, s2), ", ", X(d)), [&](Assembler& a) { a.MovXmmToGpr(8, s2, d); });
      Check(absl::StrCat("movd ", R(4, s2), ", ", X(d)), [&](Assembler& a) { a.MovXmmToGpr(4, s2, d); });
      Check(absl::StrCat("cvtsi2ss ", X(d), ", ", R(8, s2)), [&](Assembler& a) { a.CvtSi2F(false, 8, d, s2); });
      Check(absl::StrCat("cvtsi2sd ", X(d), ", ", R(4, s2)), [&](Assembler& a) { a.CvtSi2F(true, 4, d, s2); });
      Check(absl::StrCat("vfmadd231ss ", X(d), ", ", X(15 - s2), ", ", X(s2)),
            [&](Assembler& a) { a.Fmadd231(false, d, 15 - s2, s2); });
      Check(absl::StrCat("vfmadd231sd ", X(d), ", ", X(s2), ", ", X(15 - d)),
            [&](Assembler& a) { a.Fmadd231(true, d, s2, 15 - d); });
      Check(absl::StrCat("cvttss2si ", R(8, s2), ", ", X(d)), [&](Assembler& a) { a.CvtTF2Si(false, s2, d); });
      Check(absl::StrCat("cvttsd2si ", R(8, s2), ", ", X(d)), [&](Assembler& a) { a.CvtTF2Si(true, s2, d); });
      Check(absl::StrCat("roundss ", X(d), ", ", X(s2), ", 2"), [&](Assembler& a) { a.Round(false, d, s2, 2); });
      Check(absl::StrCat("roundsd ", X(d), ", ", X(s2), ", 1"), [&](Assembler& a) { a.Round(true, d, s2, 1); });
    }
    for (Mem m : {Mem::Base(kRsp, 8), Mem::Base(kR12, 0), Mem::Base(kRbp, 0), Mem::Base(kR13, -8), Mem::Rip(32)}) {
      Check(absl::StrCat("movss ", X(d), ", ", M(m)), [&](Assembler& a) { a.SseLoad(0xF3, 0x10, d, m); });
      Check(absl::StrCat("movsd ", X(d), ", ", M(m)), [&](Assembler& a) { a.SseLoad(0xF2, 0x10, d, m); });
      Check(absl::StrCat("movss ", M(m), ", ", X(d)), [&](Assembler& a) { a.SseStore(0xF3, 0x11, m, d); });
      Check(absl::StrCat("movsd ", M(m), ", ", X(d)), [&](Assembler& a) { a.SseStore(0xF2, 0x11, m, d); });
    }
    for (int size : {2, 4, 8}) {
      Check(absl::StrCat("popcnt ", R(size, d), ", ", R(size, 15 - d)), [&](Assembler& a) { a.BitCount(0xB8, size, d, 15 - d); });
      Check(absl::StrCat("tzcnt ", R(size, d), ", ", R(size, 15 - d)), [&](Assembler& a) { a.BitCount(0xBC, size, d, 15 - d); });
      Check(absl::StrCat("lzcnt ", R(size, d), ", ", R(size, 15 - d)), [&](Assembler& a) { a.BitCount(0xBD, size, d, 15 - d); });
    }
    Check(absl::StrCat("btc ", R(8, d), ", 63"), [&](Assembler& a) { a.BitImm(7, 8, d, 63); });
    Check(absl::StrCat("btr ", R(4, d), ", 31"), [&](Assembler& a) { a.BitImm(6, 4, d, 31); });
    Check(absl::StrCat("bts ", R(8, d), ", 63"), [&](Assembler& a) { a.BitImm(5, 8, d, 63); });
  }
}

// Forms used by stack arguments, 16-byte spill slots, f128 values and callee-pops returns.
TEST_F(AssemblerTest, AbiAndF128Forms) {
  auto X = [](int r) { return absl::StrCat("xmm", r); };
  for (int d = 0; d < 16; ++d) {
    for (int s2 = 0; s2 < 16; s2 += 5) {
      Check(absl::StrCat("punpcklqdq ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0x66, 0x6C, d, s2); });
      Check(absl::StrCat("movhlps ", X(d), ", ", X(s2)), [&](Assembler& a) { a.SseRR(0, 0x12, d, s2); });
    }
    for (Mem m : {Mem::Base(kRsp, 8), Mem::Base(kRsp, 0x1230), Mem::Base(kR12, 0), Mem::Base(kRbp, 0),
                  Mem::Base(kRbp, -16), Mem::Base(kR13, -8), Mem::Base(kRbx, 56), Mem::Rip(32)}) {
      Check(absl::StrCat("movups ", X(d), ", ", M(m)), [&](Assembler& a) { a.SseLoad(0, 0x10, d, m); });
      Check(absl::StrCat("movups ", M(m), ", ", X(d)), [&](Assembler& a) { a.SseStore(0, 0x11, m, d); });
      Check(absl::StrCat("movdqu ", X(d), ", ", M(m)), [&](Assembler& a) { a.SseLoad(0xF3, 0x6F, d, m); });
      Check(absl::StrCat("movdqu ", M(m), ", ", X(d)), [&](Assembler& a) { a.SseStore(0xF3, 0x7F, m, d); });
    }
  }
  for (int pop : {8, 16, 48, 0x1230}) {
    Check(absl::StrCat("ret ", pop), [&](Assembler& a) { a.RetImm(static_cast<uint16_t>(pop)); });
  }
}

TEST_F(AssemblerTest, BranchesResolveLabels) {
  // jmp over a ud2 to a bound label: the rel32 must be 2 (the ud2's length). Without the
  // peepholes the rel32 forms stay; with them both branches take the rel8 form.
  for (bool optimize : {false, true}) {
    isa::CodeBuffer buf;
    buf.set_optimize_branches(optimize);
    Assembler a(&buf);
    isa::CodeBuffer::Label l = buf.NewLabel();
    a.Jmp(l);
    a.Ud2();
    buf.Bind(l);
    a.Jcc(Cond::kNe, l);  // backwards: to its own start
    ASSERT_TRUE(buf.Finish().ok());
    const size_t jmp_len = optimize ? 2 : 5;
    std::vector<uint8_t> jmp(buf.bytes().begin(), buf.bytes().begin() + jmp_len);
    std::vector<uint8_t> jcc(buf.bytes().begin() + jmp_len + 2, buf.bytes().end());
    EXPECT_EQ(jcc.size(), optimize ? 2u : 6u);
    EXPECT_EQ(dis_.One(jmp), optimize ? "jmp 4100" : "jmp 4103");  // 0x1000 + jmp + 2
    EXPECT_EQ(dis_.One(jcc), "jne 4096");  // its own address (the slice starts at 0x1000)
  }

  isa::CodeBuffer unbound;
  Assembler b(&unbound);
  b.Jmp(unbound.NewLabel());
  EXPECT_FALSE(unbound.Finish().ok());

  isa::CodeBuffer call;
  Assembler c(&call);
  c.CallRel32(7);
  ASSERT_EQ(call.relocs().size(), 1u);
  EXPECT_EQ(call.relocs()[0].offset, 1u);
  EXPECT_EQ(call.relocs()[0].callee, 7u);
}

TEST_F(AssemblerTest, ConstantPoolLoads) {
  // movss/movsd/andps/xorps from a pool constant: rip-relative, the displacement reaching the
  // constant (16-aligned after the code for the 16-byte masks).
  struct Form {
    uint8_t prefix, op;
    const char* name;
    int size;
  };
  const Form forms[] = {{0xF3, 0x10, "movss", 4}, {0xF2, 0x10, "movsd", 8}, {0, 0x54, "andps", 16}, {0, 0x57, "xorps", 16}};
  for (const Form& f : forms) {
    for (int d = 0; d < 16; ++d) {
      isa::CodeBuffer buf;
      Assembler a(&buf);
      a.SseLoadConst(f.prefix, f.op, d, buf.AddConst(f.size, 0x3ff0000000400000ull, 1));
      ASSERT_TRUE(buf.Finish().ok());
      const uint32_t len = buf.code_size();
      const uint32_t at = (len + f.size - 1) / f.size * f.size;
      std::vector<uint8_t> insn(buf.bytes().begin(), buf.bytes().begin() + len);
      EXPECT_EQ(dis_.One(insn), absl::StrCat(f.name, " xmm", d, ", [rip+", at - len, "]"));
      ASSERT_EQ(buf.bytes().size(), at + f.size);
      for (int k = 0; k < f.size; ++k) {
        const uint64_t half = k < 8 ? 0x3ff0000000400000ull : 1;
        EXPECT_EQ(buf.bytes()[at + k], static_cast<uint8_t>(half >> (8 * (k % 8)))) << k;
      }
    }
  }
}

TEST_F(AssemblerTest, BitScanAndIntegerPoolOperands) {
  for (int size : {4, 8}) {
    for (int d = 0; d < 16; ++d) {
      for (int s2 : {0, 5, 12, 15}) {
        Check(absl::StrCat("bsf ", R(size, d), ", ", R(size, s2)), [&](Assembler& a) { a.BitScan(false, size, d, s2); });
        Check(absl::StrCat("bsr ", R(size, d), ", ", R(size, s2)), [&](Assembler& a) { a.BitScan(true, size, d, s2); });
      }
      const std::pair<const char*, Alu> alus[] = {{"and", Alu::kAnd}, {"add", Alu::kAdd}, {"sub", Alu::kSub}};
      for (int form = 0; form < 4; ++form) {
        isa::CodeBuffer buf;
        Assembler a(&buf);
        isa::CodeBuffer::Const c = buf.AddConst(size, 0x0f0f0f0f0f0f0f0full);
        if (form < 3) a.AluRConst(alus[form].second, size, d, c); else a.ImulRConst(size, d, c);
        ASSERT_TRUE(buf.Finish().ok());
        const uint32_t len = buf.code_size();
        const uint32_t at = (len + size - 1) / size * size;
        std::vector<uint8_t> insn(buf.bytes().begin(), buf.bytes().begin() + len);
        EXPECT_EQ(dis_.One(insn), absl::StrCat(form < 3 ? alus[form].first : "imul", " ", R(size, d), ", [rip+", at - len, "]"));
      }
    }
  }
}

TEST_F(AssemblerTest, IndexedAndRipRelativeLea) {
  for (int d = 0; d < 16; ++d) {
    for (int b = 0; b < 16; ++b) {
      for (int x = 0; x < 16; ++x) {
        if (x == kRsp) continue;  // rsp cannot be an index
        for (uint8_t sc = 0; sc < 4; ++sc) {
          Check(absl::StrCat("lea ", R(8, d), ", [", R(8, b), "+-3]<", R(8, x), "*", 1 << sc, ">"),
                [&](Assembler& a) { a.LeaIndexed(d, b, x, sc, -3); });
        }
      }
    }
    // func_addr: the rel32 is a call relocation whose field ends the instruction.
    isa::CodeBuffer fa;
    Assembler a(&fa);
    a.LeaRipCallee(d, 5);
    ASSERT_TRUE(fa.Finish().ok());
    EXPECT_EQ(dis_.One(fa.bytes()), absl::StrCat("lea ", R(8, d), ", [rip+0]"));
    ASSERT_EQ(fa.relocs().size(), 1u);
    EXPECT_EQ(fa.relocs()[0].offset + 4, fa.bytes().size());
    EXPECT_EQ(fa.relocs()[0].callee, 5u);
  }
  // lea to a label bound 2 bytes after the instruction: rip-relative displacement 2.
  isa::CodeBuffer buf;
  Assembler a(&buf);
  isa::CodeBuffer::Label l = buf.NewLabel();
  a.LeaRipLabel(kR11, l);
  a.Ud2();
  buf.Bind(l);
  ASSERT_TRUE(buf.Finish().ok());
  std::vector<uint8_t> lea(buf.bytes().begin(), buf.bytes().begin() + 7);
  EXPECT_EQ(dis_.One(lea), "lea r11, [rip+2]");
}

// The forms added for bitrev, umulhi/smulhi, float bitwise ops and i128 atomics.
TEST_F(AssemblerTest, ScalarCompletionForms) {
  auto X = [](int r) { return absl::StrCat("xmm", r); };
  for (int d = 0; d < 16; ++d) {
    Check(absl::StrCat("bt ", R(4, d), ", 6"), [&](Assembler& a) { a.BitImm(4, 4, d, 6); });
    Check(absl::StrCat("bswap ", R(4, d)), [&](Assembler& a) { a.Bswap(4, d); });
    Check(absl::StrCat("bswap ", R(8, d)), [&](Assembler& a) { a.Bswap(8, d); });
    for (int size : kSizes) {
      Check(absl::StrCat("imul ", R(size, d)), [&](Assembler& a) { a.ImulWide(size, d); });
    }
    Check(absl::StrCat("andnps ", X(d), ", ", X(15 - d)), [&](Assembler& a) { a.SseRR(0, 0x55, d, 15 - d); });
    Check(absl::StrCat("xorps ", X(d), ", ", X(15 - d)), [&](Assembler& a) { a.SseRR(0, 0x57, d, 15 - d); });
    Check(absl::StrCat("pcmpeqd ", X(d), ", ", X(d)), [&](Assembler& a) { a.SseRR(0x66, 0x76, d, d); });
    Check(absl::StrCat("cvtsi2sd ", X(d), ", ", R(8, 15 - d)), [&](Assembler& a) { a.CvtSi2F(true, 8, d, 15 - d); });
    for (int32_t disp : {0, 16, -128, 4096}) {
      Mem m = Mem::Base(static_cast<uint8_t>(d), disp);
      Check(absl::StrCat("lock cmpxchg16b ", M(m)), [&](Assembler& a) { a.LockCmpxchg16b(m); });
    }
  }
  Check("lock cmpxchg16b [rip+64]", [&](Assembler& a) { a.LockCmpxchg16b(Mem::Rip(64)); });
  Check("int3", [&](Assembler& a) { a.Int3(); });
}

// The memory-source forms the lowering gives a sunk load (ALU ops, imul, SSE arithmetic) and
// the SSE loads/stores, on plain bases (rsp/r12/rbp/r13 included) and indexed addresses.
TEST_F(AssemblerTest, MemorySourceOpsAndSseMoves) {
  auto X = [](int r) { return absl::StrCat("xmm", r); };
  std::vector<Mem> mems = IndexedMems();
  for (int b = 0; b < 16; ++b) {
    for (int32_t disp : {0, -8, 200}) mems.push_back(Mem::Base(b, disp));
  }
  const std::pair<Alu, const char*> ops[] = {{Alu::kAdd, "add"}, {Alu::kOr, "or"},   {Alu::kAnd, "and"},
                                             {Alu::kSub, "sub"}, {Alu::kXor, "xor"}, {Alu::kCmp, "cmp"}};
  const std::pair<uint8_t, const char*> sse_ops[] = {{0x58, "add"}, {0x5C, "sub"}, {0x59, "mul"}, {0x5E, "div"}};
  for (const Mem& m : mems) {
    std::string ms = M(m);
    for (int r = (m.base + 7) & 15; r < 16; r += 6) {
      for (int size : {4, 8}) {
        for (auto [op, name] : ops) {
          Check(absl::StrCat(name, " ", R(size, r), ", ", ms), [&](Assembler& a) { a.AluRM(op, size, r, m); });
        }
        Check(absl::StrCat("imul ", R(size, r), ", ", ms), [&](Assembler& a) { a.ImulRM(size, r, m); });
      }
      for (auto [op, name] : sse_ops) {
        Check(absl::StrCat(name, "ss ", X(r), ", ", ms), [&](Assembler& a) { a.SseLoad(0xF3, op, r, m); });
        Check(absl::StrCat(name, "sd ", X(r), ", ", ms), [&](Assembler& a) { a.SseLoad(0xF2, op, r, m); });
      }
      Check(absl::StrCat("movss ", X(r), ", ", ms), [&](Assembler& a) { a.SseLoad(0xF3, 0x10, r, m); });
      Check(absl::StrCat("movsd ", X(r), ", ", ms), [&](Assembler& a) { a.SseLoad(0xF2, 0x10, r, m); });
      Check(absl::StrCat("movss ", ms, ", ", X(r)), [&](Assembler& a) { a.SseStore(0xF3, 0x11, m, r); });
      Check(absl::StrCat("movsd ", ms, ", ", X(r)), [&](Assembler& a) { a.SseStore(0xF2, 0x11, m, r); });
    }
  }
}

}  // namespace
}  // namespace lathe::x64

namespace lathe::x64 {
namespace {

// --- SIMD: every packed form the vector lowering (lower_simd.cc) and its emission use, over
// register pairs that cover REX.R and REX.B, decoded by Capstone.
TEST_F(AssemblerTest, SimdRegisterForms) {
  struct Form {
    uint32_t op;
    const char* name;
  };
  const Form forms[] = {
      {0x0F58, "addps"}, {0x660F58, "addpd"}, {0x0F5C, "subps"}, {0x660F5C, "subpd"}, {0x0F59, "mulps"},
      {0x660F59, "mulpd"}, {0x0F5E, "divps"}, {0x660F5E, "divpd"}, {0x0F5D, "minps"}, {0x660F5D, "minpd"},
      {0x0F5F, "maxps"}, {0x660F5F, "maxpd"}, {0x0F51, "sqrtps"}, {0x660F51, "sqrtpd"}, {0x0F16, "movlhps"},
      {0x0F5A, "cvtps2pd"}, {0x660F5A, "cvtpd2ps"}, {0x0F5B, "cvtdq2ps"}, {0xF30F5B, "cvttps2dq"},
      {0xF20F10, "movsd"}, {0xF30F10, "movss"}, {0x660F6F, "movdqa"},
      {0x660F3800, "pshufb"}, {0x660F381C, "pabsb"}, {0x660F381D, "pabsw"}, {0x660F381E, "pabsd"},
      {0x660F3829, "pcmpeqq"}, {0x660F382B, "packusdw"}, {0x660F3837, "pcmpgtq"}, {0x660F3838, "pminsb"},
      {0x660F3839, "pminsd"}, {0x660F383A, "pminuw"}, {0x660F383B, "pminud"}, {0x660F383C, "pmaxsb"},
      {0x660F383D, "pmaxsd"}, {0x660F383E, "pmaxuw"}, {0x660F383F, "pmaxud"}, {0x660F3840, "pmulld"},
      {0x660F60, "punpcklbw"}, {0x660F61, "punpcklwd"}, {0x660F62, "punpckldq"}, {0x660F6C, "punpcklqdq"},
      {0x660F68, "punpckhbw"}, {0x660F69, "punpckhwd"}, {0x660F6A, "punpckhdq"}, {0x660F6D, "punpckhqdq"},
      {0x660F63, "packsswb"}, {0x660F6B, "packssdw"}, {0x660F67, "packuswb"},
      {0x660F64, "pcmpgtb"}, {0x660F65, "pcmpgtw"}, {0x660F66, "pcmpgtd"}, {0x660F74, "pcmpeqb"},
      {0x660F75, "pcmpeqw"}, {0x660F76, "pcmpeqd"}, {0x660FD1, "psrlw"}, {0x660FD2, "psrld"},
      {0x660FD3, "psrlq"}, {0x660FE1, "psraw"}, {0x660FE2, "psrad"}, {0x660FF1, "psllw"}, {0x660FF2, "pslld"},
      {0x660FF3, "psllq"}, {0x660FD4, "paddq"}, {0x660FD5, "pmullw"}, {0x660FF4, "pmuludq"},
      {0x660FD8, "psubusb"}, {0x660FD9, "psubusw"}, {0x660FDA, "pminub"}, {0x660FDB, "pand"},
      {0x660FDC, "paddusb"}, {0x660FDD, "paddusw"}, {0x660FDE, "pmaxub"}, {0x660FDF, "pandn"},
      {0x660FE0, "pavgb"}, {0x660FE3, "pavgw"}, {0x660FE8, "psubsb"}, {0x660FE9, "psubsw"},
      {0x660FEA, "pminsw"}, {0x660FEB, "por"}, {0x660FEC, "paddsb"}, {0x660FED, "paddsw"},
      {0x660FEE, "pmaxsw"}, {0x660FEF, "pxor"}, {0x660FF8, "psubb"}, {0x660FF9, "psubw"},
      {0x660FFA, "psubd"}, {0x660FFB, "psubq"}, {0x660FFC, "paddb"}, {0x660FFD, "paddw"}, {0x660FFE, "paddd"},
      {0x660FE5, "pmulhw"}, {0x660FE4, "pmulhuw"}, {0x660F380B, "pmulhrsw"}, {0x660F3801, "phaddw"}, {0x660F3802, "phaddd"},
  };
  auto X = [](int r) { return absl::StrCat("xmm", r); };
  for (const Form& f : forms) {
    for (int d = 0; d < 16; ++d) {
      for (int s : {d, 15 - d, (d + 9) % 16}) {
        Check(absl::StrCat(f.name, " ", X(d), ", ", X(s)), [&](Assembler& a) { a.VecRR(f.op, d, s); });
      }
    }
  }
  // Forms with an immediate byte.
  const Form imm_forms[] = {{0x660F70, "pshufd"}, {0xF20F70, "pshuflw"}, {0x0FC2, "cmpps"}, {0x660FC2, "cmppd"},
                            {0x660F3A08, "roundps"}, {0x660F3A09, "roundpd"}, {0x660F3A21, "insertps"},
                            {0x0FC6, "shufps"}};
  for (const Form& f : imm_forms) {
    for (int d = 0; d < 16; ++d) {
      // Capstone names cmpps/cmppd by their predicate (0: cmpeqps) without the immediate.
      const int imm = f.op == 0x0FC2 || f.op == 0x660FC2 ? 0 : 0x1B;
      std::string name = f.op == 0x0FC2 ? "cmpeqps" : f.op == 0x660FC2 ? "cmpeqpd" : f.name;
      std::string expect = absl::StrCat(name, " ", X(d), ", ", X(15 - d));
      if (imm != 0 || (f.op != 0x0FC2 && f.op != 0x660FC2)) absl::StrAppend(&expect, ", ", imm);
      Check(expect, [&](Assembler& a) { a.VecRRImm(f.op, d, 15 - d, static_cast<uint8_t>(imm)); });
    }
  }
  // Shifts by an immediate: 66 0F 71/72/73 /digit ib.
  struct ShiftForm {
    uint8_t op, digit;
    const char* name;
  };
  const ShiftForm shifts[] = {{0x71, 2, "psrlw"}, {0x71, 4, "psraw"}, {0x71, 6, "psllw"}, {0x72, 2, "psrld"},
                              {0x72, 4, "psrad"}, {0x72, 6, "pslld"}, {0x73, 2, "psrlq"}, {0x73, 6, "psllq"},
                              {0x73, 3, "psrldq"}, {0x73, 7, "pslldq"}};
  for (const ShiftForm& f : shifts) {
    for (int d = 0; d < 16; ++d) {
      Check(absl::StrCat(f.name, " ", X(d), ", 31"), [&](Assembler& a) { a.VecShiftImm(f.op, f.digit, d, 31); });
    }
  }
  for (int d = 0; d < 16; ++d) {
    Check(absl::StrCat("vfmadd231ps ", X(d), ", ", X(15 - d), ", ", X((d + 5) % 16)),
          [&](Assembler& a) { a.VecFmadd231(false, d, 15 - d, (d + 5) % 16); });
    Check(absl::StrCat("vfmadd231pd ", X(d), ", ", X(15 - d), ", ", X((d + 5) % 16)),
          [&](Assembler& a) { a.VecFmadd231(true, d, 15 - d, (d + 5) % 16); });
  }
}

TEST_F(AssemblerTest, SimdGeneralRegisterForms) {
  auto X = [](int r) { return absl::StrCat("xmm", r); };
  for (int v = 0; v < 16; ++v) {
    for (int g : {v, 15 - v, (v + 3) % 16}) {
      // The xmm register in ModRM.reg, the general register in r/m.
      Check(absl::StrCat("pinsrb ", X(v), ", ", R(4, g), ", 15"), [&](Assembler& a) { a.VecGpr(0x660F3A20, 4, v, g, 15); });
      Check(absl::StrCat("pinsrd ", X(v), ", ", R(4, g), ", 3"), [&](Assembler& a) { a.VecGpr(0x660F3A22, 4, v, g, 3); });
      Check(absl::StrCat("pinsrq ", X(v), ", ", R(8, g), ", 1"), [&](Assembler& a) { a.VecGpr(0x660F3A22, 8, v, g, 1); });
      Check(absl::StrCat("pinsrw ", X(v), ", ", R(4, g), ", 7"), [&](Assembler& a) { a.VecGpr(0x660FC4, 4, v, g, 7); });
      Check(absl::StrCat("pextrb ", R(4, g), ", ", X(v), ", 9"), [&](Assembler& a) { a.VecGpr(0x660F3A14, 4, v, g, 9); });
      // The general register in ModRM.reg.
      Check(absl::StrCat("pextrw ", R(4, g), ", ", X(v), ", 5"), [&](Assembler& a) { a.VecGpr(0x660FC5, 4, g, v, 5); });
      Check(absl::StrCat("pmovmskb ", R(4, g), ", ", X(v)), [&](Assembler& a) { a.VecGpr(0x660FD7, 4, g, v, -1); });
      Check(absl::StrCat("movmskps ", R(4, g), ", ", X(v)), [&](Assembler& a) { a.VecGpr(0x0F50, 4, g, v, -1); });
      Check(absl::StrCat("movmskpd ", R(4, g), ", ", X(v)), [&](Assembler& a) { a.VecGpr(0x660F50, 4, g, v, -1); });
    }
  }
}

// Packed ops with a 16-byte pool constant: rip-relative to the 16-aligned constant after the code.
TEST_F(AssemblerTest, SimdPoolOperands) {
  struct Form {
    uint32_t op;
    const char* name;
  };
  const Form forms[] = {{0x660F6F, "movdqa"}, {0x660FEF, "pxor"}, {0x660FDB, "pand"}, {0x660F3800, "pshufb"},
                        {0x660FDC, "paddusb"}};
  for (const Form& f : forms) {
    for (int d = 0; d < 16; ++d) {
      isa::CodeBuffer buf;
      Assembler a(&buf);
      a.VecRConst(f.op, d, buf.AddConst(16, 0x0102030405060708ull, 0x1112131415161718ull));
      ASSERT_TRUE(buf.Finish().ok());
      const uint32_t len = buf.code_size();
      const uint32_t at = (len + 15) / 16 * 16;
      std::vector<uint8_t> insn(buf.bytes().begin(), buf.bytes().begin() + len);
      EXPECT_EQ(dis_.One(insn), absl::StrCat(f.name, " xmm", d, ", [rip+", at - len, "]"));
      ASSERT_EQ(buf.bytes().size(), at + 16);
      EXPECT_EQ(buf.bytes()[at], 0x08);
      EXPECT_EQ(buf.bytes()[at + 15], 0x11);
    }
  }
}

}  // namespace
}  // namespace lathe::x64
