// Frame layout: area order, slot alignment, stack-pointer alignment after pushes, and the size
// limit reported as an error rather than wrapped offsets.
#include "isa/common/frame_layout.h"

#include "gtest/gtest.h"

namespace lathe::isa {
namespace {

TEST(FrameLayout, AreasInOrderAndSlotsAligned) {
  FrameRequest r;
  r.outgoing_bytes = 32;
  r.call_ret_area_bytes = 16;
  r.num_spill_slots = 3;
  r.spill_slot_bytes = 16;
  r.slot_size = {4, 16, 1};
  r.slot_align = {4, 16, 1};
  r.min_slot_align = 8;
  r.pushed_bytes = 16 + 8;  // return address + rbp, then one callee-saved register
  absl::StatusOr<FrameLayout> f = LayOutFrame(r);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->spill_base, 48u);
  EXPECT_EQ(f->spill_offset(2, 16), 80u);
  ASSERT_EQ(f->slot_offset.size(), 3u);
  EXPECT_EQ(f->slot_offset[0], 96u);   // after 3 spill slots of 16
  EXPECT_EQ(f->slot_offset[1], 112u);  // 100 rounded up to 16
  EXPECT_EQ(f->slot_offset[2], 128u);  // min_slot_align 8
  EXPECT_EQ((f->size + r.pushed_bytes) % 16, 0u);
  EXPECT_GE(f->size, 129u);
}

TEST(FrameLayout, EmptyFrameOnlyPadsForAlignment) {
  FrameRequest r;
  r.pushed_bytes = 16;
  absl::StatusOr<FrameLayout> f = LayOutFrame(r);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->size, 0u);
  r.pushed_bytes = 24;
  f = LayOutFrame(r);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->size, 8u);
}

TEST(FrameLayout, HugeSlotsAreAnErrorNotAWrap) {
  FrameRequest r;
  r.slot_size = {0xF0000000u, 0xF0000000u};
  r.slot_align = {8, 8};
  absl::StatusOr<FrameLayout> f = LayOutFrame(r);
  EXPECT_EQ(f.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(f.status().message().find("stack frame"), std::string::npos) << f.status();
}

}  // namespace
}  // namespace lathe::isa
