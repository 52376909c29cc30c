#include "wasm-frontend/decoder.h"

#include <limits>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "wasm-frontend/binary_reader.h"
#include "wasm-frontend/operator_reader.h"
#include "wasm-frontend/wasm_error.h"

namespace lathe::wasm {
namespace {

#define RETURN_IF_ERROR_(expr)         \
  do {                                 \
    absl::Status status_ = (expr);     \
    if (!status_.ok()) return status_; \
  } while (0)

#define ASSIGN_OR_RETURN_(lhs, expr)            \
  auto lhs##_or = (expr);                       \
  if (!lhs##_or.ok()) return lhs##_or.status(); \
  auto lhs = *lhs##_or

enum SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kElem = 9,
  kCode = 10,
  kData = 11,
  kDataCount = 12,
};

// Position of each non-custom section in the required order (data count sits before code).
int SectionRank(uint8_t id) {
  switch (id) {
    case kDataCount:
      return 10;
    case kCode:
      return 11;
    case kData:
      return 12;
    default:
      return id;
  }
}

class Decoder {
 public:
  explicit Decoder(absl::Span<const uint8_t> bytes) : bytes_(bytes) { module_.bytes = bytes; }

  absl::StatusOr<Module> Run();

 private:
  absl::Status Section(uint8_t id, BinaryReader& r);
  absl::Status TypeSection(BinaryReader& r);
  absl::Status ImportSection(BinaryReader& r);
  absl::Status FunctionSection(BinaryReader& r);
  absl::Status TableSection(BinaryReader& r);
  absl::Status MemorySection(BinaryReader& r);
  absl::Status GlobalSection(BinaryReader& r);
  absl::Status ExportSection(BinaryReader& r);
  absl::Status StartSection(BinaryReader& r);
  absl::Status ElemSection(BinaryReader& r);
  absl::Status DataCountSection(BinaryReader& r);
  absl::Status CodeSection(BinaryReader& r);
  absl::Status DataSection(BinaryReader& r);

  absl::StatusOr<uint32_t> Count(BinaryReader& r, const char* what);
  absl::StatusOr<ValType> ReadValType(BinaryReader& r);
  absl::StatusOr<ValType> ReadRefType(BinaryReader& r);
  absl::StatusOr<Limits> ReadLimits(BinaryReader& r);
  absl::StatusOr<TableType> ReadTableType(BinaryReader& r);
  absl::StatusOr<GlobalType> ReadGlobalType(BinaryReader& r);
  absl::StatusOr<ConstExpr> ReadConstExpr(BinaryReader& r);

