#include "wasm-frontend/operator.h"

namespace lathe::wasm {
namespace {

constexpr OpcodeInfo kInfos[] = {
#define WASM_OP(Enum, prefix, code, text, imm, sig, align) \
  {prefix, code, text, Imm::imm, sig, align},
#include "wasm-frontend/opcodes.def"
#undef WASM_OP
};
static_assert(sizeof(kInfos) / sizeof(kInfos[0]) == static_cast<size_t>(Opcode::kCount),
              "one OpcodeInfo per opcode");

}  // namespace

const OpcodeInfo& GetOpcodeInfo(Opcode op) { return kInfos[static_cast<size_t>(op)]; }

}  // namespace lathe::wasm
