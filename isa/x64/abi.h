// System V AMD64 register conventions as the backend uses them: integer argument and return
// registers, callee-saved registers, the allocator's register environment (r11 is the move
// resolver's scratch, rsp and rbp are never allocated) and the caller-saved clobber set of a call.
// Floats use xmm0-xmm7 for arguments and xmm0/xmm1 for returns; xmm15 is the float scratch and
// every xmm register is caller-saved. Stack arguments and returns are not supported.
#pragma once

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

const regalloc::MachineEnv& SysVMachineEnv();
// With `enable_pinned_reg`: r15 holds the pinned register (get/set_pinned_reg) in every function
// of the module, so it is never allocated, and therefore never saved or restored either.
inline constexpr uint8_t kPinnedReg = kR15;
const regalloc::MachineEnv& PinnedRegMachineEnv();
regalloc::PRegSet CallerSavedSet();

}  // namespace lathe::x64
