#include "wasm-frontend/function_validator.h"

#include <algorithm>
#include <array>

#include "absl/strings/str_cat.h"
#include "wasm-frontend/wasm_error.h"

namespace lathe::wasm {
namespace {

// The fixed signature of an operator, decoded once from the opcode table's "params>results".
struct Signature {
  bool fixed = false;
  uint8_t num_params = 0;
  uint8_t num_results = 0;
  std::array<ValType, 3> params{};
  ValType result = ValType::kI32;
};

ValType SigChar(char c) {
  switch (c) {
    case 'i':
      return ValType::kI32;
    case 'l':
      return ValType::kI64;
    case 'f':
      return ValType::kF32;
    default:
      return ValType::kF64;  // 'd'
  }
}

const std::array<Signature, static_cast<size_t>(Opcode::kCount)>& Signatures() {
  static const auto* const table = [] {
    auto* t = new std::array<Signature, static_cast<size_t>(Opcode::kCount)>();
    for (size_t i = 0; i < t->size(); ++i) {
      const char* s = GetOpcodeInfo(static_cast<Opcode>(i)).signature;
      Signature& sig = (*t)[i];
      if (*s == '\0') continue;
      sig.fixed = true;
      for (; *s != '>'; ++s) sig.params[sig.num_params++] = SigChar(*s);
      for (++s; *s != '\0'; ++s) {
        sig.result = SigChar(*s);
        ++sig.num_results;
      }
    }
    return t;
  }();
  return *table;
}

// One-element type lists for block types written as a single value type.
constexpr ValType kSingleTypes[] = {ValType::kI32,      ValType::kI64,  ValType::kF32,
                                    ValType::kF64,      ValType::kV128, ValType::kFuncRef,
                                    ValType::kExternRef};

absl::Span<const ValType> SingleType(ValType t) {
  for (const ValType& s : kSingleTypes) {
    if (s == t) return absl::Span<const ValType>(&s, 1);
  }
  return {};
}

const char* TypeName(uint8_t t) {
  return t == 0 ? "unknown" : ValTypeName(static_cast<ValType>(t));
}

}  // namespace

absl::Status FunctionValidator::Error(const Operator& op, absl::string_view message) const {
  return InvalidError(op.offset,
                      absl::StrCat(message, " (in ", GetOpcodeInfo(op.opcode).name, ")"));
}

void FunctionValidator::SetUnreachable() {
  Frame& f = frames_.back();
  stack_.resize(f.height);
  f.unreachable = true;
}

absl::Status FunctionValidator::Pop(const Operator& op, uint8_t* out) {
  const Frame& f = frames_.back();
  if (stack_.size() == f.height) {
    if (f.unreachable) {
      *out = kUnknown;
      return absl::OkStatus();
    }
    return Error(op, "type mismatch: expected an operand but the block's stack is empty");
  }
  *out = stack_.back();
  stack_.pop_back();
  return absl::OkStatus();
}

absl::Status FunctionValidator::PopExpect(const Operator& op, ValType expected) {
  uint8_t actual;
  if (absl::Status s = Pop(op, &actual); !s.ok()) return s;
  if (actual != kUnknown && actual != static_cast<uint8_t>(expected)) {
    return Error(op, absl::StrCat("type mismatch: expected ", ValTypeName(expected), ", found ",
                                  TypeName(actual)));
  }
  return absl::OkStatus();
}

absl::Status FunctionValidator::PeekVals(const Operator& op,
                                         absl::Span<const ValType> types) const {
  const Frame& f = frames_.back();
  for (size_t k = 0; k < types.size(); ++k) {
    const ValType want = types[types.size() - 1 - k];
    if (stack_.size() - f.height <= k) {
      if (f.unreachable) return absl::OkStatus();  // the rest is polymorphic
      return Error(op, "type mismatch: expected an operand but the block's stack is empty");
    }
    const uint8_t have = stack_[stack_.size() - 1 - k];
    if (have != kUnknown && have != static_cast<uint8_t>(want)) {
      return Error(op, absl::StrCat("type mismatch: expected ", ValTypeName(want), ", found ",
                                    TypeName(have)));
    }
  }
  return absl::OkStatus();
}

absl::Status FunctionValidator::PopVals(const Operator& op, absl::Span<const ValType> types) {
  for (size_t i = types.size(); i > 0; --i) {
    if (absl::Status s = PopExpect(op, types[i - 1]); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void FunctionValidator::PushVals(absl::Span<const ValType> types) {
  for (ValType t : types) Push(t);
}

absl::Status FunctionValidator::PushFrame(Opcode opcode, absl::Span<const ValType> params,
                                          absl::Span<const ValType> results) {
  frames_.push_back(Frame{opcode, params, results, static_cast<uint32_t>(stack_.size()), false});
  PushVals(params);
  return absl::OkStatus();
}

absl::Status FunctionValidator::PopFrame(const Operator& op, Frame* out) {
  const Frame f = frames_.back();
  if (absl::Status s = PopVals(op, f.results); !s.ok()) return s;
  if (stack_.size() != f.height) {
    return Error(op, absl::StrCat("type mismatch: ", stack_.size() - f.height,
                                  " values left on the stack at the end of the block"));
  }
  frames_.pop_back();
  *out = f;
  return absl::OkStatus();
}

absl::Status FunctionValidator::CheckBlockType(const Operator& op,
                                               absl::Span<const ValType>* params,
                                               absl::Span<const ValType>* results) {
  switch (op.block.kind) {
    case BlockType::Kind::kEmpty:
      *params = {};
      *results = {};
      return absl::OkStatus();
    case BlockType::Kind::kValue:
      if (op.block.value == ValType::kV128) return Error(op, "v128 (SIMD) is not supported yet");
      *params = {};
      *results = SingleType(op.block.value);
      return absl::OkStatus();
    case BlockType::Kind::kTypeIndex:
      if (op.block.type_index >= module_.types.size()) {
        return Error(op, absl::StrCat("unknown type ", op.block.type_index));
      }
      *params = module_.types[op.block.type_index].params;
      *results = module_.types[op.block.type_index].results;
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status FunctionValidator::LocalType(const Operator& op, ValType* out) const {
  const uint32_t idx = op.index;
  if (locals_expanded_) {
    if (idx >= local_types_.size()) return Error(op, absl::StrCat("unknown local ", idx));
    *out = local_types_[idx];
    return absl::OkStatus();
  }
  const size_t np = func_type_->params.size();
  if (idx < np) {
    *out = func_type_->params[idx];
    return absl::OkStatus();
  }
  const uint64_t rel = idx - np;
  auto it = std::upper_bound(local_ends_.begin(), local_ends_.end(), rel);
  if (it == local_ends_.end()) return Error(op, absl::StrCat("unknown local ", idx));
  *out = body_->locals[it - local_ends_.begin()].type;
  return absl::OkStatus();
}

absl::Status FunctionValidator::CheckMemory(const Operator& op) const {
  if (module_.memories.empty()) return Error(op, "unknown memory 0");
  return absl::OkStatus();
}

absl::Status FunctionValidator::CheckTable(const Operator& op, uint32_t index) const {
  if (index >= module_.tables.size()) return Error(op, absl::StrCat("unknown table ", index));
  return absl::OkStatus();
}

absl::Status FunctionValidator::Validate(uint32_t defined_index) {
  const uint32_t func_index = module_.num_imported_funcs + defined_index;
  func_type_ = &module_.TypeOfFunction(func_index);
  body_ = &module_.bodies[defined_index];
  local_ends_.clear();
  uint64_t total = 0;
  for (const LocalDecl& d : body_->locals) {
    if (d.type == ValType::kV128) {
      return InvalidError(body_->body.begin, "v128 locals (SIMD) are not supported yet");
    }
    total += d.count;
    local_ends_.push_back(total);
  }
  // Expanding costs one byte per local; past this many, binary search instead.
  constexpr uint64_t kMaxExpandedLocals = 1 << 16;
  local_types_.clear();
  locals_expanded_ = total + func_type_->params.size() <= kMaxExpandedLocals;
  if (locals_expanded_) {
    local_types_.assign(func_type_->params.begin(), func_type_->params.end());
    for (const LocalDecl& d : body_->locals)
      local_types_.insert(local_types_.end(), d.count, d.type);
  }
  stack_.clear();
  frames_.clear();
  frames_.push_back(Frame{Opcode::kNop, {}, func_type_->results, 0, false});

  OperatorReader reader(module_.bytes, body_->code.begin, body_->code.end);
  Operator op;
  while (!frames_.empty()) {
    if (reader.AtEnd()) {
      return MalformedError(reader.offset(),
                            "unexpected end of function body (END opcode expected)");
    }
    if (absl::Status s = reader.Next(&op); !s.ok()) return s;
    if (absl::Status s = Step(op); !s.ok()) return s;
  }
  if (!reader.AtEnd()) {
    return MalformedError(reader.offset(),
                          "section size mismatch: operators after the function's final end");
  }
  return absl::OkStatus();
}

absl::Status FunctionValidator::Step(const Operator& op) {
#define CHECK_OK_(expr)                \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (0)
  switch (op.opcode) {
    case Opcode::kUnreachable:
      SetUnreachable();
      return absl::OkStatus();
    case Opcode::kBlock:
    case Opcode::kLoop:
    case Opcode::kIf: {
      absl::Span<const ValType> params, results;
      CHECK_OK_(CheckBlockType(op, &params, &results));
      if (op.opcode == Opcode::kIf) CHECK_OK_(PopExpect(op, ValType::kI32));
      CHECK_OK_(PopVals(op, params));
      return PushFrame(op.opcode, params, results);
    }
    case Opcode::kElse: {
      if (frames_.back().opcode != Opcode::kIf) return Error(op, "else without a matching if");
      Frame f;
      CHECK_OK_(PopFrame(op, &f));
      return PushFrame(Opcode::kElse, f.params, f.results);
    }
    case Opcode::kEnd: {
      Frame f;
      CHECK_OK_(PopFrame(op, &f));
      if (f.opcode == Opcode::kIf &&
          !std::equal(f.params.begin(), f.params.end(), f.results.begin(), f.results.end())) {
        return Error(
            op, "type mismatch: an if without else must have equal parameter and result types");
      }
      if (!frames_.empty()) PushVals(f.results);
      return absl::OkStatus();
    }
    case Opcode::kBr: {
      if (op.index >= frames_.size()) return Error(op, absl::StrCat("unknown label ", op.index));
      CHECK_OK_(PopVals(op, LabelTypes(frames_[frames_.size() - 1 - op.index])));
      SetUnreachable();
      return absl::OkStatus();
    }
    case Opcode::kBrIf: {
      if (op.index >= frames_.size()) return Error(op, absl::StrCat("unknown label ", op.index));
      CHECK_OK_(PopExpect(op, ValType::kI32));
      const auto types = LabelTypes(frames_[frames_.size() - 1 - op.index]);
      CHECK_OK_(PopVals(op, types));
      PushVals(types);
      return absl::OkStatus();
    }
    case Opcode::kBrTable: {
      CHECK_OK_(PopExpect(op, ValType::kI32));
      if (op.br_default >= frames_.size()) {
        return Error(op, absl::StrCat("unknown label ", op.br_default));
      }
      const auto default_types = LabelTypes(frames_[frames_.size() - 1 - op.br_default]);
      for (uint32_t target : op.br_targets) {
        if (target >= frames_.size()) return Error(op, absl::StrCat("unknown label ", target));
        const auto types = LabelTypes(frames_[frames_.size() - 1 - target]);
        if (types.size() != default_types.size()) {
          return Error(op, "type mismatch: br_table targets have different arities");
        }
        CHECK_OK_(PeekVals(op, types));
      }
      CHECK_OK_(PopVals(op, default_types));
      SetUnreachable();
      return absl::OkStatus();
    }
    case Opcode::kReturn:
      CHECK_OK_(PopVals(op, func_type_->results));
      SetUnreachable();
      return absl::OkStatus();
    case Opcode::kCall: {
      if (op.index >= module_.func_types.size()) {
        return Error(op, absl::StrCat("unknown function ", op.index));
      }
      const FuncType& t = module_.TypeOfFunction(op.index);
      CHECK_OK_(PopVals(op, t.params));
      PushVals(t.results);
      return absl::OkStatus();
    }
    case Opcode::kCallIndirect: {
      CHECK_OK_(CheckTable(op, op.index2));
      if (module_.tables[op.index2].elem != ValType::kFuncRef) {
        return Error(op, "type mismatch: call_indirect needs a funcref table");
      }
      if (op.index >= module_.types.size())
        return Error(op, absl::StrCat("unknown type ", op.index));
      const FuncType& t = module_.types[op.index];
      CHECK_OK_(PopExpect(op, ValType::kI32));
      CHECK_OK_(PopVals(op, t.params));
      PushVals(t.results);
      return absl::OkStatus();
    }
    case Opcode::kDrop: {
      uint8_t t;
      return Pop(op, &t);
    }
    case Opcode::kSelect: {
      CHECK_OK_(PopExpect(op, ValType::kI32));
      uint8_t t1, t2;
      CHECK_OK_(Pop(op, &t1));
      CHECK_OK_(Pop(op, &t2));
      const auto is_ref = [](uint8_t t) {
        return t != kUnknown && IsRefType(static_cast<ValType>(t));
      };
      if (is_ref(t1) || is_ref(t2)) {
        return Error(op, "type mismatch: select without a type needs numeric operands");
      }
      if (t1 != kUnknown && t2 != kUnknown && t1 != t2) {
        return Error(op, absl::StrCat("type mismatch: select operands are ", TypeName(t2), " and ",
                                      TypeName(t1)));
      }
      Push(t1 == kUnknown ? t2 : t1);
      return absl::OkStatus();
    }
    case Opcode::kSelectTyped:
      if (op.type == ValType::kV128) return Error(op, "v128 (SIMD) is not supported yet");
      CHECK_OK_(PopExpect(op, ValType::kI32));
      CHECK_OK_(PopExpect(op, op.type));
      CHECK_OK_(PopExpect(op, op.type));
      Push(op.type);
      return absl::OkStatus();
    case Opcode::kLocalGet: {
      ValType t;
      CHECK_OK_(LocalType(op, &t));
      Push(t);
      return absl::OkStatus();
    }
    case Opcode::kLocalSet: {
      ValType t;
      CHECK_OK_(LocalType(op, &t));
      return PopExpect(op, t);
    }
    case Opcode::kLocalTee: {
      ValType t;
      CHECK_OK_(LocalType(op, &t));
      CHECK_OK_(PopExpect(op, t));
      Push(t);
      return absl::OkStatus();
    }
    case Opcode::kGlobalGet:
      if (op.index >= module_.global_types.size()) {
        return Error(op, absl::StrCat("unknown global ", op.index));
      }
      Push(module_.global_types[op.index].type);
      return absl::OkStatus();
    case Opcode::kGlobalSet:
      if (op.index >= module_.global_types.size()) {
        return Error(op, absl::StrCat("unknown global ", op.index));
      }
      if (!module_.global_types[op.index].is_mutable) {
        return Error(op, absl::StrCat("immutable global ", op.index, " cannot be set"));
      }
      return PopExpect(op, module_.global_types[op.index].type);
    case Opcode::kTableGet:
      CHECK_OK_(CheckTable(op, op.index));
      CHECK_OK_(PopExpect(op, ValType::kI32));
      Push(module_.tables[op.index].elem);
      return absl::OkStatus();
    case Opcode::kTableSet:
      CHECK_OK_(CheckTable(op, op.index));
      CHECK_OK_(PopExpect(op, module_.tables[op.index].elem));
      return PopExpect(op, ValType::kI32);
    case Opcode::kRefNull:
      Push(op.type);
      return absl::OkStatus();
    case Opcode::kRefIsNull: {
      uint8_t t;
      CHECK_OK_(Pop(op, &t));
      if (t != kUnknown && !IsRefType(static_cast<ValType>(t))) {
        return Error(op, absl::StrCat("type mismatch: expected a reference, found ", TypeName(t)));
      }
      Push(ValType::kI32);
      return absl::OkStatus();
    }
    case Opcode::kRefFunc:
      if (op.index >= module_.func_types.size()) {
        return Error(op, absl::StrCat("unknown function ", op.index));
      }
      if (!refs_.contains(op.index)) {
        return Error(op, absl::StrCat("undeclared function reference ", op.index,
                                      " (not named by an element segment, export or global)"));
      }
      Push(ValType::kFuncRef);
      return absl::OkStatus();
    case Opcode::kMemoryInit:
    case Opcode::kDataDrop:
      if (op.opcode == Opcode::kMemoryInit) CHECK_OK_(CheckMemory(op));
      if (!module_.data_count) {
        return MalformedError(op.offset, absl::StrCat("data count section required (by ",
                                                      GetOpcodeInfo(op.opcode).name, ")"));
      }
      if (op.index >= *module_.data_count) {
        return Error(op, absl::StrCat("unknown data segment ", op.index));
      }
      break;  // then the fixed signature
    case Opcode::kTableInit: {
      if (op.index >= module_.elems.size()) {
        return Error(op, absl::StrCat("unknown elem segment ", op.index));
      }
      CHECK_OK_(CheckTable(op, op.index2));
      if (module_.elems[op.index].type != module_.tables[op.index2].elem) {
        return Error(op, "type mismatch: element segment and table types differ");
      }
      for (int i = 0; i < 3; ++i) CHECK_OK_(PopExpect(op, ValType::kI32));
      return absl::OkStatus();
    }
    case Opcode::kElemDrop:
      if (op.index >= module_.elems.size()) {
        return Error(op, absl::StrCat("unknown elem segment ", op.index));
      }
      return absl::OkStatus();
    case Opcode::kTableCopy:
      CHECK_OK_(CheckTable(op, op.index));
      CHECK_OK_(CheckTable(op, op.index2));
      if (module_.tables[op.index].elem != module_.tables[op.index2].elem) {
        return Error(op, "type mismatch: tables have different element types");
      }
      for (int i = 0; i < 3; ++i) CHECK_OK_(PopExpect(op, ValType::kI32));
      return absl::OkStatus();
    case Opcode::kTableGrow:
      CHECK_OK_(CheckTable(op, op.index));
      CHECK_OK_(PopExpect(op, ValType::kI32));
      CHECK_OK_(PopExpect(op, module_.tables[op.index].elem));
      Push(ValType::kI32);
      return absl::OkStatus();
    case Opcode::kTableSize:
      CHECK_OK_(CheckTable(op, op.index));
      Push(ValType::kI32);
      return absl::OkStatus();
    case Opcode::kTableFill:
      CHECK_OK_(CheckTable(op, op.index));
      CHECK_OK_(PopExpect(op, ValType::kI32));
      CHECK_OK_(PopExpect(op, module_.tables[op.index].elem));
      return PopExpect(op, ValType::kI32);
    case Opcode::kMemorySize:
    case Opcode::kMemoryGrow:
    case Opcode::kMemoryCopy:
    case Opcode::kMemoryFill:
      CHECK_OK_(CheckMemory(op));
      break;
    default:
      break;
  }
  const OpcodeInfo& info = GetOpcodeInfo(op.opcode);
  if (info.access_log2 >= 0) {
    CHECK_OK_(CheckMemory(op));
    if (op.align_log2 > static_cast<uint32_t>(info.access_log2)) {
      return Error(op, absl::StrCat("alignment must not be larger than natural (2^", op.align_log2,
                                    " > ", 1 << info.access_log2, " bytes)"));
    }
  }
  const Signature& sig = Signatures()[static_cast<size_t>(op.opcode)];
  if (!sig.fixed) return Error(op, "internal: operator has no typing rule");
  for (int i = sig.num_params; i > 0; --i) CHECK_OK_(PopExpect(op, sig.params[i - 1]));
  if (sig.num_results) Push(sig.result);
  return absl::OkStatus();
#undef CHECK_OK_
}

}  // namespace lathe::wasm
