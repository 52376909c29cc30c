// Checks one function body against the typing rules of WebAssembly 2.0 core (without SIMD),
// following the spec's validation algorithm: an operand stack of value types (with an
// "unknown" type for unreachable code) and a stack of control frames, both explicit, so nesting
// depth costs memory, never native stack. Errors name the byte offset, the operator and the
// rule ("type mismatch", "unknown local", "alignment must not be larger than natural", ...).
// A FunctionValidator keeps its stacks between calls, so validating many functions allocates
// only when a function needs deeper stacks than any before it.
#ifndef LATHE_WASM_FRONTEND_FUNCTION_VALIDATOR_H_
#define LATHE_WASM_FRONTEND_FUNCTION_VALIDATOR_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "wasm-frontend/module.h"
#include "wasm-frontend/operator.h"
#include "wasm-frontend/operator_reader.h"

namespace lathe::wasm {

class FunctionValidator {
 public:
  // `declared_refs` holds the function indices that ref.func may name (those referenced outside
  // function bodies: element segments, global initializers, exports). The module's index spaces
  // must already have been checked (ModuleValidator does this first).
  FunctionValidator(const Module& module, const absl::flat_hash_set<uint32_t>& declared_refs)
      : module_(module), refs_(declared_refs) {}

  // Validates defined function `defined_index` (0-based among the module's own functions).
  absl::Status Validate(uint32_t defined_index);

 private:
  // Value types on the operand stack; kUnknown stands for any type in unreachable code.
  enum : uint8_t { kUnknown = 0 };
  struct Frame {
    Opcode opcode;  // kBlock, kLoop, kIf, kElse, or kNop for the function itself
    absl::Span<const ValType> params;
    absl::Span<const ValType> results;
    uint32_t height;
    bool unreachable;
  };

  absl::Status Step(const Operator& op);
  absl::Status CheckBlockType(const Operator& op, absl::Span<const ValType>* params,
                              absl::Span<const ValType>* results);
  absl::Status PushFrame(Opcode opcode, absl::Span<const ValType> params,
                         absl::Span<const ValType> results);
  absl::Status PopFrame(const Operator& op, Frame* out);
  absl::Status Pop(const Operator& op, uint8_t* out);
  absl::Status PopExpect(const Operator& op, ValType expected);
  absl::Status PopVals(const Operator& op, absl::Span<const ValType> types);
  // Checks that the top of the stack matches `types` without popping (br_table targets).
  absl::Status PeekVals(const Operator& op, absl::Span<const ValType> types) const;
  void PushVals(absl::Span<const ValType> types);
  void Push(ValType t) { stack_.push_back(static_cast<uint8_t>(t)); }
  void Push(uint8_t t) { stack_.push_back(t); }
  void SetUnreachable();
  absl::Span<const ValType> LabelTypes(const Frame& f) const {
    return f.opcode == Opcode::kLoop ? f.params : f.results;
  }
  absl::Status LocalType(const Operator& op, ValType* out) const;
  absl::Status CheckMemory(const Operator& op) const;
  absl::Status CheckTable(const Operator& op, uint32_t index) const;
  absl::Status Error(const Operator& op, absl::string_view message) const;

  const Module& module_;
  const absl::flat_hash_set<uint32_t>& refs_;
  const FuncType* func_type_ = nullptr;
  const FunctionBody* body_ = nullptr;
  // Cumulative local counts per declaration, to find a local's type without expanding
  // (a body may legally declare billions of locals).
  std::vector<uint64_t> local_ends_;
  // All local types (parameters first) when there are few enough to expand cheaply;
  // otherwise LocalType searches local_ends_.
  bool locals_expanded_ = false;
  std::vector<ValType> local_types_;
  std::vector<uint8_t> stack_;
  std::vector<Frame> frames_;
};

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_FUNCTION_VALIDATOR_H_
