// Library functions that CLIF files may call by name without defining them (`%CeilF32`, ...),
// the float rounding and fma helpers a backend may lower to libcalls. Each has a fixed
// signature; the interpreter evaluates them directly.
#ifndef LATHE_TESTSUITE_INTERP_LIBCALLS_H_
#define LATHE_TESTSUITE_INTERP_LIBCALLS_H_

#include <optional>
#include <string_view>

#include "absl/types/span.h"
#include "testsuite/interp/lane.h"

namespace lathe::interp {

// The id of a known libcall name, or nullopt.
std::optional<int> LibcallId(std::string_view name);
size_t LibcallArity(int id);
// The single result of calling libcall `id` with `args`.
u128 EvalLibcall(int id, absl::Span<const u128> args);

}  // namespace lathe::interp

#endif  // LATHE_TESTSUITE_INTERP_LIBCALLS_H_
