// A decoded WebAssembly module, shaped for the validator and the IR translator. It refers into
// the binary it was decoded from (it does not copy it): `bytes` must outlive the Module. Code
// and constant expressions stay as byte ranges of that binary, read on demand with
// OperatorReader, so decoding is one pass with no per-operator allocation. Index spaces put
// imports first, as the spec does: `func_types[i]` is the type of function i, imported or not.
#ifndef LATHE_WASM_FRONTEND_MODULE_H_
#define LATHE_WASM_FRONTEND_MODULE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "wasm-frontend/value_type.h"

namespace lathe::wasm {

// Bytes [begin, end) of the module binary.
struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t size() const { return end - begin; }
};

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  bool operator==(const FuncType& o) const { return params == o.params && results == o.results; }
};

struct Limits {
  uint32_t min = 0;
  std::optional<uint32_t> max;
};

struct TableType {
  ValType elem = ValType::kFuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
};

struct GlobalType {
  ValType type = ValType::kI32;
  bool is_mutable = false;
};

enum class ExternKind : uint8_t { kFunc = 0, kTable = 1, kMemory = 2, kGlobal = 3 };

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t func_type = 0;  // kFunc: type index
  TableType table;         // kTable
  MemoryType memory;       // kMemory
  GlobalType global;       // kGlobal
  uint32_t offset = 0;     // of the import entry, for errors
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t index = 0;
  uint32_t offset = 0;
};

// A constant expression: its operators up to and including the final `end`.
using ConstExpr = ByteRange;

struct Global {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { kActive, kPassive, kDeclarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::kActive;
  uint32_t table = 0;  // kActive
  ConstExpr offset;    // kActive
  ValType type = ValType::kFuncRef;
  // Exactly one of these is used: function indices (the flag forms without expressions) or
  // one constant expression per element.
  bool uses_exprs = false;
  std::vector<uint32_t> func_indices;
  std::vector<ConstExpr> exprs;
  uint32_t offset_in_module = 0;  // of the segment, for errors
};

struct DataSegment {
  SegmentMode mode = SegmentMode::kActive;  // never kDeclarative
  uint32_t memory = 0;
  ConstExpr offset;  // kActive
  ByteRange init;
  uint32_t offset_in_module = 0;
};

struct LocalDecl {
  uint32_t count = 0;
  ValType type = ValType::kI32;
};

// A defined function's body.
struct FunctionBody {
  ByteRange body;  // the whole body after its size
  ByteRange code;  // the operators, after the local declarations, ending with `end`
  std::vector<LocalDecl> locals;
  uint64_t num_locals = 0;  // sum of the local counts (parameters not included)
};

struct CustomSection {
  std::string name;
  ByteRange payload;
};

struct Module {
  absl::Span<const uint8_t> bytes;

  std::vector<FuncType> types;
  std::vector<Import> imports;
  // Index spaces, imports first.
  std::vector<uint32_t> func_types;  // type index of every function
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<GlobalType> global_types;
  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  // Byte offsets of each function, table and memory declaration (its import entry if imported),
  // parallel to the index spaces above, and of the start section; for error messages.
  std::vector<uint32_t> type_offsets;  // parallel to `types`
  std::vector<uint32_t> func_offsets;
  std::vector<uint32_t> table_offsets;
  std::vector<uint32_t> memory_offsets;
  uint32_t start_offset = 0;

  std::vector<Global> globals;  // defined globals (index = num_imported_globals + i)
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::optional<uint32_t> data_count;
  std::vector<FunctionBody> bodies;  // defined functions (index = num_imported_funcs + i)
  std::vector<DataSegment> datas;
  std::vector<CustomSection> customs;

  const FuncType& TypeOfFunction(uint32_t func_index) const {
    return types[func_types[func_index]];
  }
};

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_MODULE_H_
