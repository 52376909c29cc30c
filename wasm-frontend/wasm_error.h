// Errors of the wasm frontend. Every rejection of a module is an absl::Status with code
// InvalidArgument whose message starts with the byte offset it concerns, then says whether the
// binary is malformed (it does not follow the binary format) or invalid (it decodes but breaks a
// typing rule), then names the rule and what was expected:
//   "byte offset 0x1f: malformed: integer representation too long (u32 LEB128 over 5 bytes)"
//   "byte offset 0x40: invalid: type mismatch: expected i32 on the stack, found f64"
#ifndef LATHE_WASM_FRONTEND_WASM_ERROR_H_
#define LATHE_WASM_FRONTEND_WASM_ERROR_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace lathe::wasm {

inline absl::Status MalformedError(size_t offset, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("byte offset 0x", absl::Hex(offset), ": malformed: ", message));
}

inline absl::Status InvalidError(size_t offset, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("byte offset 0x", absl::Hex(offset), ": invalid: ", message));
}

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_WASM_ERROR_H_