  absl::Span<const uint8_t> bytes_;
  Module module_;
  uint32_t declared_funcs_ = 0;  // entries of the function section
  bool saw_code_section_ = false;
  bool saw_data_section_ = false;
};

absl::StatusOr<uint32_t> Decoder::Count(BinaryReader& r, const char* what) {
  const size_t at = r.offset();
  ASSIGN_OR_RETURN_(n, r.ReadU32(what));
  // Every entry takes at least one byte; a larger count cannot be honest, and rejecting it
  // here keeps reserve() from allocating what the input asks for.
  if (n > r.remaining()) {
    return MalformedError(at, absl::StrCat("unexpected end: ", what, " is ", n, " but only ",
                                           r.remaining(), " bytes remain in the section"));
  }
  return n;
}

absl::StatusOr<ValType> Decoder::ReadValType(BinaryReader& r) {
  const size_t at = r.offset();
  ASSIGN_OR_RETURN_(b, r.ReadByte("value type"));
  if (!IsValTypeByte(b)) {
    return MalformedError(at, absl::StrCat("malformed value type 0x", absl::Hex(b)));
  }
  return static_cast<ValType>(b);
}

absl::StatusOr<ValType> Decoder::ReadRefType(BinaryReader& r) {
  const size_t at = r.offset();
  ASSIGN_OR_RETURN_(b, r.ReadByte("reference type"));
  if (b != static_cast<uint8_t>(ValType::kFuncRef) &&
      b != static_cast<uint8_t>(ValType::kExternRef)) {
    return MalformedError(at, absl::StrCat("malformed reference type 0x", absl::Hex(b)));
  }
  return static_cast<ValType>(b);
}

absl::StatusOr<Limits> Decoder::ReadLimits(BinaryReader& r) {
  const size_t at = r.offset();
  ASSIGN_OR_RETURN_(flags, r.ReadByte("limits flags"));
  if (flags > 1) {
    return MalformedError(at, absl::StrCat("integer too large: limits flags 0x", absl::Hex(flags),
                                           " (expected 0x00 or 0x01)"));
  }
  Limits limits;
  ASSIGN_OR_RETURN_(min, r.ReadU32("limits minimum"));
  limits.min = min;
  if (flags == 1) {
    ASSIGN_OR_RETURN_(max, r.ReadU32("limits maximum"));
    limits.max = max;
  }
  return limits;
}

absl::StatusOr<TableType> Decoder::ReadTableType(BinaryReader& r) {
  TableType t;
  ASSIGN_OR_RETURN_(elem, ReadRefType(r));
  t.elem = elem;
  ASSIGN_OR_RETURN_(limits, ReadLimits(r));
  t.limits = limits;
  return t;
}

absl::StatusOr<GlobalType> Decoder::ReadGlobalType(BinaryReader& r) {
  GlobalType g;
  ASSIGN_OR_RETURN_(type, ReadValType(r));
  g.type = type;
  const size_t at = r.offset();
  ASSIGN_OR_RETURN_(mut, r.ReadByte("global mutability"));
  if (mut > 1) return MalformedError(at, "malformed mutability (expected 0x00 or 0x01)");
  g.is_mutable = mut == 1;
  return g;
}

absl::StatusOr<ConstExpr> Decoder::ReadConstExpr(BinaryReader& r) {
  ConstExpr e;
  e.begin = static_cast<uint32_t>(r.offset());
  OperatorReader ops(bytes_, r.offset(), r.end());
  Operator op;
  // Reads to the first `end`; at the section's end, Next reports the missing `end`.
  do {
    RETURN_IF_ERROR_(ops.Next(&op));
  } while (op.opcode != Opcode::kEnd);
  e.end = static_cast<uint32_t>(ops.offset());
  RETURN_IF_ERROR_(r.Skip(e.end - e.begin, "constant expression"));
  return e;
}

absl::Status Decoder::TypeSection(BinaryReader& r) {
  ASSIGN_OR_RETURN_(n, Count(r, "type count"));
  module_.types.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const size_t at = r.offset();
    module_.type_offsets.push_back(static_cast<uint32_t>(at));
    ASSIGN_OR_RETURN_(form, r.ReadByte("type form"));
    if (form != 0x60) {
      return MalformedError(at, absl::StrCat("integer representation too long: type form 0x",
                                             absl::Hex(form), " (expected 0x60, func)"));
    }
    FuncType t;
    ASSIGN_OR_RETURN_(np, Count(r, "parameter count"));
    t.params.reserve(np);
    for (uint32_t k = 0; k < np; ++k) {
      ASSIGN_OR_RETURN_(v, ReadValType(r));
      t.params.push_back(v);
    }
    ASSIGN_OR_RETURN_(nr, Count(r, "result count"));
    t.results.reserve(nr);
    for (uint32_t k = 0; k < nr; ++k) {
      ASSIGN_OR_RETURN_(v, ReadValType(r));
      t.results.push_back(v);
    }
    module_.types.push_back(std::move(t));
  }
  return absl::OkStatus();
}

absl::Status Decoder::ImportSection(BinaryReader& r) {
  ASSIGN_OR_RETURN_(n, Count(r, "import count"));
  module_.imports.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Import imp;
    imp.offset = static_cast<uint32_t>(r.offset());
    ASSIGN_OR_RETURN_(mod, r.ReadName("import module name"));
    ASSIGN_OR_RETURN_(name, r.ReadName("import field name"));
    imp.module = std::string(mod);
    imp.name = std::string(name);
    const size_t kind_at = r.offset();
    ASSIGN_OR_RETURN_(kind, r.ReadByte("import kind"));
    switch (kind) {
      case 0: {
        ASSIGN_OR_RETURN_(t, r.ReadU32("imported function type index"));
        imp.kind = ExternKind::kFunc;
        imp.func_type = t;
        module_.func_types.push_back(t);
        module_.func_offsets.push_back(imp.offset);
        ++module_.num_imported_funcs;
        break;
      }
      case 1: {
        ASSIGN_OR_RETURN_(t, ReadTableType(r));
        imp.kind = ExternKind::kTable;
        imp.table = t;
        module_.tables.push_back(t);
        module_.table_offsets.push_back(imp.offset);
        ++module_.num_imported_tables;
        break;
      }
      case 2: {
        ASSIGN_OR_RETURN_(l, ReadLimits(r));
        imp.kind = ExternKind::kMemory;
        imp.memory.limits = l;
        module_.memories.push_back(imp.memory);
        module_.memory_offsets.push_back(imp.offset);
        ++module_.num_imported_memories;
        break;
      }
      case 3: {
        ASSIGN_OR_RETURN_(g, ReadGlobalType(r));
        imp.kind = ExternKind::kGlobal;
        imp.global = g;
        module_.global_types.push_back(g);
        ++module_.num_imported_globals;
        break;
      }
      default:
        return MalformedError(kind_at, absl::StrCat("malformed import kind 0x", absl::Hex(kind)));
    }
    module_.imports.push_back(std::move(imp));
  }
  return absl::OkStatus();
}

