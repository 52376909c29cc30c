// System V AMD64 register conventions as the backend uses them: integer argument and return
// registers, callee-saved registers, the allocator's register environment (r11 is the move
// resolver's scratch, rsp and rbp are never allocated) and the caller-saved clobber set of a call.
// Floats use xmm0-xmm7 for arguments and xmm0/xmm1 for returns; xmm15 is the float scratch and
// every xmm register is caller-saved. Arguments beyond the registers go on the stack (see
// ArgLayout); returns that do not fit the return registers go through a hidden return area.
// The `tail` convention assigns locations exactly like System V but the callee pops its stack
// arguments (ret imm16), which lets return_call change the stack-argument size; `fast` is
// System V unchanged.
#pragma once

#include <vector>

#include "ir/signature.h"
#include "isa/x64/assembler.h"
#include "regalloc/machine_env.h"
#include "regalloc/preg.h"

namespace lathe::x64 {

inline constexpr uint8_t kArgRegs[6] = {kRdi, kRsi, kRdx, kRcx, kR8, kR9};
inline constexpr uint8_t kRetRegs[2] = {kRax, kRdx};
inline constexpr int kMaxRegArgs = 6;
inline constexpr int kMaxRegReturns = 2;   // per class: rax, rdx / xmm0, xmm1
inline constexpr int kMaxFloatArgs = 8;    // xmm0-xmm7

inline bool IsCalleeSaved(uint8_t r) { return r == kRbx || r == kRbp || (r >= kR12 && r <= kR15); }
inline regalloc::PReg IntReg(uint8_t r) { return regalloc::PReg(regalloc::RegClass::kInt, r); }
inline regalloc::PReg XmmReg(uint8_t r) { return regalloc::PReg(regalloc::RegClass::kFloat, r); }

// True when the returns do not fit rax/rdx and xmm0/xmm1: the caller then passes a return
// area pointer as the first integer argument (rdi) and the callee stores return i at offset
// 16 * i (an i128 as low, high), returning nothing in registers.
bool ReturnsInMemory(const ir::Signature& sig);

// Where one register-sized part of an argument travels: an integer register, an xmm register
// (the whole 128 bits for f128), or the stack at `offset` bytes above the return address slot
// (so [rsp + offset] at the call, [rbp + 16 + offset] in the callee).
struct ArgPart {
  enum Kind : uint8_t { kIntReg, kXmmReg, kStack } kind = kIntReg;
  uint8_t reg = 0;
  uint8_t bytes = 8;   // stack parts: 8, or 16 for an f128
  uint32_t offset = 0;
};

// The argument locations of a signature: the hidden return area pointer first when the
// returns go through memory, then each parameter's parts (an i128 has two: low, high).
// System V rules: an i128 takes two integer registers or, when fewer than two are left, a
// 16-byte aligned stack slot; an f128 takes one xmm register or a 16-byte aligned stack slot;
// other scalars take one register or an 8-byte stack slot.
struct ArgLayout {
  bool ret_area = false;
  std::vector<ArgPart> parts;        // ret area pointer (if any), then parameters' parts in order
  std::vector<uint32_t> first_part;  // by parameter: index of its first part
  uint32_t stack_bytes = 0;          // rounded up to 16
  bool callee_pops = false;          // the `tail` convention
};
ArgLayout LayoutArgs(const ir::Signature& sig);
// `ret imm16` pops at most this much; larger `tail` stack-argument areas are rejected.
inline constexpr uint32_t kMaxPoppedBytes = 0xFFF0;

const regalloc::MachineEnv& SysVMachineEnv();
// With `enable_pinned_reg`: r15 holds the pinned register (get/set_pinned_reg) in every function
// of the module, so it is never allocated, and therefore never saved or restored either.
inline constexpr uint8_t kPinnedReg = kR15;
const regalloc::MachineEnv& PinnedRegMachineEnv();
regalloc::PRegSet CallerSavedSet();

}  // namespace lathe::x64
