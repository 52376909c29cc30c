#include "wasm-frontend/operator_reader.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "wasm-frontend/wasm_error.h"

namespace lathe::wasm {
namespace {

constexpr uint16_t kNoOpcode = 0xFFFF;
constexpr uint32_t kMaxMiscSubopcode = 32;

// Byte -> opcode maps, built at compile time from the opcode table.
struct DecodeTables {
  std::array<uint16_t, 256> single{};
  std::array<uint16_t, kMaxMiscSubopcode> misc{};  // 0xFC prefix
};

constexpr DecodeTables BuildDecodeTables() {
  struct Entry {
    uint8_t prefix;
    uint32_t code;
  };
  constexpr Entry kEntries[] = {
#define WASM_OP(Enum, prefix, code, text, imm, sig, align) {prefix, code},
#include "wasm-frontend/opcodes.def"
#undef WASM_OP
  };
  DecodeTables t;
  for (auto& v : t.single) v = kNoOpcode;
  for (auto& v : t.misc) v = kNoOpcode;
  for (uint16_t i = 0; i < static_cast<uint16_t>(Opcode::kCount); ++i) {
    if (kEntries[i].prefix == 0) {
      t.single[kEntries[i].code] = i;
    } else {
      t.misc[kEntries[i].code] = i;
    }
  }
  return t;
}

constexpr DecodeTables kTables = BuildDecodeTables();

}  // namespace

absl::Status OperatorReader::ReadZeroByte(const char* what) {
  const size_t at = reader_.offset();
  auto b = reader_.ReadByte(what);
  if (!b.ok()) return b.status();
  if (*b != 0) return MalformedError(at, absl::StrCat("zero byte expected (", what, ")"));
  return absl::OkStatus();
}

absl::Status OperatorReader::Next(Operator* op) {
  const size_t at = reader_.offset();
  auto byte = reader_.ReadByte("opcode");
  if (!byte.ok()) return byte.status();
  uint16_t code = kTables.single[*byte];
  if (*byte == 0xFC) {
    auto sub = reader_.ReadU32("0xFC sub-opcode");
    if (!sub.ok()) return sub.status();
    code = *sub < kMaxMiscSubopcode ? kTables.misc[*sub] : kNoOpcode;
    if (code == kNoOpcode) {
      return MalformedError(at, absl::StrCat("illegal opcode 0xFC ", *sub));
    }
  } else if (*byte == 0xFD) {
    return MalformedError(at, "SIMD operators (0xFD prefix) are not supported yet");
  } else if (code == kNoOpcode) {
    return MalformedError(at, absl::StrCat("illegal opcode 0x", absl::Hex(*byte, absl::kZeroPad2)));
  }
  op->opcode = static_cast<Opcode>(code);
  op->offset = static_cast<uint32_t>(at);
  const OpcodeInfo& info = GetOpcodeInfo(op->opcode);
  switch (info.imm) {
    case Imm::kNone:
      return absl::OkStatus();
    case Imm::kBlockType: {
      const size_t bt_at = reader_.offset();
      if (reader_.AtEnd()) return reader_.EndError("block type");
      auto peek = BinaryReader(reader_).ReadByte("block type");
      if (*peek == 0x40) {
        reader_.ReadByte("block type").IgnoreError();
        op->block.kind = BlockType::Kind::kEmpty;
        return absl::OkStatus();
      }
      if (IsValTypeByte(*peek)) {
        reader_.ReadByte("block type").IgnoreError();
        op->block.kind = BlockType::Kind::kValue;
        op->block.value = static_cast<ValType>(*peek);
        return absl::OkStatus();
      }
      auto idx = reader_.ReadS33("block type index");
      if (!idx.ok()) return idx.status();
      if (*idx < 0)
        return MalformedError(bt_at, "malformed block type (not a value type, 0x40 or type index)");
      op->block.kind = BlockType::Kind::kTypeIndex;
      op->block.type_index = static_cast<uint32_t>(*idx);
      return absl::OkStatus();
    }
    case Imm::kIndex: {
      auto v = reader_.ReadU32(info.name);
      if (!v.ok()) return v.status();
      op->index = *v;
      return absl::OkStatus();
    }
    case Imm::kTwoIndices: {
      auto a = reader_.ReadU32(info.name);
      if (!a.ok()) return a.status();
      auto b = reader_.ReadU32(info.name);
      if (!b.ok()) return b.status();
      op->index = *a;
      op->index2 = *b;
      return absl::OkStatus();
    }
    case Imm::kBrTable: {
      auto n = reader_.ReadU32("br_table target count");
      if (!n.ok()) return n.status();
      // Each target takes at least one byte, so a count beyond the bytes left is malformed;
      // checking first keeps a lying count from allocating gigabytes.
      if (*n > reader_.remaining()) return reader_.EndError("br_table targets");
      br_targets_.clear();
      br_targets_.reserve(*n);
      for (uint32_t i = 0; i < *n; ++i) {
        auto t = reader_.ReadU32("br_table target");
        if (!t.ok()) return t.status();
        br_targets_.push_back(*t);
      }
      auto d = reader_.ReadU32("br_table default target");
      if (!d.ok()) return d.status();
      op->br_targets = br_targets_;
      op->br_default = *d;
      return absl::OkStatus();
    }
    case Imm::kSelectTypes: {
      const size_t n_at = reader_.offset();
      auto n = reader_.ReadU32("select type count");
      if (!n.ok()) return n.status();
      if (*n != 1) return InvalidError(n_at, "invalid result arity (typed select takes one type)");
      const size_t t_at = reader_.offset();
      auto t = reader_.ReadByte("select type");
      if (!t.ok()) return t.status();
      if (!IsValTypeByte(*t)) return MalformedError(t_at, "malformed value type in select");
      op->type = static_cast<ValType>(*t);
      return absl::OkStatus();
    }
    case Imm::kMemArg: {
      auto a = reader_.ReadU32("memarg alignment");
      if (!a.ok()) return a.status();
      auto o = reader_.ReadU32("memarg offset");
      if (!o.ok()) return o.status();
      op->align_log2 = *a;
      op->mem_offset = *o;
      return absl::OkStatus();
    }
    case Imm::kMemoryIndex:
      return ReadZeroByte("memory index");
    case Imm::kMemoryPair: {
      if (auto s = ReadZeroByte("destination memory index"); !s.ok()) return s;
      return ReadZeroByte("source memory index");
    }
    case Imm::kDataMemory: {
      auto d = reader_.ReadU32("data index");
      if (!d.ok()) return d.status();
      op->index = *d;
      return ReadZeroByte("memory index");
    }
    case Imm::kRefType: {
      const size_t t_at = reader_.offset();
      auto t = reader_.ReadByte("reference type");
      if (!t.ok()) return t.status();
      if (*t != static_cast<uint8_t>(ValType::kFuncRef) &&
          *t != static_cast<uint8_t>(ValType::kExternRef)) {
        return MalformedError(t_at, "malformed reference type");
      }
      op->type = static_cast<ValType>(*t);
      return absl::OkStatus();
    }
    case Imm::kI32: {
      auto v = reader_.ReadS32("i32 constant");
      if (!v.ok()) return v.status();
      op->bits = static_cast<uint32_t>(*v);
      return absl::OkStatus();
    }
    case Imm::kI64: {
      auto v = reader_.ReadS64("i64 constant");
      if (!v.ok()) return v.status();
      op->bits = static_cast<uint64_t>(*v);
      return absl::OkStatus();
    }
    case Imm::kF32: {
      auto v = reader_.ReadFixed32("f32 constant");
      if (!v.ok()) return v.status();
      op->bits = *v;
      return absl::OkStatus();
    }
    case Imm::kF64: {
      auto v = reader_.ReadFixed64("f64 constant");
      if (!v.ok()) return v.status();
      op->bits = *v;
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

}  // namespace lathe::wasm