absl::Status Decoder::FunctionSection(BinaryReader& r) {
  ASSIGN_OR_RETURN_(n, Count(r, "function count"));
  declared_funcs_ = n;
  module_.func_types.reserve(module_.func_types.size() + n);
  for (uint32_t i = 0; i < n; ++i) {
    module_.func_offsets.push_back(static_cast<uint32_t>(r.offset()));
    ASSIGN_OR_RETURN_(t, r.ReadU32("function type index"));
    module_.func_types.push_back(t);
  }
  return absl::OkStatus();
}

absl::Status Decoder::TableSection(BinaryReader& r) {
  ASSIGN_OR_RETURN_(n, Count(r, "table count"));
  for (uint32_t i = 0; i < n; ++i) {
    module_.table_offsets.push_back(static_cast<uint32_t>(r.offset()));
    ASSIGN_OR_RETURN_(t, ReadTableType(r));
    module_.tables.push_back(t);
  }
  return absl::OkStatus();
}

absl::Status Decoder::MemorySection(BinaryReader& r) {
  ASSIGN_OR_RETURN_(n, Count(r, "memory count"));
  for (uint32_t i = 0; i < n; ++i) {
    module_.memory_offsets.push_back(static_cast<uint32_t>(r.offset()));
    ASSIGN_OR_RETURN_(l, ReadLimits(r));
    module_.memories.push_back(MemoryType{l});
  }
  return absl::OkStatus();
}

absl::Status Decoder::GlobalSection(BinaryReader& r) {
  ASSIGN_OR_RETURN_(n, Count(r, "global count"));
  module_.globals.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Global g;
    ASSIGN_OR_RETURN_(t, ReadGlobalType(r));
    g.type = t;
    ASSIGN_OR_RETURN_(init, ReadConstExpr(r));
    g.init = init;
    module_.global_types.push_back(t);
    module_.globals.push_back(g);
  }
  return absl::OkStatus();
}

absl::Status Decoder::ExportSection(BinaryReader& r) {
  ASSIGN_OR_RETURN_(n, Count(r, "export count"));
  module_.exports.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Export e;
    e.offset = static_cast<uint32_t>(r.offset());
    ASSIGN_OR_RETURN_(name, r.ReadName("export name"));
    e.name = std::string(name);
    const size_t kind_at = r.offset();
    ASSIGN_OR_RETURN_(kind, r.ReadByte("export kind"));
    if (kind > 3)
      return MalformedError(kind_at, absl::StrCat("malformed export kind 0x", absl::Hex(kind)));
    e.kind = static_cast<ExternKind>(kind);
    ASSIGN_OR_RETURN_(index, r.ReadU32("export index"));
    e.index = index;
    module_.exports.push_back(std::move(e));
  }
  return absl::OkStatus();
}

absl::Status Decoder::StartSection(BinaryReader& r) {
  module_.start_offset = static_cast<uint32_t>(r.offset());
  ASSIGN_OR_RETURN_(f, r.ReadU32("start function index"));
  module_.start = f;
  return absl::OkStatus();
}

