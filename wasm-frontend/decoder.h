// Decodes a WebAssembly binary (the 2.0 core format, plus the SIMD value type byte) into a
// Module. It checks everything the binary format requires: magic and version, section ids,
// order and exact sizes, LEB128 lengths and ranges, UTF-8 names, flag bytes, and that the
// function/code and data-count/data sections agree. Custom sections (the name section
// included) are recorded, not interpreted. Function bodies are split into local declarations
// and a code range; their operators are decoded later by OperatorReader (the validator does so
// for every body). Typing rules are not checked here: run Validate on the result.
#ifndef LATHE_WASM_FRONTEND_DECODER_H_
#define LATHE_WASM_FRONTEND_DECODER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "wasm-frontend/module.h"

namespace lathe::wasm {

// `bytes` must outlive the returned Module. Errors are "malformed" errors (wasm_error.h).
absl::StatusOr<Module> DecodeModule(absl::Span<const uint8_t> bytes);

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_DECODER_H_
