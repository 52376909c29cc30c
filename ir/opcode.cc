#include "ir/opcode.h"

#include "absl/container/flat_hash_map.h"

namespace lathe::ir {
namespace {

constexpr OpcodeInfo kInfo[] = {
#define OPCODE(Id, text, format, flags, ctrl, results, operands) \
  {text, Format::format, static_cast<uint16_t>(flags), ctrl, results, operands},
#include "ir/opcodes.def"
};

}  // namespace

const OpcodeInfo& Info(Opcode op) { return kInfo[static_cast<int>(op)]; }

std::optional<Opcode> OpcodeFromName(std::string_view name) {
  static const auto* const kByName = [] {
    auto* m = new absl::flat_hash_map<std::string_view, Opcode>();
    for (int i = 0; i < kNumOpcodes; ++i) m->emplace(kInfo[i].name, static_cast<Opcode>(i));
    return m;
  }();
  auto it = kByName->find(name);
  if (it == kByName->end()) return std::nullopt;
  return it->second;
}

}  // namespace lathe::ir