absl::Status Decoder::ElemSection(BinaryReader& r) {
  ASSIGN_OR_RETURN_(n, Count(r, "element segment count"));
  module_.elems.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    ElemSegment seg;
    seg.offset_in_module = static_cast<uint32_t>(r.offset());
    const size_t flags_at = r.offset();
    ASSIGN_OR_RETURN_(flags, r.ReadU32("element segment flags"));
    if (flags > 7) {
      return MalformedError(
          flags_at, absl::StrCat("malformed elements segment kind ", flags, " (expected 0-7)"));
    }
    // Bit 0: passive or declarative; bit 1: explicit table index (active) or declarative
    // (otherwise); bit 2: elements are expressions rather than function indices.
    const bool not_active = flags & 1;
    const bool bit1 = flags & 2;
    seg.uses_exprs = flags & 4;
    seg.mode = !not_active ? SegmentMode::kActive
                           : (bit1 ? SegmentMode::kDeclarative : SegmentMode::kPassive);
    if (seg.mode == SegmentMode::kActive) {
      if (bit1) {
        ASSIGN_OR_RETURN_(t, r.ReadU32("element segment table index"));
        seg.table = t;
      }
      ASSIGN_OR_RETURN_(off, ReadConstExpr(r));
      seg.offset = off;
    }
    // Forms 0 and 4 imply funcref; the others spell out an element kind or type.
    if (flags != 0 && flags != 4) {
      if (seg.uses_exprs) {
        ASSIGN_OR_RETURN_(t, ReadRefType(r));
        seg.type = t;
      } else {
        const size_t kind_at = r.offset();
        ASSIGN_OR_RETURN_(kind, r.ReadByte("element kind"));
        if (kind != 0)
          return MalformedError(kind_at, "malformed element kind (expected 0x00, funcref)");
      }
    }
    ASSIGN_OR_RETURN_(count, Count(r, "element count"));
    if (seg.uses_exprs) {
      seg.exprs.reserve(count);
      for (uint32_t k = 0; k < count; ++k) {
        ASSIGN_OR_RETURN_(e, ReadConstExpr(r));
        seg.exprs.push_back(e);
      }
    } else {
      seg.func_indices.reserve(count);
      for (uint32_t k = 0; k < count; ++k) {
        ASSIGN_OR_RETURN_(f, r.ReadU32("element function index"));
        seg.func_indices.push_back(f);
      }
    }
    module_.elems.push_back(std::move(seg));
  }
  return absl::OkStatus();
}

absl::Status Decoder::DataCountSection(BinaryReader& r) {
  ASSIGN_OR_RETURN_(n, r.ReadU32("data count"));
  module_.data_count = n;
  return absl::OkStatus();
}

absl::Status Decoder::CodeSection(BinaryReader& r) {
  const size_t count_at = r.offset();
  ASSIGN_OR_RETURN_(n, Count(r, "code entry count"));
  saw_code_section_ = true;
  if (n != declared_funcs_) {
    return MalformedError(count_at, absl::StrCat("function and code section have inconsistent "
                                                 "lengths (",
                                                 declared_funcs_, " functions, ", n, " bodies)"));
  }
  module_.bodies.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    ASSIGN_OR_RETURN_(size, r.ReadU32("function body size"));
    const size_t begin = r.offset();
    RETURN_IF_ERROR_(r.Skip(size, "function body"));
    BinaryReader body(bytes_, begin, begin + size);
    FunctionBody fb;
    fb.body = {static_cast<uint32_t>(begin), static_cast<uint32_t>(begin + size)};
    ASSIGN_OR_RETURN_(ndecl, Count(body, "local declaration count"));
    fb.locals.reserve(ndecl);
    for (uint32_t k = 0; k < ndecl; ++k) {
      const size_t at = body.offset();
      ASSIGN_OR_RETURN_(c, body.ReadU32("local count"));
      ASSIGN_OR_RETURN_(t, ReadValType(body));
      fb.num_locals += c;
      if (fb.num_locals > std::numeric_limits<uint32_t>::max()) {
        return MalformedError(at, "too many locals (more than 2^32-1 in one function)");
      }
      if (c != 0) fb.locals.push_back(LocalDecl{c, t});
    }
    fb.code = {static_cast<uint32_t>(body.offset()), fb.body.end};
    module_.bodies.push_back(std::move(fb));
  }
  return absl::OkStatus();
}

