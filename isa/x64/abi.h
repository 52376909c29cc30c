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
#include "isa/common/abi.h"
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

// Argument locations (isa/common/abi.h) under System V: an i128 takes two integer registers
// or, when fewer than two are left, a 16-byte aligned stack slot; an f128 or a vector takes one
// xmm register (kFloatReg) or a 16-byte aligned stack slot; other scalars take one register or
// an 8-byte stack slot. Stack offsets are above the return address slot ([rsp + offset] at the
// call, [rbp + 16 + offset] in the callee); stack_bytes is rounded up to 16.
using ArgPart = isa::ArgPart;
using ArgLayout = isa::ArgLayout;
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
