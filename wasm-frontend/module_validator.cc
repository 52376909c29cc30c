#include "wasm-frontend/module_validator.h"

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "wasm-frontend/function_validator.h"
#include "wasm-frontend/operator_reader.h"
#include "wasm-frontend/wasm_error.h"

namespace lathe::wasm {
namespace {

#define RETURN_IF_ERROR_(expr)         \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (0)

constexpr uint32_t kMaxPages = 65536;  // 4 GiB of 64 KiB pages

class ModuleValidator {
 public:
  explicit ModuleValidator(const Module& m) : m_(m) {}
  absl::Status Run();

 private:
  absl::Status CheckValType(ValType t, size_t offset) const;
  absl::Status CheckLimits(const Limits& l, uint64_t bound, const char* what, size_t offset) const;
  absl::Status CheckFuncIndex(uint32_t f, size_t offset) const;
  // Validates a constant expression producing `expected`; global.get may read globals below
  // `visible_globals`. Records ref.func targets as declared references.
  absl::Status ConstExpr(const ByteRange& e, ValType expected, uint32_t visible_globals);

  const Module& m_;
  absl::flat_hash_set<uint32_t> refs_;
};

absl::Status ModuleValidator::CheckValType(ValType t, size_t offset) const {
  if (t == ValType::kV128) return InvalidError(offset, "v128 (SIMD) is not supported yet");
  return absl::OkStatus();
}

absl::Status ModuleValidator::CheckLimits(const Limits& l, uint64_t bound, const char* what,
                                          size_t offset) const {
  if (l.min > bound) {
    return InvalidError(
        offset, absl::StrCat(what, " size must be at most ", bound, " (minimum is ", l.min, ")"));
  }
  if (l.max) {
    if (*l.max > bound) {
      return InvalidError(offset, absl::StrCat(what, " size must be at most ", bound,
                                               " (maximum is ", *l.max, ")"));
    }
    if (l.min > *l.max) {
      return InvalidError(offset, absl::StrCat("size minimum must not be greater than maximum (",
                                               what, " ", l.min, " > ", *l.max, ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status ModuleValidator::CheckFuncIndex(uint32_t f, size_t offset) const {
  if (f >= m_.func_types.size()) return InvalidError(offset, absl::StrCat("unknown function ", f));
  return absl::OkStatus();
}

absl::Status ModuleValidator::ConstExpr(const ByteRange& e, ValType expected,
                                        uint32_t visible_globals) {
  OperatorReader reader(m_.bytes, e.begin, e.end);
  absl::InlinedVector<ValType, 2> stack;
  Operator op;
  for (;;) {
    RETURN_IF_ERROR_(reader.Next(&op));
    switch (op.opcode) {
      case Opcode::kI32Const:
        stack.push_back(ValType::kI32);
        continue;
      case Opcode::kI64Const:
        stack.push_back(ValType::kI64);
        continue;
      case Opcode::kF32Const:
        stack.push_back(ValType::kF32);
        continue;
      case Opcode::kF64Const:
        stack.push_back(ValType::kF64);
        continue;
      case Opcode::kRefNull:
        stack.push_back(op.type);
        continue;
      case Opcode::kRefFunc:
        RETURN_IF_ERROR_(CheckFuncIndex(op.index, op.offset));
        refs_.insert(op.index);
        stack.push_back(ValType::kFuncRef);
        continue;
      case Opcode::kGlobalGet:
        if (op.index >= visible_globals) {
          return InvalidError(op.offset,
                              absl::StrCat("unknown global ", op.index,
                                           " (not visible in this constant expression)"));
        }
        if (m_.global_types[op.index].is_mutable) {
          return InvalidError(op.offset,
                              "constant expression required (global.get of a mutable global)");
        }
        stack.push_back(m_.global_types[op.index].type);
        continue;
      case Opcode::kI32Add:
      case Opcode::kI32Sub:
      case Opcode::kI32Mul:
      case Opcode::kI64Add:
      case Opcode::kI64Sub:
      case Opcode::kI64Mul: {
        // Extended constant expressions: the spec test suite's 1.0-era files already use them.
        const ValType t =
            GetOpcodeInfo(op.opcode).signature[0] == 'i' ? ValType::kI32 : ValType::kI64;
        for (int k = 0; k < 2; ++k) {
          if (stack.empty() || stack.back() != t) {
            return InvalidError(op.offset,
                                absl::StrCat("type mismatch: ", GetOpcodeInfo(op.opcode).name,
                                             " needs two ", ValTypeName(t), " operands"));
          }
          stack.pop_back();
        }
        stack.push_back(t);
        continue;
      }
      case Opcode::kEnd:
        break;
      default:
        return InvalidError(
            op.offset, absl::StrCat("constant expression required (", GetOpcodeInfo(op.opcode).name,
                                    " is not a constant instruction)"));
    }
    break;
  }
  if (stack.size() != 1 || stack[0] != expected) {
    return InvalidError(
        e.begin, absl::StrCat("type mismatch: constant expression must produce one ",
                              ValTypeName(expected), ", it produces ", stack.size(), " value(s)",
                              stack.size() == 1 ? absl::StrCat(" of type ", ValTypeName(stack[0]))
                                                : std::string()));
  }
  return absl::OkStatus();
}

absl::Status ModuleValidator::Run() {
  for (size_t i = 0; i < m_.types.size(); ++i) {
    for (ValType v : m_.types[i].params) RETURN_IF_ERROR_(CheckValType(v, m_.type_offsets[i]));
    for (ValType v : m_.types[i].results) RETURN_IF_ERROR_(CheckValType(v, m_.type_offsets[i]));
  }
  for (const Import& imp : m_.imports) {
    switch (imp.kind) {
      case ExternKind::kFunc:
        if (imp.func_type >= m_.types.size()) {
          return InvalidError(imp.offset, absl::StrCat("unknown type ", imp.func_type));
        }
        break;
      case ExternKind::kTable:
        RETURN_IF_ERROR_(CheckLimits(imp.table.limits, UINT32_MAX, "table", imp.offset));
        break;
      case ExternKind::kMemory:
        RETURN_IF_ERROR_(CheckLimits(imp.memory.limits, kMaxPages, "memory", imp.offset));
        break;
      case ExternKind::kGlobal:
        RETURN_IF_ERROR_(CheckValType(imp.global.type, imp.offset));
        break;
    }
  }
  for (size_t i = m_.num_imported_funcs; i < m_.func_types.size(); ++i) {
    if (m_.func_types[i] >= m_.types.size()) {
      return InvalidError(m_.func_offsets[i],
                          absl::StrCat("unknown type ", m_.func_types[i], " (function ", i, ")"));
    }
  }
  for (size_t i = m_.num_imported_tables; i < m_.tables.size(); ++i) {
    RETURN_IF_ERROR_(CheckLimits(m_.tables[i].limits, UINT32_MAX, "table", m_.table_offsets[i]));
  }
  if (m_.memories.size() > 1) {
    return InvalidError(m_.memory_offsets[1],
                        "multiple memories are not allowed (multi-memory "
                        "is not supported)");
  }
  for (size_t i = m_.num_imported_memories; i < m_.memories.size(); ++i) {
    RETURN_IF_ERROR_(CheckLimits(m_.memories[i].limits, kMaxPages, "memory", m_.memory_offsets[i]));
  }
  for (size_t i = 0; i < m_.globals.size(); ++i) {
    const Global& g = m_.globals[i];
    RETURN_IF_ERROR_(CheckValType(g.type.type, g.init.begin));
    RETURN_IF_ERROR_(
        ConstExpr(g.init, g.type.type, m_.num_imported_globals + static_cast<uint32_t>(i)));
  }
  absl::flat_hash_set<std::string> export_names;
  for (const Export& e : m_.exports) {
    if (!export_names.insert(e.name).second) {
      return InvalidError(e.offset, absl::StrCat("duplicate export name \"", e.name, "\""));
    }
    switch (e.kind) {
      case ExternKind::kFunc:
        RETURN_IF_ERROR_(CheckFuncIndex(e.index, e.offset));
        refs_.insert(e.index);
        break;
      case ExternKind::kTable:
        if (e.index >= m_.tables.size())
          return InvalidError(e.offset, absl::StrCat("unknown table ", e.index));
        break;
      case ExternKind::kMemory:
        if (e.index >= m_.memories.size())
          return InvalidError(e.offset, absl::StrCat("unknown memory ", e.index));
        break;
      case ExternKind::kGlobal:
        if (e.index >= m_.global_types.size())
          return InvalidError(e.offset, absl::StrCat("unknown global ", e.index));
        break;
    }
  }
  if (m_.start) {
    RETURN_IF_ERROR_(CheckFuncIndex(*m_.start, m_.start_offset));
    const FuncType& t = m_.TypeOfFunction(*m_.start);
    if (!t.params.empty() || !t.results.empty()) {
      return InvalidError(m_.start_offset,
                          "start function must take no parameters and return nothing");
    }
  }
  const uint32_t all_globals = static_cast<uint32_t>(m_.global_types.size());
  for (const ElemSegment& seg : m_.elems) {
    if (seg.mode == SegmentMode::kActive) {
      if (seg.table >= m_.tables.size()) {
        return InvalidError(seg.offset_in_module, absl::StrCat("unknown table ", seg.table));
      }
      RETURN_IF_ERROR_(ConstExpr(seg.offset, ValType::kI32, all_globals));
      if (m_.tables[seg.table].elem != seg.type) {
        return InvalidError(
            seg.offset_in_module,
            absl::StrCat("type mismatch: element segment of ", ValTypeName(seg.type),
                         " for a table of ", ValTypeName(m_.tables[seg.table].elem)));
      }
    }
    for (uint32_t f : seg.func_indices) {
      RETURN_IF_ERROR_(CheckFuncIndex(f, seg.offset_in_module));
      refs_.insert(f);
    }
    for (const ByteRange& e : seg.exprs) RETURN_IF_ERROR_(ConstExpr(e, seg.type, all_globals));
  }
  for (const DataSegment& seg : m_.datas) {
    if (seg.mode == SegmentMode::kActive) {
      if (seg.memory >= m_.memories.size()) {
        return InvalidError(seg.offset_in_module, absl::StrCat("unknown memory ", seg.memory));
      }
      RETURN_IF_ERROR_(ConstExpr(seg.offset, ValType::kI32, all_globals));
    }
  }
  FunctionValidator fv(m_, refs_);
  for (uint32_t i = 0; i < m_.bodies.size(); ++i) RETURN_IF_ERROR_(fv.Validate(i));
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateModule(const Module& module) { return ModuleValidator(module).Run(); }

}  // namespace lathe::wasm