absl::Status Decoder::DataSection(BinaryReader& r) {
  const size_t count_at = r.offset();
  ASSIGN_OR_RETURN_(n, Count(r, "data segment count"));
  saw_data_section_ = true;
  if (module_.data_count && *module_.data_count != n) {
    return MalformedError(count_at, absl::StrCat("data count and data section have inconsistent "
                                                 "lengths (",
                                                 *module_.data_count, " vs ", n, ")"));
  }
  module_.datas.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    DataSegment seg;
    seg.offset_in_module = static_cast<uint32_t>(r.offset());
    const size_t flags_at = r.offset();
    ASSIGN_OR_RETURN_(flags, r.ReadU32("data segment flags"));
    if (flags > 2) {
      return MalformedError(flags_at,
                            absl::StrCat("malformed data segment kind ", flags, " (expected 0-2)"));
    }
    seg.mode = flags == 1 ? SegmentMode::kPassive : SegmentMode::kActive;
    if (flags == 2) {
      ASSIGN_OR_RETURN_(m, r.ReadU32("data segment memory index"));
      seg.memory = m;
    }
    if (seg.mode == SegmentMode::kActive) {
      ASSIGN_OR_RETURN_(off, ReadConstExpr(r));
      seg.offset = off;
    }
    ASSIGN_OR_RETURN_(size, r.ReadU32("data segment size"));
    const size_t begin = r.offset();
    RETURN_IF_ERROR_(r.Skip(size, "data segment bytes"));
    seg.init = {static_cast<uint32_t>(begin), static_cast<uint32_t>(begin + size)};
    module_.datas.push_back(std::move(seg));
  }
  return absl::OkStatus();
}

absl::Status Decoder::Section(uint8_t id, BinaryReader& r) {
  switch (id) {
    case kType:
      return TypeSection(r);
    case kImport:
      return ImportSection(r);
    case kFunction:
      return FunctionSection(r);
    case kTable:
      return TableSection(r);
    case kMemory:
      return MemorySection(r);
    case kGlobal:
      return GlobalSection(r);
    case kExport:
      return ExportSection(r);
    case kStart:
      return StartSection(r);
    case kElem:
      return ElemSection(r);
    case kCode:
      return CodeSection(r);
    case kData:
      return DataSection(r);
    case kDataCount:
      return DataCountSection(r);
  }
  return absl::OkStatus();
}

absl::StatusOr<Module> Decoder::Run() {
  if (bytes_.size() > std::numeric_limits<uint32_t>::max()) {
    return MalformedError(0, "module larger than 4 GiB");
  }
  BinaryReader r(bytes_);
  ASSIGN_OR_RETURN_(magic, r.ReadFixed32("magic header"));
  if (magic != 0x6D736100) return MalformedError(0, "magic header not detected (expected \\0asm)");
  ASSIGN_OR_RETURN_(version, r.ReadFixed32("version"));
  if (version != 1)
    return MalformedError(4, absl::StrCat("unknown binary version ", version, " (expected 1)"));
  int last_rank = 0;
  while (!r.AtEnd()) {
    const size_t id_at = r.offset();
    ASSIGN_OR_RETURN_(id, r.ReadByte("section id"));
    if (id > kDataCount) {
      return MalformedError(id_at, absl::StrCat("malformed section id ", static_cast<int>(id)));
    }
    ASSIGN_OR_RETURN_(size, r.ReadU32("section size"));
    const size_t begin = r.offset();
    if (size > r.remaining()) {
      return MalformedError(begin, absl::StrCat("unexpected end: section size ", size,
                                                " exceeds the ", r.remaining(), " bytes left"));
    }
    BinaryReader section(bytes_, begin, begin + size);
    if (id == kCustom) {
      ASSIGN_OR_RETURN_(name, section.ReadName("custom section name"));
      module_.customs.push_back(CustomSection{
          std::string(name),
          {static_cast<uint32_t>(section.offset()), static_cast<uint32_t>(begin + size)}});
    } else {
      const int rank = SectionRank(id);
      if (rank <= last_rank) {
        return MalformedError(id_at,
                              absl::StrCat("unexpected content after last section: section ",
                                           static_cast<int>(id), " is out of order or repeated"));
      }
      last_rank = rank;
      RETURN_IF_ERROR_(Section(id, section));
      if (!section.AtEnd()) {
        return MalformedError(section.offset(),
                              absl::StrCat("section size mismatch: section ", static_cast<int>(id),
                                           " has ", section.remaining(), " unread bytes"));
      }
    }
    RETURN_IF_ERROR_(r.Skip(size, "section"));
  }
  if (declared_funcs_ != 0 && !saw_code_section_) {
    return MalformedError(bytes_.size(),
                          "function and code section have inconsistent lengths "
                          "(functions declared but no code section)");
  }
  if (module_.data_count && *module_.data_count != 0 && !saw_data_section_) {
    return MalformedError(bytes_.size(),
                          "data count and data section have inconsistent lengths "
                          "(data count given but no data section)");
  }
  return std::move(module_);
}

}  // namespace

absl::StatusOr<Module> DecodeModule(absl::Span<const uint8_t> bytes) {
  return Decoder(bytes).Run();
}

}  // namespace lathe::wasm
