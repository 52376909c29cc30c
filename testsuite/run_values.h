// The literals of `; run:` directives, typed by the function they call: integers (decimal,
// negative, hex bit patterns, `_` separators, `true`/`false`), floats in CLIF notation
// (hex floats, `+Inf`, `NaN`, `-NaN:0x1`, `sNaN:0x1`), and vectors written `[a b c d]` with
// one literal per lane. Values are interpreter bit patterns (testsuite/interp/lane.h).
// Equality is bit equality of the type's bits, so NaN payloads and signed zeros matter.
#ifndef LATHE_TESTSUITE_RUN_VALUES_H_
#define LATHE_TESTSUITE_RUN_VALUES_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "ir/types.h"
#include "testsuite/interp/lane.h"

namespace lathe::testsuite {

using interp::u128;

// An error says what was expected for `type` (the caller adds the location).
absl::StatusOr<u128> ParseRunValue(std::string_view text, ir::Type type);
std::string FormatRunValue(u128 value, ir::Type type);
bool RunValuesEqual(u128 a, u128 b, ir::Type type);

}  // namespace lathe::testsuite

#endif  // LATHE_TESTSUITE_RUN_VALUES_H_
