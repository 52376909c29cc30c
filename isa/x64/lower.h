// Lowers a verified ir::Function to x86-64 vcode (virtual registers, regalloc input).
//
// Blocks keep the IR layout order after an entry stub that receives the System V arguments;
// every edge out of a multi-successor terminator goes through its own edge block, so no edge is
// critical. Each block is lowered from its terminator up (the vcode comes out in program order):
// pure instructions whose results are unused, and definitions merged into their users (fused
// icmp, folded iconst, address arithmetic, a single-use load sunk into its user's memory
// operand), produce no code of their own. Instructions are selected by the DSL rules in
// lower.isel. Values of i8..i64 live in
// 64-bit registers whose bits above the type width are unspecified; instructions that read
// those bits (division, right shifts, extensions) normalize first. Unsupported opcodes, types
// and signatures give Unimplemented naming them (with the instruction's text line if known).
#pragma once

#include "absl/status/status.h"
#include "ir/function.h"
#include "isa/x64/host_features.h"
#include "isa/x64/vcode.h"

namespace lathe::x64 {

// `isa` says which optional extensions the lowering may use; `pinned_reg` (enable_pinned_reg)
// lets get/set_pinned_reg use r15, which the caller must then keep out of allocation.
absl::Status Lower(const ir::Function& f, VCode* out, const IsaFlags& isa = HostIsaFlags(), bool pinned_reg = false);

}  // namespace lathe::x64
