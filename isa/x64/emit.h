// Emits allocated x86-64 vcode into a CodeBuffer: prologue (rbp frame, callee-saved pushes,
// one rsp adjustment keeping calls 16-byte aligned), the instructions with the allocator's
// moves interleaved, and epilogues at returns. Frame below the saved registers, from rsp up:
// spill slots (8 bytes each), then the IR stack slots at their alignment.
// Jumps to the block laid out next are omitted. Division checks (zero, signed overflow) and
// conditional traps branch over a ud2 that carries a trap record.
#pragma once

#include "absl/status/status.h"
#include "isa/common/code_buffer.h"
#include "isa/x64/vcode.h"
#include "regalloc/allocation.h"

namespace lathe::x64 {

absl::Status Emit(const VCode& vc, const regalloc::Allocation& alloc, isa::CodeBuffer* buf);

}  // namespace lathe::x64
