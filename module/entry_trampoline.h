// The host's way into JIT code of any signature: a small machine-code routine, placed at the
// start of each JIT image, that takes one EntryFrame*, loads the six integer argument
// registers, the eight xmm argument registers (all 128 bits, so f128 arguments pass) and the
// stack arguments from it, calls `target`, and stores rax, rdx, xmm0 and xmm1 back into it.
// It keeps its own frame in rbp, so callees that pop their stack arguments (`tail`) are fine.
#pragma once

#include <cstdint>

#include "isa/common/code_buffer.h"

namespace lathe::module {

struct EntryFrame {
  uint64_t target = 0;
  uint64_t ints[6] = {};        // rdi, rsi, rdx, rcx, r8, r9
  uint64_t xmm[8][2] = {};      // xmm0-xmm7, low and high halves
  uint64_t stack_words = 0;     // must be even (the call sees a 16-byte aligned stack)
  const uint64_t* stack_end = nullptr;  // one past the last stack word; word 0 ends at [rsp]
  uint64_t out_ints[2] = {};    // rax, rdx
  uint64_t out_xmm[2][2] = {};  // xmm0, xmm1
};

using EntryTrampoline = void (*)(EntryFrame*);

// Appends the trampoline's code to `buf` (position-independent; call it at its first byte).
void EmitEntryTrampoline(isa::CodeBuffer* buf);

}  // namespace lathe::module
