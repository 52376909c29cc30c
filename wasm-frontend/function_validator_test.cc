// Function-body typing rules, exercised through ValidateModule on one-function modules.
#include "wasm-frontend/function_validator.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"
#include "wasm-frontend/test_module_builder.h"

namespace lathe::wasm {
namespace {

using ::testing::HasSubstr;
using namespace ::lathe::wasm::testing;  // NOLINT: the byte builders

constexpr uint8_t I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C;

std::string Check(const Bytes& bin) {
  auto m = DecodeModule(bin);
  if (!m.ok()) return std::string(m.status().message());
  absl::Status s = ValidateModule(*m);
  return s.ok() ? "OK" : std::string(s.message());
}

std::string CheckBody(const Bytes& params, const Bytes& results, const Bytes& code,
                      const Bytes& locals = Bytes{0x00}) {
  return Check(OneFunction(params, results, code, locals));
}

TEST(FunctionValidatorTest, ArithmeticTypes) {
  EXPECT_EQ(CheckBody({I32, I32}, {I32}, {0x20, 0, 0x20, 1, 0x6A, 0x0B}), "OK");  // i32.add
  EXPECT_THAT(CheckBody({I32, I64}, {I32}, {0x20, 0, 0x20, 1, 0x6A, 0x0B}),
              HasSubstr("invalid: type mismatch: expected i32, found i64 (in i32.add)"));
  EXPECT_EQ(CheckBody({F64}, {I64}, {0x20, 0, 0xB0, 0x0B}), "OK");        // i64.trunc_f64_s
  EXPECT_EQ(CheckBody({F32}, {I32}, {0x20, 0, 0xFC, 0x00, 0x0B}), "OK");  // i32.trunc_sat_f32_s
  EXPECT_EQ(CheckBody({I64}, {I64}, {0x20, 0, 0xC4, 0x0B}), "OK");        // i64.extend32_s
}

TEST(FunctionValidatorTest, ErrorsNameTheOffset) {
  // Module layout is fixed by OneFunction: the body's first operator sits at byte 0x17 here.
  const Bytes bin = OneFunction({}, {I32}, {0x42, 0x00, 0x0B});  // i64.const where i32 expected
  std::string err = Check(bin);
  EXPECT_THAT(err, HasSubstr("invalid: type mismatch"));
  // The offset printed is the `end` operator's, which must hold 0x0B in the binary.
  const size_t pos = err.find("0x");
  ASSERT_NE(pos, std::string::npos);
  const size_t offset = std::stoul(err.substr(pos + 2), nullptr, 16);
  ASSERT_LT(offset, bin.size());
  EXPECT_EQ(bin[offset], 0x0B);
}

TEST(FunctionValidatorTest, StackHeightAtEnd) {
  EXPECT_THAT(CheckBody({}, {}, {0x41, 0x01, 0x0B}), HasSubstr("1 values left on the stack"));
  EXPECT_THAT(CheckBody({}, {I32}, {0x0B}), HasSubstr("type mismatch: expected an operand"));
}

TEST(FunctionValidatorTest, BlocksAndBranches) {
  // block (result i32) i32.const 1 br 0 end
  EXPECT_EQ(CheckBody({}, {I32}, {0x02, I32, 0x41, 1, 0x0C, 0, 0x0B, 0x0B}), "OK");
  // br to a label that does not exist
  EXPECT_THAT(CheckBody({}, {}, {0x0C, 2, 0x0B}), HasSubstr("unknown label 2"));
  // loop label takes the loop's parameters (none), so br 0 with an i32 left over is fine only
  // after dropping; here br 0 carries nothing and unreachable code after it is polymorphic.
  EXPECT_EQ(CheckBody({}, {I32}, {0x03, 0x40, 0x0C, 0, 0x0B, 0x41, 0, 0x0B}), "OK");
  // if without else must have matching params and results
  EXPECT_THAT(CheckBody({I32}, {I32}, {0x20, 0, 0x04, I32, 0x41, 1, 0x0B, 0x0B}),
              HasSubstr("if without else"));
  EXPECT_EQ(CheckBody({I32}, {I32}, {0x20, 0, 0x04, I32, 0x41, 1, 0x05, 0x41, 2, 0x0B, 0x0B}),
            "OK");
  EXPECT_THAT(CheckBody({}, {}, {0x05, 0x0B}), HasSubstr("else without a matching if"));
}

TEST(FunctionValidatorTest, UnreachableMakesTheStackPolymorphic) {
  // unreachable; i32.add; (result i32)
  EXPECT_EQ(CheckBody({}, {I32}, {0x00, 0x6A, 0x0B}), "OK");
  // ...but known operands still have to match.
  EXPECT_THAT(CheckBody({}, {I32}, {0x00, 0x42, 0, 0x6A, 0x0B}), HasSubstr("type mismatch"));
}

TEST(FunctionValidatorTest, BrTableArityAndTypes) {
  // block (result i32) block (result i32) i32.const 0 i32.const 0 br_table 0 1 end end
  EXPECT_EQ(CheckBody({}, {I32},
                      {0x02, I32, 0x02, I32, 0x41, 0, 0x41, 0, 0x0E, 1, 0, 1, 0x0B, 0x0B, 0x0B}),
            "OK");
  // Targets of different arity: inner block has no result.
  EXPECT_THAT(CheckBody({}, {I32},
                        {0x02, I32, 0x02, 0x40, 0x41, 0, 0x41, 0, 0x0E, 1, 0, 1, 0x0B, 0x41, 0,
                         0x0B, 0x0B}),
              HasSubstr("different arities"));
}

TEST(FunctionValidatorTest, MultiValueBlockTypes) {
  // type 0: [] -> [i32 i32]; func type 1 is [] -> [i32]; block (type 0) ... i32.add
  const Bytes types = Section(1, {0x02, 0x60, 0x00, 0x02, I32, I32, 0x60, 0x00, 0x01, I32});
  const Bytes body = {0x00, 0x02, 0x00, 0x41, 1, 0x41, 2, 0x0B, 0x6A, 0x0B};
  const Bytes bin = ModuleOf(
      {types, Section(3, {0x01, 0x01}), Section(10, Cat({Bytes{0x01}, Uleb(body.size()), body}))});
  EXPECT_EQ(Check(bin), "OK");
  const Bytes bad_type = {0x00, 0x02, 0x07, 0x0B, 0x41, 0, 0x0B};
  EXPECT_THAT(Check(ModuleOf({types, Section(3, {0x01, 0x01}),
                              Section(10, Cat({Bytes{0x01}, Uleb(bad_type.size()), bad_type}))})),
              HasSubstr("unknown type 7"));
}

TEST(FunctionValidatorTest, Locals) {
  const Bytes locals = {0x02, 0x03, I64, 0x01, F32};  // locals 1..3 i64, 4 f32 (param 0 i32)
  EXPECT_EQ(CheckBody({I32}, {F32}, {0x20, 4, 0x0B}, locals), "OK");
  EXPECT_EQ(CheckBody({I32}, {I64}, {0x20, 3, 0x0B}, locals), "OK");
  EXPECT_THAT(CheckBody({I32}, {}, {0x20, 5, 0x1A, 0x0B}, locals), HasSubstr("unknown local 5"));
  EXPECT_THAT(CheckBody({I32}, {}, {0x41, 0, 0x21, 1, 0x0B}, locals), HasSubstr("type mismatch"));
  // A billion locals validate without expanding them.
  const Bytes many = Cat({Bytes{0x01}, Uleb(1000000000), Bytes{I64}});
  EXPECT_EQ(CheckBody({}, {I64}, Cat({Bytes{0x20}, Uleb(999999999), Bytes{0x0B}}), many), "OK");
}

TEST(FunctionValidatorTest, SelectRules) {
  EXPECT_EQ(CheckBody({F64, F64, I32}, {F64}, {0x20, 0, 0x20, 1, 0x20, 2, 0x1B, 0x0B}), "OK");
  EXPECT_THAT(CheckBody({F64, F32, I32}, {F64}, {0x20, 0, 0x20, 1, 0x20, 2, 0x1B, 0x0B}),
              HasSubstr("type mismatch"));
  // Untyped select on references is invalid; typed select allows it.
  EXPECT_THAT(CheckBody({}, {}, {0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1B, 0x1A, 0x0B}),
              HasSubstr("numeric operands"));
  EXPECT_EQ(CheckBody({}, {}, {0xD0, 0x70, 0xD0, 0x70, 0x41, 0, 0x1C, 0x01, 0x70, 0x1A, 0x0B}),
            "OK");
}

TEST(FunctionValidatorTest, MemoryRules) {
  const Bytes types = Section(1, {0x01, 0x60, 0x00, 0x00});
  const Bytes func = Section(3, {0x01, 0x00});
  auto with_body = [&](const Bytes& code, bool memory) {
    const Bytes body = Cat({Bytes{0x00}, code});
    const Bytes code_sec = Section(10, Cat({Bytes{0x01}, Uleb(body.size()), body}));
    return memory ? ModuleOf({types, func, Section(5, {0x01, 0x00, 0x01}), code_sec})
                  : ModuleOf({types, func, code_sec});
  };
  const Bytes load = {0x41, 0, 0x28, 0x02, 0x00, 0x1A, 0x0B};  // i32.load align=4
  EXPECT_EQ(Check(with_body(load, true)), "OK");
  EXPECT_THAT(Check(with_body(load, false)), HasSubstr("unknown memory 0"));
  EXPECT_THAT(Check(with_body({0x41, 0, 0x28, 0x03, 0x00, 0x1A, 0x0B}, true)),
              HasSubstr("alignment must not be larger than natural"));
  EXPECT_THAT(Check(with_body({0x3F, 0x01, 0x1A, 0x0B}, true)), HasSubstr("zero byte expected"));
  // memory.init needs the data count section.
  EXPECT_THAT(Check(with_body({0x41, 0, 0x41, 0, 0x41, 0, 0xFC, 0x08, 0x00, 0x00, 0x0B}, true)),
              HasSubstr("data count section required"));
}

TEST(FunctionValidatorTest, Globals) {
  const Bytes types = Section(1, {0x01, 0x60, 0x00, 0x00});
  const Bytes func = Section(3, {0x01, 0x00});
  // global 0: immutable i32, global 1: mutable i64.
  const Bytes globals =
      Section(6, {0x02, 0x7F, 0x00, 0x41, 0x00, 0x0B, 0x7E, 0x01, 0x42, 0x00, 0x0B});
  auto with_body = [&](const Bytes& code) {
    const Bytes body = Cat({Bytes{0x00}, code});
    return ModuleOf(
        {types, func, globals, Section(10, Cat({Bytes{0x01}, Uleb(body.size()), body}))});
  };
  EXPECT_EQ(Check(with_body({0x23, 0x00, 0x1A, 0x42, 0x05, 0x24, 0x01, 0x0B})), "OK");
  EXPECT_THAT(Check(with_body({0x41, 0x05, 0x24, 0x00, 0x0B})), HasSubstr("immutable global 0"));
  EXPECT_THAT(Check(with_body({0x41, 0x05, 0x24, 0x01, 0x0B})),
              HasSubstr("type mismatch: expected i64"));
  EXPECT_THAT(Check(with_body({0x23, 0x02, 0x1A, 0x0B})), HasSubstr("unknown global 2"));
}

TEST(FunctionValidatorTest, TablesAndCallIndirect) {
  const Bytes types = Section(1, {0x01, 0x60, 0x00, 0x00});
  const Bytes func = Section(3, {0x01, 0x00});
  // table 0: funcref, table 1: externref.
  const Bytes tables = Section(4, {0x02, 0x70, 0x00, 0x01, 0x6F, 0x00, 0x01});
  auto with_body = [&](const Bytes& code) {
    const Bytes body = Cat({Bytes{0x00}, code});
    return ModuleOf(
        {types, func, tables, Section(10, Cat({Bytes{0x01}, Uleb(body.size()), body}))});
  };
  EXPECT_EQ(Check(with_body({0x41, 0x00, 0x11, 0x00, 0x00, 0x0B})), "OK");
  EXPECT_THAT(Check(with_body({0x41, 0x00, 0x11, 0x00, 0x01, 0x0B})),
              HasSubstr("needs a funcref table"));
  EXPECT_THAT(Check(with_body({0x41, 0x00, 0x11, 0x00, 0x02, 0x0B})), HasSubstr("unknown table 2"));
  EXPECT_THAT(Check(with_body({0x41, 0x00, 0x11, 0x03, 0x00, 0x0B})), HasSubstr("unknown type 3"));
  // table.get 1 yields externref; table.set 0 wants funcref.
  EXPECT_EQ(Check(with_body({0x41, 0x00, 0x25, 0x01, 0x1A, 0x0B})), "OK");
  EXPECT_THAT(Check(with_body({0x41, 0x00, 0x41, 0x00, 0x25, 0x01, 0x26, 0x00, 0x0B})),
              HasSubstr("type mismatch: expected funcref, found externref"));
  // table.copy between tables of different element types.
  EXPECT_THAT(Check(with_body({0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0E, 0x00, 0x01, 0x0B})),
              HasSubstr("different element types"));
  // table.grow 1: externref init value, i32 delta -> i32.
  EXPECT_EQ(Check(with_body({0xD0, 0x6F, 0x41, 0x01, 0xFC, 0x0F, 0x01, 0x1A, 0x0B})), "OK");
}

TEST(FunctionValidatorTest, SimdIsRejectedClearly) {
  EXPECT_THAT(CheckBody({}, {}, {0xFD, 0x0C, 0x0B}),
              HasSubstr("SIMD operators (0xFD prefix) are not supported yet"));
  EXPECT_THAT(CheckBody({}, {}, {0x02, 0x7B, 0x0B, 0x0B}),
              HasSubstr("v128 (SIMD) is not supported yet"));
}

TEST(FunctionValidatorTest, BodyFraming) {
  EXPECT_THAT(CheckBody({}, {}, {0x01}), HasSubstr("END opcode expected"));
  EXPECT_THAT(CheckBody({}, {}, {0x0B, 0x01}),
              HasSubstr("operators after the function's final end"));
  EXPECT_THAT(CheckBody({}, {}, {0xFF, 0x0B}), HasSubstr("illegal opcode 0xff"));
}

TEST(FunctionValidatorTest, DeepNestingUsesNoNativeStack) {
  // 200k nested blocks: validates with explicit stacks.
  Bytes code;
  for (int i = 0; i < 200000; ++i) code.insert(code.end(), {0x02, 0x40});
  for (int i = 0; i < 200000; ++i) code.push_back(0x0B);
  code.push_back(0x0B);
  EXPECT_EQ(CheckBody({}, {}, code), "OK");
}

}  // namespace
}  // namespace lathe::wasm
