// One decoded WebAssembly operator: its opcode (from opcodes.def), byte offset and immediates.
// The opcode table also gives each opcode's text name, immediate layout, fixed type signature
// (when it has one) and natural alignment, so the validator and the translator share one source
// of truth about every operator.
#ifndef LATHE_WASM_FRONTEND_OPERATOR_H_
#define LATHE_WASM_FRONTEND_OPERATOR_H_

#include <cstddef>
#include <cstdint>

#include "absl/types/span.h"
#include "wasm-frontend/value_type.h"

namespace lathe::wasm {

enum class Opcode : uint16_t {
#define WASM_OP(Enum, prefix, code, text, imm, sig, align) k##Enum,
#include "wasm-frontend/opcodes.def"
#undef WASM_OP
  kCount
};

// How an operator's immediates are laid out in the binary.
enum class Imm : uint8_t {
  kNone,
  kBlockType,    // block, loop, if
  kIndex,        // one u32 index (label, function, local, global, table, data or element)
  kTwoIndices,   // call_indirect (type, table), table.init (elem, table), table.copy (dst, src)
  kBrTable,      // vec(label) then default label
  kSelectTypes,  // vec(valtype), which must have one entry
  kMemArg,       // alignment exponent and offset
  kMemoryIndex,  // memory.size/grow/fill: a zero byte (the only memory)
  kMemoryPair,   // memory.copy: two zero bytes
  kDataMemory,   // memory.init: data index then a zero byte
  kRefType,      // ref.null: a reference type byte
  kI32,
  kI64,
  kF32,
  kF64,
};

struct OpcodeInfo {
  uint8_t prefix;    // 0 or 0xFC
  uint32_t code;     // byte or, with a prefix, the u32 sub-opcode
  const char* name;  // text-format name
  Imm imm;
  const char* signature;  // "params>results" over i/l/f/d, or "" if typed by special rules
  int8_t access_log2;     // natural alignment of loads/stores, -1 otherwise
};

// One entry per Opcode, in enum order (defined in operator.cc from opcodes.def).
extern const OpcodeInfo kOpcodeInfos[];

inline const OpcodeInfo& GetOpcodeInfo(Opcode op) { return kOpcodeInfos[static_cast<size_t>(op)]; }

struct BlockType {
  enum class Kind : uint8_t { kEmpty, kValue, kTypeIndex };
  Kind kind = Kind::kEmpty;
  ValType value = ValType::kI32;  // for kValue
  uint32_t type_index = 0;        // for kTypeIndex
};

struct Operator {
  Opcode opcode = Opcode::kNop;
  uint32_t offset = 0;  // of the opcode byte in the module
  // kIndex: index; kTwoIndices: index then index2; kDataMemory: data index.
  uint32_t index = 0;
  uint32_t index2 = 0;
  // Constants as raw bits: i32 zero-extended from its 32 bits, i64, f32 bits, f64 bits.
  uint64_t bits = 0;
  BlockType block;
  ValType type = ValType::kI32;  // ref.null's type, typed select's type
  uint32_t align_log2 = 0;       // memarg
  uint32_t mem_offset = 0;       // memarg
  // br_table: the targets without the default; valid until the reader's next call.
  absl::Span<const uint32_t> br_targets;
  uint32_t br_default = 0;
};

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_OPERATOR_H_
