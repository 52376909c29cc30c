// Target-neutral description of where a call's arguments travel, filled by each target's
// calling-convention rules (x86-64 System V: isa/x64/abi.h LayoutArgs). Consumers — the
// lowering of calls and entry blocks, the JIT's entry trampoline — read it without knowing the
// convention.
#pragma once

#include <cstdint>
#include <vector>

namespace lathe::isa {

// One register-sized part of an argument: an integer register, a float/vector register (the
// whole register for 128-bit values), or the stack at `offset` bytes above the return address
// slot (the caller's outgoing area at the call).
struct ArgPart {
  enum Kind : uint8_t { kIntReg, kFloatReg, kStack } kind = kIntReg;
  uint8_t reg = 0;     // hardware number within its class
  uint8_t bytes = 8;   // stack parts: 8, or 16 for 128-bit values
  uint32_t offset = 0;
};

// The argument locations of a signature: the hidden return-area pointer first when the
// returns go through memory, then each parameter's parts in order (a value wider than a
// register has several).
struct ArgLayout {
  bool ret_area = false;
  std::vector<ArgPart> parts;        // ret area pointer (if any), then parameters' parts in order
  std::vector<uint32_t> first_part;  // by parameter: index of its first part
  uint32_t stack_bytes = 0;          // rounded up to the target's stack alignment
  bool callee_pops = false;          // the callee pops its stack arguments (e.g. `tail`)
};

}  // namespace lathe::isa
