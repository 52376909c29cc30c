// Validates a decoded Module against the WebAssembly 2.0 core typing rules without SIMD:
// index spaces (types, functions, tables, memories, globals, segments), limits, constant
// expressions, unique export names, the start function, element/table type agreement, declared
// function references, then every function body (FunctionValidator). Stops at the first error,
// which names the byte offset and the rule. v128 anywhere is rejected as unsupported (SIMD).
//
// Constant expressions: i32/i64/f32/f64.const, ref.null, ref.func, global.get of an
// immutable global, and (extended constant expressions, which the spec suite's older files
// already use) i32/i64 add, sub and mul. A global initializer may read imported globals and (as the
// current spec and its test suite allow) earlier immutable globals; offsets may read any immutable
// global.
#ifndef LATHE_WASM_FRONTEND_MODULE_VALIDATOR_H_
#define LATHE_WASM_FRONTEND_MODULE_VALIDATOR_H_

#include "absl/status/status.h"
#include "wasm-frontend/module.h"

namespace lathe::wasm {

absl::Status ValidateModule(const Module& module);

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_MODULE_VALIDATOR_H_
