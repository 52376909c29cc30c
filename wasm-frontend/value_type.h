// WebAssembly value types, encoded by their binary type byte. v128 decodes (so SIMD can be added
// without touching the module structure) but the validator rejects it until SIMD is supported.
#ifndef LATHE_WASM_FRONTEND_VALUE_TYPE_H_
#define LATHE_WASM_FRONTEND_VALUE_TYPE_H_

#include <cstdint>

namespace lathe::wasm {

enum class ValType : uint8_t {
  kI32 = 0x7F,
  kI64 = 0x7E,
  kF32 = 0x7D,
  kF64 = 0x7C,
  kV128 = 0x7B,
  kFuncRef = 0x70,
  kExternRef = 0x6F,
};

// True for the bytes that encode a value type.
inline bool IsValTypeByte(uint8_t b) { return (b >= 0x7B && b <= 0x7F) || b == 0x70 || b == 0x6F; }
inline bool IsRefType(ValType t) { return t == ValType::kFuncRef || t == ValType::kExternRef; }
inline bool IsNumType(ValType t) {
  return t == ValType::kI32 || t == ValType::kI64 || t == ValType::kF32 || t == ValType::kF64;
}

// The text-format name ("i32", "funcref", ...).
inline const char* ValTypeName(ValType t) {
  switch (t) {
    case ValType::kI32:
      return "i32";
    case ValType::kI64:
      return "i64";
    case ValType::kF32:
      return "f32";
    case ValType::kF64:
      return "f64";
    case ValType::kV128:
      return "v128";
    case ValType::kFuncRef:
      return "funcref";
    case ValType::kExternRef:
      return "externref";
  }
  return "?";
}

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_VALUE_TYPE_H_
