// Opcodes and their static description, generated from the single table in opcodes.def.
// `Info(op)` gives the name, format, flags and type constraints; `OpcodeFromName` maps text to
// an opcode (nullopt for unknown names).
#ifndef LATHE_IR_OPCODE_H_
#define LATHE_IR_OPCODE_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "ir/instruction_format.h"

namespace lathe::ir {

enum class Opcode : uint8_t {
#define OPCODE(Id, text, format, flags, ctrl, results, operands) k##Id,
#include "ir/opcodes.def"
};

inline constexpr int kNumOpcodes = 0
#define OPCODE(Id, text, format, flags, ctrl, results, operands) +1
#include "ir/opcodes.def"
    ;

// Opcode flags (bit set).
enum OpcodeFlag : uint16_t {
  kTerm = 1 << 0,    // must be the last instruction of a block
  kBranch = 1 << 1,  // transfers control to blocks named in the instruction
  kCall = 1 << 2,
  kReturn = 1 << 3,
  kLoad = 1 << 4,
  kStore = 1 << 5,
  kTrap = 1 << 6,
  kSide = 1 << 7,  // other side effects
};

// Where an opcode's controlling type comes from; values >= 0 name an operand index.
inline constexpr int8_t kMono = -1;
inline constexpr int8_t kSuffix = -2;

struct OpcodeInfo {
  const char* name;
  Format format;
  uint16_t flags;
  int8_t ctrl;
  const char* results;   // one constraint letter per fixed result (see opcodes.def)
  const char* operands;  // one constraint letter per fixed value operand
};

const OpcodeInfo& Info(Opcode op);
inline const char* Name(Opcode op) { return Info(op).name; }
std::optional<Opcode> OpcodeFromName(std::string_view name);

}  // namespace lathe::ir

#endif  // LATHE_IR_OPCODE_H_
