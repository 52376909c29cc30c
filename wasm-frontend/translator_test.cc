#include "wasm-frontend/translator.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "ir/printer.h"
#include "ir/verifier.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"
#include "wasm-frontend/test_module_builder.h"

namespace lathe::wasm {
namespace {

using testing::Bytes;
using testing::Cat;
using testing::OneFunction;

constexpr uint8_t kI32 = 0x7F, kI64 = 0x7E;

// Decodes, validates and translates the only function of `bytes`; returns its printed IR
// after checking that the verifier accepts it.
std::string Translate(const Bytes& bytes, bool validate = true) {
  auto m = DecodeModule(bytes);
  EXPECT_TRUE(m.ok()) << m.status();
  if (!m.ok()) return "";
  if (validate) {
    absl::Status v = ValidateModule(*m);
    EXPECT_TRUE(v.ok()) << v;
  }
  auto f = TranslateFunction(*m, 0);
  EXPECT_TRUE(f.ok()) << f.status();
  if (!f.ok()) return "";
  absl::Status s = ir::VerifyFunction(*f);
  EXPECT_TRUE(s.ok()) << s << "\n" << ir::PrintFunction(*f);
  return ir::PrintFunction(*f);
}

TEST(TranslatorTest, SignatureHasVmctxAndWasmParams) {
  // (i32, i32) -> i32: local.get 0, local.get 1, i32.add
  std::string ir = Translate(OneFunction({kI32, kI32}, {kI32}, {0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B}));
  EXPECT_TRUE(absl::StrContains(ir, "function u0:0(i64 vmctx, i32, i32) -> i32")) << ir;
  EXPECT_TRUE(absl::StrContains(ir, "iadd")) << ir;
}

TEST(TranslatorTest, DivisionAndConversionsUseTrappingOpcodes) {
  std::string div = Translate(OneFunction({kI32, kI32}, {kI32}, {0x20, 0x00, 0x20, 0x01, 0x6D, 0x0B}));
  EXPECT_TRUE(absl::StrContains(div, "sdiv")) << div;
  // i64.trunc_f64_s via reinterpret of a param: local.get 0 (i64), f64.reinterpret_i64, i64.trunc_f64_s
  std::string cvt = Translate(OneFunction({kI64}, {kI64}, {0x20, 0x00, 0xBF, 0xB0, 0x0B}));
  EXPECT_TRUE(absl::StrContains(cvt, "bitcast.f64")) << cvt;
  EXPECT_TRUE(absl::StrContains(cvt, "fcvt_to_sint.i64")) << cvt;
  // i32.trunc_sat_f32_u (0xFC 1) of f32.reinterpret_i32
  std::string sat = Translate(OneFunction({kI32}, {kI32}, {0x20, 0x00, 0xBE, 0xFC, 0x01, 0x0B}));
  EXPECT_TRUE(absl::StrContains(sat, "fcvt_to_uint_sat.i32")) << sat;
}

TEST(TranslatorTest, SignExtensionNarrowsThenExtends) {
  std::string ir = Translate(OneFunction({kI32}, {kI32}, {0x20, 0x00, 0xC0, 0x0B}));
  EXPECT_TRUE(absl::StrContains(ir, "ireduce.i8")) << ir;
  EXPECT_TRUE(absl::StrContains(ir, "sextend.i32")) << ir;
}

TEST(TranslatorTest, MemoryAccessIsBoundsChecked) {
  // One memory, function (i32) -> i32: local.get 0, i32.load8_u offset=5
  const Bytes type = {0x01, 0x60, 0x01, kI32, 0x01, kI32};
  const Bytes body = {0x00, 0x20, 0x00, 0x2D, 0x00, 0x05, 0x0B};
  Bytes mod = testing::ModuleOf({testing::Section(1, type), testing::Section(3, {0x01, 0x00}),
                                 testing::Section(5, {0x01, 0x00, 0x01}),
                                 testing::Section(10, Cat({Bytes{0x01}, testing::Uleb(body.size()), body}))});
  std::string ir = Translate(mod);
  EXPECT_TRUE(absl::StrContains(ir, "trapnz")) << ir;
  EXPECT_TRUE(absl::StrContains(ir, "heap_oob")) << ir;
  EXPECT_TRUE(absl::StrContains(ir, "uload8.i32")) << ir;
  EXPECT_TRUE(absl::StrContains(ir, "iconst.i64 6")) << ir;  // offset 5 + 1 byte
}

TEST(TranslatorTest, GuardPagesElideChecksWithinTheGuard) {
  const Bytes type = {0x01, 0x60, 0x01, kI32, 0x01, kI32};
  // i32.load offset=5, and i32.load offset=0x10000 (a u32 LEB of 3 bytes)
  const Bytes body = {0x00, 0x20, 0x00, 0x28, 0x02, 0x05, 0x20, 0x00,
                      0x28, 0x02, 0x80, 0x80, 0x04, 0x6A, 0x0B};
  Bytes mod = testing::ModuleOf({testing::Section(1, type), testing::Section(3, {0x01, 0x00}),
                                 testing::Section(5, {0x01, 0x00, 0x01}),
                                 testing::Section(10, Cat({Bytes{0x01}, testing::Uleb(body.size()), body}))});
  auto m = DecodeModule(mod);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE(ValidateModule(*m).ok());
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
  };
  TranslateOptions checked;
  auto a = TranslateFunction(*m, 0, checked);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(count(ir::PrintFunction(*a), "heap_oob"), 2u);
  TranslateOptions guarded;
  guarded.heap_guard_bytes = 0x1000;  // covers offset 5 + 4, not 0x10000 + 4
  auto b = TranslateFunction(*m, 0, guarded);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_TRUE(ir::VerifyFunction(*b).ok());
  EXPECT_EQ(count(ir::PrintFunction(*b), "heap_oob"), 1u) << ir::PrintFunction(*b);
}

TEST(TranslatorTest, LoopWithResultAndBranches) {
  // (i32) -> i32: block (result i32) loop local.get 0 i32.eqz br_if 1?; count down.
  //   block i32: i32.const 7; local.get 0; br_if 0; drop; i32.const 9; end
  std::string ir = Translate(OneFunction(
      {kI32}, {kI32},
      {0x02, kI32, 0x41, 0x07, 0x20, 0x00, 0x0D, 0x00, 0x1A, 0x41, 0x09, 0x0B, 0x0B}));
  EXPECT_TRUE(absl::StrContains(ir, "brif")) << ir;
  // loop: local.get 0, i32.const 1, i32.sub, local.tee 0, br_if 0 (back edge), end, local.get 0
  std::string loop = Translate(OneFunction(
      {kI32}, {kI32},
      {0x03, 0x40, 0x20, 0x00, 0x41, 0x01, 0x6B, 0x22, 0x00, 0x0D, 0x00, 0x0B, 0x20, 0x00, 0x0B}));
  EXPECT_TRUE(absl::StrContains(loop, "isub")) << loop;
}

TEST(TranslatorTest, BrTableUsesEdgeBlocksForArguments) {
  // block (result i32) block: i32.const 3, local.get 0, br_table [0 1] 1 -> both labels...
  // outer block result i32: i32.const 5, local.get 0, br_table [0] 0, end
  std::string ir = Translate(OneFunction({kI32}, {kI32},
                                         {0x02, kI32, 0x41, 0x05, 0x20, 0x00, 0x0E, 0x01, 0x00, 0x00, 0x0B, 0x0B}));
  EXPECT_TRUE(absl::StrContains(ir, "br_table")) << ir;
}

TEST(TranslatorTest, UnreachableCodeIsSkipped) {
  // unreachable, then ill-typed-looking but valid dead code: i32.add, end
  std::string ir = Translate(OneFunction({}, {kI32}, {0x00, 0x6A, 0x0B}));
  EXPECT_TRUE(absl::StrContains(ir, "trap user1")) << ir;
  EXPECT_FALSE(absl::StrContains(ir, "iadd")) << ir;
}

TEST(TranslatorTest, DeepNestingDoesNotRecurse) {
  constexpr int kDepth = 100000;
  Bytes code;
  for (int i = 0; i < kDepth; ++i) code.insert(code.end(), {0x02, 0x40});
  for (int i = 0; i < kDepth; ++i) code.push_back(0x0B);
  code.push_back(0x0B);
  const Bytes bytes = OneFunction({}, {}, code);  // the Module refers into it
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok()) << m.status();
  auto f = TranslateFunction(*m, 0);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_TRUE(ir::VerifyFunction(*f).ok());
}

