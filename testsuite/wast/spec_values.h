// Spec-test values in the JSON form ({"type": "i32", "value": "4294967295"}): parsing
// arguments to raw bits, matching results against expectations (including the
// "nan:canonical" / "nan:arithmetic" patterns) and mapping a trap's expected text to the trap
// code the wasm translator uses for it. Malformed values are errors, never crashes.
#ifndef LATHE_TESTSUITE_WAST_SPEC_VALUES_H_
#define LATHE_TESTSUITE_WAST_SPEC_VALUES_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ir/trap_code.h"
#include "testsuite/interp/lane.h"
#include "testsuite/wast/json_value.h"

namespace lathe::wast {

// The raw bits of an argument value: i32/f32 in the low 32 bits, references as
// WasmStore::ExternRef(n) or 0 for null.
absl::StatusOr<interp::u128> ParseArgValue(const JsonValue& v);

// Whether `got` matches the expected value `want`; "" if it does, else a description.
absl::StatusOr<std::string> MatchResult(const JsonValue& want, interp::u128 got);

// The trap code the translated code raises for a spec trap message, or nullopt when unknown.
std::optional<ir::TrapCode> TrapCodeForMessage(absl::string_view text);

}  // namespace lathe::wast

#endif  // LATHE_TESTSUITE_WAST_SPEC_VALUES_H_
