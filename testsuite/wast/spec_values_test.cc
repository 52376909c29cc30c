#include "testsuite/wast/spec_values.h"

#include "gtest/gtest.h"
#include "testsuite/wast/wasm_store.h"
#include "wasm-frontend/translator.h"

namespace lathe::wast {
namespace {

JsonValue Val(const char* type, const char* value) {
  auto v = ParseJson(std::string("{\"type\": \"") + type + "\", \"value\": \"" + value + "\"}");
  EXPECT_TRUE(v.ok());
  return *v;
}

TEST(SpecValuesTest, ParsesArgumentsAsRawBits) {
  EXPECT_EQ(*ParseArgValue(Val("i32", "4294967295")), interp::u128{0xffffffffu});
  EXPECT_EQ(*ParseArgValue(Val("f64", "9218868437227405312")), interp::u128{0x7ff0000000000000u});
  EXPECT_EQ(*ParseArgValue(Val("externref", "null")), 0u);
  EXPECT_EQ(*ParseArgValue(Val("externref", "3")), interp::u128{WasmStore::ExternRef(3)});
  EXPECT_FALSE(ParseArgValue(Val("i32", "4294967296")).ok());
  EXPECT_FALSE(ParseArgValue(Val("i32", "-1")).ok());
  EXPECT_FALSE(ParseArgValue(Val("v128", "0")).ok());
}

TEST(SpecValuesTest, MatchesNanPatterns) {
  EXPECT_EQ(*MatchResult(Val("f32", "nan:canonical"), 0x7fc00000u), "");
  EXPECT_EQ(*MatchResult(Val("f32", "nan:canonical"), 0xffc00000u), "");
  EXPECT_NE(*MatchResult(Val("f32", "nan:canonical"), 0x7fc00001u), "");
  EXPECT_EQ(*MatchResult(Val("f32", "nan:arithmetic"), 0x7fc00001u), "");
  EXPECT_NE(*MatchResult(Val("f32", "nan:arithmetic"), 0x7f800001u), "");  // signalling
  EXPECT_EQ(*MatchResult(Val("f64", "nan:canonical"), 0x7ff8000000000000u), "");
  EXPECT_NE(*MatchResult(Val("f64", "nan:arithmetic"), 0x3ff0000000000000u), "");
}

TEST(SpecValuesTest, ComparesOnlyTheValueWidth) {
  EXPECT_EQ(*MatchResult(Val("i32", "1"), (interp::u128{5} << 32) | 1), "");
  EXPECT_NE(*MatchResult(Val("i64", "1"), (interp::u128{5} << 32) | 1), "");
  EXPECT_EQ(*MatchResult(Val("funcref", "7"), 1234), "");  // any non-null
  EXPECT_NE(*MatchResult(Val("funcref", "null"), 1234), "");
}

TEST(SpecValuesTest, MapsTrapMessagesToTranslatorCodes) {
  EXPECT_EQ(*TrapCodeForMessage("integer divide by zero"), ir::TrapCode(ir::TrapCode::kIntegerDivisionByZero));
  EXPECT_EQ(*TrapCodeForMessage("uninitialized element 2"), wasm::kTrapNullFuncRef);
  EXPECT_EQ(*TrapCodeForMessage("indirect call type mismatch"), wasm::kTrapBadSignature);
  EXPECT_FALSE(TrapCodeForMessage("something else").has_value());
}

}  // namespace
}  // namespace lathe::wast