TEST(TranslatorTest, UnvalidatedBodyIsAnErrorNotACrash) {
  // i32.add with an empty stack in a function returning i32 (never validated).
  const Bytes bytes = OneFunction({}, {kI32}, {0x6A, 0x0B});
  auto m = DecodeModule(bytes);
  ASSERT_TRUE(m.ok()) << m.status();
  auto f = TranslateFunction(*m, 0);
  ASSERT_FALSE(f.ok());
  EXPECT_TRUE(absl::StartsWith(f.status().message(), "byte offset 0x")) << f.status();
  EXPECT_TRUE(absl::StrContains(f.status().message(), "function 0")) << f.status();
  EXPECT_FALSE(TranslateFunction(*m, 7).ok());
}

TEST(TranslatorTest, CallIndirectChecksNullBoundsAndSignature) {
  // type 0: () -> i32; table of 1 funcref; func 0 body: i32.const 0, call_indirect type 0 table 0
  const Bytes type = {0x01, 0x60, 0x00, 0x01, kI32};
  const Bytes body = {0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0B};
  Bytes mod = testing::ModuleOf({testing::Section(1, type), testing::Section(3, {0x01, 0x00}),
                                 testing::Section(4, {0x01, 0x70, 0x00, 0x01}),
                                 testing::Section(10, Cat({Bytes{0x01}, testing::Uleb(body.size()), body}))});
  std::string ir = Translate(mod);
  EXPECT_TRUE(absl::StrContains(ir, "trapnz")) << ir;
  EXPECT_TRUE(absl::StrContains(ir, "user4")) << ir;  // index out of bounds
  EXPECT_TRUE(absl::StrContains(ir, "trapz")) << ir;
  EXPECT_TRUE(absl::StrContains(ir, "user2")) << ir;  // null element
  EXPECT_TRUE(absl::StrContains(ir, "user3")) << ir;  // signature mismatch
  EXPECT_TRUE(absl::StrContains(ir, "call_indirect")) << ir;
}

}  // namespace
}  // namespace lathe::wasm
