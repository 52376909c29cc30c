// The stack frame every target lays out the same way, from the stack pointer (after the
// prologue) upwards: the outgoing stack-argument area (the largest among the function's calls),
// the return area of calls returning through memory (the largest), the spill slots, then the IR
// stack slots, each at its alignment (at least `min_slot_align`). The size is padded so that the
// stack pointer stays `stack_align`-aligned given `pushed_bytes` pushed between the aligned call
// boundary and the frame (return address, frame pointer, callee-saved registers).
//
// Errors: Unimplemented when the frame would exceed `max_frame` bytes (the target's reach for
// stack-pointer adjustments and frame offsets). Targets supply the numbers; the arithmetic,
// done in 64 bits so that huge stack slots cannot wrap, is shared.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"

namespace lathe::isa {

struct FrameRequest {
  uint32_t outgoing_bytes = 0;
  uint32_t call_ret_area_bytes = 0;
  uint32_t num_spill_slots = 0;
  uint32_t spill_slot_bytes = 8;
  std::vector<uint32_t> slot_size, slot_align;  // the IR stack slots, by index
  uint32_t min_slot_align = 1;
  uint32_t pushed_bytes = 0;
  uint32_t stack_align = 16;
  uint64_t max_frame = 0x7fff0000;
};

struct FrameLayout {
  uint32_t spill_base = 0;               // offset of spill slot 0 from the stack pointer
  std::vector<uint32_t> slot_offset;     // by IR stack slot
  uint32_t size = 0;                     // the stack-pointer adjustment of the prologue
  uint32_t spill_offset(uint32_t slot, uint32_t slot_bytes) const { return spill_base + slot_bytes * slot; }
};

absl::StatusOr<FrameLayout> LayOutFrame(const FrameRequest& r);

}  // namespace lathe::isa
