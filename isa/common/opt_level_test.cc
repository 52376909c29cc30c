#include "isa/common/opt_level.h"

#include "gtest/gtest.h"

namespace lathe::isa {
namespace {

TEST(OptLevel, NamesSelectAllocators) {
  EXPECT_EQ(AllocatorFor(*ParseOptLevel("none")), regalloc::Algorithm::kSinglePass);
  EXPECT_EQ(AllocatorFor(*ParseOptLevel("speed")), regalloc::Algorithm::kOptimizing);
  EXPECT_EQ(AllocatorFor(*ParseOptLevel("speed_and_size")), regalloc::Algorithm::kOptimizing);
  absl::StatusOr<OptLevel> bad = ParseOptLevel("fastest");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("expected none, speed or speed_and_size"), std::string::npos);
}

}  // namespace
}  // namespace lathe::isa
