#include "testsuite/wast/spec_values.h"

#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "testsuite/wast/wasm_store.h"
#include "wasm-frontend/translator.h"

namespace lathe::wast {
namespace {

absl::StatusOr<uint64_t> ParseBits(absl::string_view type, absl::string_view text, int width) {
  uint64_t v = 0;
  if (!absl::SimpleAtoi(text, &v)) {
    return absl::InvalidArgumentError(absl::StrCat("expected an unsigned ", type, " literal, got \"", text, "\""));
  }
  if (width == 32 && v > 0xffffffffu) {
    return absl::InvalidArgumentError(absl::StrCat(type, " literal out of range: ", text));
  }
  return v;
}

}  // namespace

absl::StatusOr<interp::u128> ParseArgValue(const JsonValue& v) {
  const absl::string_view type = v.GetString("type");
  const absl::string_view text = v.GetString("value");
  if (type == "i32" || type == "f32") return ParseBits(type, text, 32);
  if (type == "i64" || type == "f64") return ParseBits(type, text, 64);
  if (type == "externref" || type == "funcref") {
    if (text == "null") return 0;
    auto n = ParseBits(type, text, 64);
    if (!n.ok()) return n.status();
    return WasmStore::ExternRef(*n);
  }
  return absl::UnimplementedError(absl::StrCat("value type \"", type, "\" is not supported"));
}

absl::StatusOr<std::string> MatchResult(const JsonValue& want, interp::u128 got) {
  const absl::string_view type = want.GetString("type");
  const absl::string_view text = want.GetString("value");
  const uint64_t g = static_cast<uint64_t>(got);
  if ((type == "f32" || type == "f64") && absl::StartsWith(text, "nan:")) {
    const bool f32 = type == "f32";
    const uint64_t bits = f32 ? (g & 0xffffffffu) : g;
    const uint64_t exp_quiet = f32 ? 0x7fc00000u : 0x7ff8000000000000u;
    const uint64_t abs = bits & (f32 ? 0x7fffffffu : 0x7fffffffffffffffu);
    bool ok = false;
    if (text == "nan:canonical") ok = abs == exp_quiet;
    else if (text == "nan:arithmetic") ok = (abs & exp_quiet) == exp_quiet;
    else return absl::InvalidArgumentError(absl::StrCat("unknown NaN pattern ", text));
    if (ok) return std::string();
    return absl::StrCat("expected ", type, " ", text, ", got bits 0x", absl::Hex(bits));
  }
  if (type == "funcref" && text != "null") {
    return g != 0 ? std::string() : std::string("expected a non-null funcref, got null");
  }
  auto w = ParseArgValue(want);
  if (!w.ok()) return w.status();
  const bool narrow = type == "i32" || type == "f32";
  const uint64_t gm = narrow ? (g & 0xffffffffu) : g;
  if (gm == static_cast<uint64_t>(*w)) return std::string();
  return absl::StrCat("expected ", type, " ", text, ", got ", gm);
}

std::optional<ir::TrapCode> TrapCodeForMessage(absl::string_view text) {
  using ir::TrapCode;
  if (absl::StartsWith(text, "integer divide by zero")) return TrapCode(TrapCode::kIntegerDivisionByZero);
  if (absl::StartsWith(text, "integer overflow")) return TrapCode(TrapCode::kIntegerOverflow);
  if (absl::StartsWith(text, "invalid conversion to integer")) return TrapCode(TrapCode::kBadConversionToInteger);
  if (absl::StartsWith(text, "out of bounds memory access")) return TrapCode(TrapCode::kHeapOutOfBounds);
  if (absl::StartsWith(text, "unreachable")) return wasm::kTrapUnreachable;
  if (absl::StartsWith(text, "uninitialized element")) return wasm::kTrapNullFuncRef;
  if (absl::StartsWith(text, "indirect call type mismatch")) return wasm::kTrapBadSignature;
  if (absl::StartsWith(text, "undefined element")) return wasm::kTrapUndefinedElement;
  if (absl::StartsWith(text, "out of bounds table access")) return wasm::kTrapTableOutOfBounds;
  if (absl::StartsWith(text, "call stack exhausted")) return TrapCode(TrapCode::kStackOverflow);
  return std::nullopt;
}

}  // namespace lathe::wast
