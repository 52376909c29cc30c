// The code buffer's branch peepholes, layout and constant pool, with x86-like encodings defined
// here (jmp EB/E9, jcc 7x/0F 8x) so the bytes can be checked exactly.
#include "isa/common/code_buffer.h"

#include <cstring>
#include <vector>

#include "gtest/gtest.h"

namespace lathe::isa {
namespace {

int Opcode(int cond, bool short_form, uint8_t* out) {
  if (cond == BranchForms::kAlways) {
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
int Invert(int cond) { return cond ^ 1; }
const BranchForms kForms = {Opcode, Invert};

constexpr int kE = 4, kNe = 5;
constexpr uint8_t kNop = 0x90, kRet = 0xC3;

class CodeBufferTest : public ::testing::Test {
 protected:
  CodeBufferTest() { buf_.set_branch_forms(&kForms); }
  std::vector<uint8_t> Code() const { return buf_.bytes(); }
  int32_t Rel32At(uint32_t at) const {
    int32_t v;
    std::memcpy(&v, &buf_.bytes()[at], 4);
    return v;
  }
  CodeBuffer buf_;
};

using Bytes = std::vector<uint8_t>;

TEST_F(CodeBufferTest, DropsJumpToNext) {
  CodeBuffer::Label l = buf_.NewLabel();
  buf_.Put1(kNop);
  buf_.AddBranch(BranchForms::kAlways, l);
  buf_.Bind(l);
  buf_.Put1(kRet);
  ASSERT_TRUE(buf_.Finish().ok());
  EXPECT_EQ(Code(), (Bytes{kNop, kRet}));
  EXPECT_EQ(buf_.label_offset(l), 1u);
}

TEST_F(CodeBufferTest, DropsConditionalToNext) {
  CodeBuffer::Label l = buf_.NewLabel();
  buf_.AddBranch(kE, l);
  buf_.Bind(l);
  buf_.Put1(kRet);
  ASSERT_TRUE(buf_.Finish().ok());
  EXPECT_EQ(Code(), (Bytes{kRet}));
}

TEST_F(CodeBufferTest, InvertsConditionalOverJump) {
  // jcc A; jmp B; A: nop; B: ret  ->  jncc B; nop; ret
  CodeBuffer::Label a = buf_.NewLabel(), b = buf_.NewLabel();
  buf_.AddBranch(kE, a);
  buf_.AddBranch(BranchForms::kAlways, b);
  buf_.Bind(a);
  buf_.Put1(kNop);
  buf_.Bind(b);
  buf_.Put1(kRet);
  ASSERT_TRUE(buf_.Finish().ok());
  EXPECT_EQ(Code(), (Bytes{0x70 | kNe, 0x01, kNop, kRet}));
  EXPECT_EQ(buf_.label_offset(a), 2u);
  EXPECT_EQ(buf_.label_offset(b), 3u);
}

TEST_F(CodeBufferTest, ReferenceToRemovedJumpIsThreaded) {
  // jcc A; B: jmp C; A: nop; <rel32 reference to B, as a jump table entry>; C: ret.
  // The reference is threaded to C, so nothing targets the jmp and the jcc is inverted over it.
  CodeBuffer::Label a = buf_.NewLabel(), b = buf_.NewLabel(), c = buf_.NewLabel();
  buf_.AddBranch(kE, a);
  buf_.Bind(b);
  buf_.AddBranch(BranchForms::kAlways, c);
  buf_.Bind(a);
  buf_.Put1(kNop);
  buf_.UseLabelRel32(b);
  buf_.Bind(c);
  buf_.Put1(kRet);
  ASSERT_TRUE(buf_.Finish().ok());
  ASSERT_EQ(buf_.bytes().size(), 2u + 1u + 4u + 1u);
  EXPECT_EQ(buf_.bytes()[0], 0x70 | kNe);
  EXPECT_EQ(buf_.bytes()[1], 5);  // to the ret at 7
  EXPECT_EQ(buf_.bytes()[2], kNop);
  EXPECT_EQ(buf_.label_offset(b), 7u);
  EXPECT_EQ(Rel32At(3), 0);  // the reference lands on the ret, right after its field
}

TEST_F(CodeBufferTest, ThreadsEdgeBlocksAndRemovesThem) {
  // jcc E1; jmp E2; E1: jmp T1; E2: jmp T2; T1: nop; T2: ret
  // -> jne T2; T1: nop; T2: ret (both edge jumps unreachable once threaded, then inverted)
  CodeBuffer::Label e1 = buf_.NewLabel(), e2 = buf_.NewLabel(), t1 = buf_.NewLabel(), t2 = buf_.NewLabel();
  buf_.AddBranch(kE, e1);
  buf_.AddBranch(BranchForms::kAlways, e2);
  buf_.Bind(e1);
  buf_.AddBranch(BranchForms::kAlways, t1);
  buf_.Bind(e2);
  buf_.AddBranch(BranchForms::kAlways, t2);
  buf_.Bind(t1);
  buf_.Put1(kNop);
  buf_.Bind(t2);
  buf_.Put1(kRet);
  ASSERT_TRUE(buf_.Finish().ok());
  EXPECT_EQ(Code(), (Bytes{0x70 | kNe, 0x01, kNop, kRet}));
  // The removed edge labels still resolve, to where their jumps went.
  EXPECT_EQ(buf_.label_offset(e1), 2u);
  EXPECT_EQ(buf_.label_offset(e2), 3u);
}

TEST_F(CodeBufferTest, ThreadsChainsOfJumps) {
  // jcc E; ret; E: jmp F; ud2; F: jmp T; ud2; T: ret  -> the jcc goes straight to T.
  CodeBuffer::Label e = buf_.NewLabel(), f = buf_.NewLabel(), t = buf_.NewLabel();
  buf_.AddBranch(kE, e);
  buf_.Put1(kRet);
  buf_.Bind(e);
  buf_.AddBranch(BranchForms::kAlways, f);
  buf_.Put1(0x0F);
  buf_.Put1(0x0B);
  buf_.Bind(f);
  buf_.AddBranch(BranchForms::kAlways, t);
  buf_.Put1(0x0F);
  buf_.Put1(0x0B);
  buf_.Bind(t);
  buf_.Put1(kRet);
  ASSERT_TRUE(buf_.Finish().ok());
  // jcc(2) ret(1) jmp(2) ud2(2) jmp(2) ud2(2) ret at 11
  ASSERT_EQ(buf_.bytes().size(), 12u);
  EXPECT_EQ(buf_.bytes()[0], 0x70 | kE);
  EXPECT_EQ(buf_.bytes()[1], 11 - 2);
  EXPECT_EQ(buf_.label_offset(e), 11u);
  EXPECT_EQ(buf_.label_offset(f), 11u);
}

TEST_F(CodeBufferTest, JumpCycleStaysInPlace) {
  CodeBuffer::Label l = buf_.NewLabel(), m = buf_.NewLabel();
  buf_.Bind(l);
  buf_.AddBranch(BranchForms::kAlways, m);
  buf_.Bind(m);
  buf_.AddBranch(BranchForms::kAlways, l);
  ASSERT_TRUE(buf_.Finish().ok());
  // l: jmp m; m: jmp l. The first jumps to the next instruction and goes; the second loops.
  EXPECT_EQ(Code(), (Bytes{0xEB, 0xFE}));
}

TEST_F(CodeBufferTest, ShortAndLongForms) {
  // Forward over 127 bytes fits rel8; over 128 does not. Backward to -128 fits.
  for (int gap : {127, 128}) {
    CodeBuffer buf;
    buf.set_branch_forms(&kForms);
    CodeBuffer::Label l = buf.NewLabel();
    buf.AddBranch(kE, l);
    for (int i = 0; i < gap; ++i) buf.Put1(kNop);
    buf.Bind(l);
    buf.Put1(kRet);
    ASSERT_TRUE(buf.Finish().ok());
    if (gap == 127) {
      EXPECT_EQ(buf.bytes()[0], 0x70 | kE);
      EXPECT_EQ(buf.bytes()[1], 127);
    } else {
      EXPECT_EQ(buf.bytes()[0], 0x0F);
      EXPECT_EQ(buf.bytes()[1], 0x80 | kE);
      int32_t rel;
      std::memcpy(&rel, &buf.bytes()[2], 4);
      EXPECT_EQ(rel, 128);
    }
  }
  CodeBuffer back;
  back.set_branch_forms(&kForms);
  CodeBuffer::Label top = back.NewLabel();
  back.Bind(top);
  for (int i = 0; i < 126; ++i) back.Put1(kNop);
  back.AddBranch(BranchForms::kAlways, top);  // short: -(126 + 2) = -128
  ASSERT_TRUE(back.Finish().ok());
  ASSERT_EQ(back.bytes().size(), 128u);
  EXPECT_EQ(back.bytes()[126], 0xEB);
  EXPECT_EQ(static_cast<int8_t>(back.bytes()[127]), -128);
}

TEST_F(CodeBufferTest, RecordsFollowTheCode) {
  // jmp L (shrinks by 3); trap on a ud2; call rel32; L: lea-style reference to L; ret.
  CodeBuffer::Label l = buf_.NewLabel();
  buf_.AddBranch(BranchForms::kAlways, l);
  buf_.AddTrap(ir::TrapCode(ir::TrapCode::kIntegerOverflow));
  buf_.Put1(0x0F);
  buf_.Put1(0x0B);
  buf_.Put1(0xE8);
  buf_.AddCallRel32(3);
  buf_.Bind(l);
  buf_.UseLabelRel32(l);
  buf_.Put1(kRet);
  ASSERT_TRUE(buf_.Finish().ok());
  ASSERT_EQ(buf_.traps().size(), 1u);
  EXPECT_EQ(buf_.traps()[0].offset, 2u);
  ASSERT_EQ(buf_.relocs().size(), 1u);
  EXPECT_EQ(buf_.relocs()[0].offset, 5u);
  EXPECT_EQ(buf_.label_offset(l), 9u);
  EXPECT_EQ(buf_.bytes()[0], 0xEB);
  EXPECT_EQ(buf_.bytes()[1], 7);
  EXPECT_EQ(Rel32At(9), 9 - 13);
}

TEST_F(CodeBufferTest, PeepholesOffKeepsLongForms) {
  buf_.set_optimize_branches(false);
  CodeBuffer::Label l = buf_.NewLabel();
  buf_.AddBranch(BranchForms::kAlways, l);
  buf_.Bind(l);
  buf_.Put1(kRet);
  ASSERT_TRUE(buf_.Finish().ok());
  EXPECT_EQ(Code(), (Bytes{0xE9, 0, 0, 0, 0, kRet}));
}

TEST_F(CodeBufferTest, ConstantPoolDeduplicatesAndAligns) {
  CodeBuffer::Const a = buf_.AddConst(8, 0x1122334455667788ull);
  CodeBuffer::Const b = buf_.AddConst(4, 0xdeadbeef);
  CodeBuffer::Const m = buf_.AddConst(16, 0x8000000000000000ull, 0x8000000000000000ull);
  EXPECT_EQ(buf_.AddConst(8, 0x1122334455667788ull), a);
  EXPECT_NE(buf_.AddConst(4, 0x55667788), a);  // same low bytes, other size
  buf_.Put1(kNop);
  buf_.UseConstRel32(a);
  buf_.UseConstRel32(b);
  buf_.UseConstRel32(m);
  buf_.Put1(kRet);
  ASSERT_TRUE(buf_.Finish().ok());
  EXPECT_EQ(buf_.code_size(), 14u);
  const std::vector<uint8_t>& bytes = buf_.bytes();
  auto target = [&](uint32_t field) { return static_cast<uint32_t>(field + 4 + Rel32At(field)); };
  uint32_t ta = target(1), tb = target(5), tm = target(9);
  EXPECT_EQ(tm, 16u);  // the 16-byte constant first, at the first 16-aligned offset
  EXPECT_EQ(ta % 8, 0u);
  EXPECT_EQ(tb % 4, 0u);
  uint64_t va;
  uint32_t vb;
  std::memcpy(&va, &bytes[ta], 8);
  std::memcpy(&vb, &bytes[tb], 4);
  EXPECT_EQ(va, 0x1122334455667788ull);
  EXPECT_EQ(vb, 0xdeadbeefu);
  EXPECT_EQ(bytes[tm + 7], 0x80);
  EXPECT_EQ(bytes[tm + 15], 0x80);
  // Four constants: 16 + 8 + 4 + 4 after the 2 bytes of padding.
  EXPECT_EQ(bytes.size(), 16u + 16 + 8 + 4 + 4);
}

TEST_F(CodeBufferTest, UnboundLabelIsAnError) {
  buf_.AddBranch(kE, buf_.NewLabel());
  EXPECT_FALSE(buf_.Finish().ok());
}

}  // namespace
}  // namespace lathe::isa
