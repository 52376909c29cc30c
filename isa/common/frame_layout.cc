#include "isa/common/frame_layout.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lathe::isa {

absl::StatusOr<FrameLayout> LayOutFrame(const FrameRequest& r) {
  FrameLayout f;
  const uint64_t spill_base = uint64_t{r.outgoing_bytes} + r.call_ret_area_bytes;
  uint64_t off = spill_base + uint64_t{r.spill_slot_bytes} * r.num_spill_slots;
  for (size_t s = 0; s < r.slot_size.size() && off <= r.max_frame; ++s) {
    uint64_t align = s < r.slot_align.size() ? r.slot_align[s] : 1;
    if (align < r.min_slot_align) align = r.min_slot_align;
    if (align == 0) align = 1;
    off = (off + align - 1) / align * align;
    f.slot_offset.push_back(static_cast<uint32_t>(off));
    off += r.slot_size[s];
  }
  const uint64_t align = r.stack_align == 0 ? 1 : r.stack_align;
  while ((off + r.pushed_bytes) % align != 0) ++off;
  if (off > r.max_frame) {
    return absl::UnimplementedError(
        absl::StrCat("a stack frame of ", off, " bytes or more is not supported (the limit is ", r.max_frame, ")"));
  }
  f.spill_base = static_cast<uint32_t>(spill_base);
  f.size = static_cast<uint32_t>(off);
  return f;
}

}  // namespace lathe::isa
