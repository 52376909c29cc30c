// Translates the validated function bodies of a wasm Module into Lathe IR through
// FunctionBuilder. Contract: the module must have passed ValidateModule; a body that still
// cannot be translated (or a builder misuse) yields an error status naming the byte offset,
// never a crash. Control flow is handled with explicit control and value stacks, so nesting
// depth never grows the host stack.
//
// The embedder ABI (what the generated code expects at run time):
//  - Function i is named `u0:i` (namespace configurable); its signature is (i64 vmctx, wasm params...) -> wasm results,
//    with i32/i64/f32/f64 as themselves and funcref/externref as i64 (0 is null).
//  - vmctx holds, at the offsets of VmctxLayout, the linear memory's base address and current
//    byte size (i64 each) and pointers to four arrays: global storage pointers (i64 per
//    global), table descriptors ({i64 elements, i64 length} per table, elements are i64),
//    canonical type ids (i32 per type index) and function records (i64 per function index).
//  - A function record (what a funcref points to) is {i64 code, i32 type id, i64 vmctx} at
//    offsets 0, 8, 16. Imported functions are called through their record.
//  - Memory accesses are bounds-checked explicitly against the byte size (heap_oob), unless
//    TranslateOptions::heap_guard_bytes selects guard-page elision.
//  - Bulk memory, memory.grow and table.grow/fill/copy/init, data.drop and elem.drop call
//    runtime functions `u1:N` (RuntimeFn) whose first parameter is vmctx; the ones that can
//    fail return an i32 that is non-zero when the operation must trap.
#ifndef LATHE_WASM_FRONTEND_TRANSLATOR_H_
#define LATHE_WASM_FRONTEND_TRANSLATOR_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "ir/function.h"
#include "ir/trap_code.h"
#include "wasm-frontend/module.h"

namespace lathe::wasm {

struct VmctxLayout {
  int32_t memory_base = 0;
  int32_t memory_size = 8;
  int32_t globals = 16;
  int32_t tables = 24;
  int32_t type_ids = 32;
  int32_t funcs = 40;
};

// Offsets inside a function record.
inline constexpr int32_t kFuncRecordCode = 0;
inline constexpr int32_t kFuncRecordTypeId = 8;
inline constexpr int32_t kFuncRecordVmctx = 16;

// Trap codes of wasm traps without a built-in IR trap code.
inline constexpr ir::TrapCode kTrapUnreachable{1};
inline constexpr ir::TrapCode kTrapNullFuncRef{2};      // call_indirect of a null element
inline constexpr ir::TrapCode kTrapBadSignature{3};     // call_indirect type mismatch
inline constexpr ir::TrapCode kTrapUndefinedElement{4}; // call_indirect index out of bounds
inline constexpr ir::TrapCode kTrapTableOutOfBounds{5}; // table.get/set/fill/copy/init

// Runtime functions, named `u1:<value>`.
enum class RuntimeFn : uint32_t {
  kMemoryGrow,  // (vmctx, i32 delta) -> i32 old pages or -1
  kMemoryFill,  // (vmctx, i32 dst, i32 value, i32 n) -> i32 trap?
  kMemoryCopy,  // (vmctx, i32 dst, i32 src, i32 n) -> i32 trap?
  kMemoryInit,  // (vmctx, i32 segment, i32 dst, i32 src, i32 n) -> i32 trap?
  kDataDrop,    // (vmctx, i32 segment)
  kTableGrow,   // (vmctx, i32 table, i64 init, i32 delta) -> i32 old size or -1
  kTableFill,   // (vmctx, i32 table, i32 dst, i64 value, i32 n) -> i32 trap?
  kTableCopy,   // (vmctx, i32 dst table, i32 src table, i32 dst, i32 src, i32 n) -> i32 trap?
  kTableInit,   // (vmctx, i32 table, i32 segment, i32 dst, i32 src, i32 n) -> i32 trap?
  kElemDrop,    // (vmctx, i32 segment)
  kCount
};
ir::Signature RuntimeSignature(RuntimeFn fn);

struct TranslateOptions {
  VmctxLayout vmctx;
  // Function i is named u<func_namespace>:i and runtime function N u<runtime_namespace>:N, so
  // an embedder running several modules together can keep their names apart.
  uint32_t func_namespace = 0;
  uint32_t runtime_namespace = 1;
  // Heap strategy. 0: every access is bounds-checked against the byte size in vmctx (what the
  // interpreter needs). Otherwise the embedder reserves 4 GiB + heap_guard_bytes of address
  // space per memory with everything past the accessible size unmapped, so an access whose
  // static offset + size fits in the guard needs no check (the fault is the trap).
  uint64_t heap_guard_bytes = 0;
};

// The IR type a wasm value type is represented by.
ir::Type IrType(ValType t);
// The IR signature of wasm function type `t` (with the leading vmctx parameter).
ir::Signature IrSignature(const FuncType& t);

// Translates defined function `defined_index` (function index num_imported_funcs + it).
absl::StatusOr<ir::Function> TranslateFunction(const Module& module, uint32_t defined_index,
                                               const TranslateOptions& options = {});

// Translates every defined function, in order.
absl::StatusOr<std::vector<ir::Function>> TranslateModule(const Module& module,
                                                         const TranslateOptions& options = {});

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_TRANSLATOR_H_
