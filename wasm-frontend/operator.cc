#include "wasm-frontend/operator.h"

namespace lathe::wasm {
const OpcodeInfo kOpcodeInfos[] = {
#define WASM_OP(Enum, prefix, code, text, imm, sig, align) \
  {prefix, code, text, Imm::imm, sig, align},
#include "wasm-frontend/opcodes.def"
#undef WASM_OP
};
static_assert(sizeof(kOpcodeInfos) / sizeof(kOpcodeInfos[0]) == static_cast<size_t>(Opcode::kCount),
              "one OpcodeInfo per opcode");

}  // namespace lathe::wasm
