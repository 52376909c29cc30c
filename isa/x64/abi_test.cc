// Argument locations (LayoutArgs): registers first, then System V stack slots, with i128 and
// f128 taking 16-byte aligned slots, the hidden return area pointer first, and the `tail`
// convention's callee-pops flag.
#include "isa/x64/abi.h"

#include <initializer_list>

#include "gtest/gtest.h"
#include "ir/function.h"
#include "isa/x64/lower.h"

namespace lathe::x64 {
namespace {

ir::Signature Sig(std::initializer_list<ir::Type> params, std::initializer_list<ir::Type> returns = {},
                  ir::CallConv cc = ir::CallConv::kSystemV) {
  ir::Signature s;
  for (ir::Type t : params) s.params.push_back(ir::AbiParam{t});
  for (ir::Type t : returns) s.returns.push_back(ir::AbiParam{t});
  s.call_conv = cc;
  return s;
}

void ExpectReg(const ArgPart& p, ArgPart::Kind kind, uint8_t reg) {
  EXPECT_EQ(p.kind, kind);
  EXPECT_EQ(p.reg, reg);
}
void ExpectStack(const ArgPart& p, uint32_t offset, uint8_t bytes) {
  EXPECT_EQ(p.kind, ArgPart::kStack);
  EXPECT_EQ(p.offset, offset);
  EXPECT_EQ(p.bytes, bytes);
}

TEST(LayoutArgs, RegistersThenEightByteStackSlots) {
  ArgLayout l = LayoutArgs(Sig({ir::kI64, ir::kI32, ir::kI8, ir::kI16, ir::kI64, ir::kI64, ir::kI32, ir::kI64}));
  ASSERT_EQ(l.parts.size(), 8u);
  for (int k = 0; k < 6; ++k) ExpectReg(l.parts[k], ArgPart::kIntReg, kArgRegs[k]);
  ExpectStack(l.parts[6], 0, 8);
  ExpectStack(l.parts[7], 8, 8);
  EXPECT_EQ(l.stack_bytes, 16u);
  EXPECT_FALSE(l.ret_area);
  EXPECT_FALSE(l.callee_pops);
}

TEST(LayoutArgs, FloatsUseXmm0To7IndependentlyOfIntegers) {
  ArgLayout l = LayoutArgs(Sig({ir::kF64, ir::kI64, ir::kF32, ir::kF64, ir::kF64, ir::kF64, ir::kF64, ir::kF64,
                                ir::kF16, ir::kF64, ir::kI64}));
  ASSERT_EQ(l.parts.size(), 11u);
  ExpectReg(l.parts[0], ArgPart::kFloatReg, 0);
  ExpectReg(l.parts[1], ArgPart::kIntReg, kRdi);
  ExpectReg(l.parts[2], ArgPart::kFloatReg, 1);
  ExpectReg(l.parts[8], ArgPart::kFloatReg, 7);  // the f16 is the eighth float
  ExpectStack(l.parts[9], 0, 8);
  ExpectReg(l.parts[10], ArgPart::kIntReg, kRsi);
  EXPECT_EQ(l.stack_bytes, 16u);  // one slot, rounded up to 16
}

TEST(LayoutArgs, I128TakesARegisterPairOrAnAlignedStackSlot) {
  // Five integers leave one register: the i128 goes to the stack (aligned to 16 after the
  // 8-byte slot of nothing), and the last i64 still gets r9.
  ArgLayout l = LayoutArgs(Sig({ir::kI64, ir::kI64, ir::kI64, ir::kI64, ir::kI64, ir::kI128, ir::kI64}));
  ASSERT_EQ(l.parts.size(), 8u);
  ASSERT_EQ(l.first_part.size(), 7u);
  EXPECT_EQ(l.first_part[5], 5u);
  ExpectStack(l.parts[5], 0, 8);
  ExpectStack(l.parts[6], 8, 8);
  ExpectReg(l.parts[7], ArgPart::kIntReg, kR9);
  EXPECT_EQ(l.stack_bytes, 16u);

  ArgLayout pair = LayoutArgs(Sig({ir::kI64, ir::kI128}));
  ExpectReg(pair.parts[1], ArgPart::kIntReg, kRsi);
  ExpectReg(pair.parts[2], ArgPart::kIntReg, kRdx);
  EXPECT_EQ(pair.stack_bytes, 0u);

  // A stack i64 first, then a stack i128: the i128 skips to offset 16.
  ArgLayout mixed = LayoutArgs(Sig({ir::kI64, ir::kI64, ir::kI64, ir::kI64, ir::kI64, ir::kI64, ir::kI64, ir::kI128}));
  ExpectStack(mixed.parts[6], 0, 8);
  ExpectStack(mixed.parts[7], 16, 8);
  ExpectStack(mixed.parts[8], 24, 8);
  EXPECT_EQ(mixed.stack_bytes, 32u);
}

TEST(LayoutArgs, F128TakesAWholeXmmRegisterOrSixteenStackBytes) {
  ArgLayout l = LayoutArgs(Sig({ir::kF128, ir::kF64, ir::kF128, ir::kF128, ir::kF128, ir::kF128, ir::kF128, ir::kF128,
                                ir::kF64, ir::kF128}));
  ASSERT_EQ(l.parts.size(), 10u);
  ExpectReg(l.parts[0], ArgPart::kFloatReg, 0);
  ExpectReg(l.parts[7], ArgPart::kFloatReg, 7);
  ExpectStack(l.parts[8], 0, 8);
  ExpectStack(l.parts[9], 16, 16);
  EXPECT_EQ(l.stack_bytes, 32u);
}

TEST(LayoutArgs, ReturnAreaPointerComesFirst) {
  ArgLayout l = LayoutArgs(Sig({ir::kI64}, {ir::kI64, ir::kI64, ir::kI64}));
  EXPECT_TRUE(l.ret_area);
  ASSERT_EQ(l.parts.size(), 2u);
  ExpectReg(l.parts[0], ArgPart::kIntReg, kRdi);
  ExpectReg(l.parts[1], ArgPart::kIntReg, kRsi);
  EXPECT_EQ(l.first_part[0], 1u);
  // Two integers and two floats still fit the return registers; an i128 plus an integer does not.
  EXPECT_FALSE(LayoutArgs(Sig({}, {ir::kI64, ir::kF64, ir::kI64, ir::kF128})).ret_area);
  EXPECT_TRUE(LayoutArgs(Sig({}, {ir::kI128, ir::kI8})).ret_area);
}

TEST(LayoutArgs, TailConventionPopsAndFastMatchesSystemV) {
  ir::Signature tail = Sig({ir::kI64, ir::kI64, ir::kI64, ir::kI64, ir::kI64, ir::kI64, ir::kI64}, {}, ir::CallConv::kTail);
  ArgLayout t = LayoutArgs(tail);
  EXPECT_TRUE(t.callee_pops);
  EXPECT_EQ(t.stack_bytes, 16u);
  ir::Signature fast = tail;
  fast.call_conv = ir::CallConv::kFast;
  ArgLayout f = LayoutArgs(fast);
  EXPECT_FALSE(f.callee_pops);
  ASSERT_EQ(f.parts.size(), t.parts.size());
  for (size_t k = 0; k < f.parts.size(); ++k) {
    EXPECT_EQ(f.parts[k].kind, t.parts[k].kind);
    EXPECT_EQ(f.parts[k].reg, t.parts[k].reg);
    EXPECT_EQ(f.parts[k].offset, t.parts[k].offset);
  }
}

// ret imm16 pops at most 64 KiB: a `tail` function with a larger stack-argument area is an
// error, not a truncated pop. The check comes before the entry block's parameters are read,
// so the function is built with the signature alone (appending 8300 block parameters one by
// one is quadratic in the IR's list pool).
TEST(LayoutArgs, HugeTailStackArgumentAreaIsAnError) {
  ir::Function f;
  f.signature.call_conv = ir::CallConv::kTail;
  for (int k = 0; k < 8300; ++k) f.signature.params.push_back(ir::AbiParam{ir::kI64});
  EXPECT_GT(LayoutArgs(f.signature).stack_bytes, kMaxPoppedBytes);
  ir::Block b = f.dfg.MakeBlock();
  f.layout.AppendBlock(b);
  ir::InstData ret;
  ret.opcode = ir::Opcode::kReturn;
  f.layout.AppendInst(f.dfg.MakeInst(ret), b);
  VCode vc;
  absl::Status st = Lower(f, &vc, IsaFlags());
  EXPECT_NE(st.message().find("64 KiB of tail stack arguments"), std::string::npos) << st;
  // As System V (the caller pops) the same signature passes that check and fails later, on
  // the entry block that lacks its parameters.
  f.signature.call_conv = ir::CallConv::kSystemV;
  st = Lower(f, &vc, IsaFlags());
  EXPECT_NE(st.message().find("do not match the signature"), std::string::npos) << st;
}

}  // namespace
}  // namespace lathe::x64
