// Target-line flags reach the lowering: an extension switched off by the target keeps the
// instructions needing it out of the code, even on a host that has it (a library call instead
// where one exists, otherwise an error naming the extension).
#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/common/target_registry.h"
#include "isa/x64/backend.h"
#include "isa/x64/libcall.h"

namespace lathe::x64 {
namespace {

TEST(TargetFlags, IntersectsRequestWithHost) {
  absl::StatusOr<isa::TargetSpec> s = isa::ParseTarget("x86_64 has_sse41 has_popcnt has_avx", "t");
  ASSERT_TRUE(s.ok()) << s.status();
  IsaFlags host;
  host.has_sse41 = true;
  host.has_lzcnt = true;
  IsaFlags f = IsaFlagsFor(*s, host);
  EXPECT_TRUE(f.has_sse41);
  EXPECT_FALSE(f.has_popcnt);  // requested, host lacks it
  EXPECT_FALSE(f.has_avx);
  EXPECT_FALSE(f.has_lzcnt);  // host has it, not requested
}

// Without SSE4.1, floor becomes a call to the FloorF64 library routine (a libcall relocation);
// with it, roundsd and no call.
TEST(TargetFlags, BaselineTargetRoundsThroughALibcall) {
  absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(R"(
function %f(f64) -> f64 {
block0(v0: f64):
    v1 = floor v0
    return v1
}
)", "t.clif");
  ASSERT_TRUE(file.ok()) << file.status();
  const ir::Function& fn = *file->functions[0].function;
  Backend b;
  absl::StatusOr<isa::TargetSpec> base = isa::ParseTarget("x86_64", "t");
  ASSERT_TRUE(base.ok());
  b.set_isa_flags(IsaFlagsFor(*base));
  isa::CodeBuffer buf;
  absl::Status st = b.Compile(fn, regalloc::Algorithm::kSinglePass, &buf);
  ASSERT_TRUE(st.ok()) << st;
  ASSERT_EQ(buf.relocs().size(), 1u);
  ASSERT_TRUE(IsLibcallReloc(buf.relocs()[0].callee));
  EXPECT_STREQ(LibcallName(buf.relocs()[0].callee), "FloorF64");
  IsaFlags with;
  with.has_sse41 = true;
  b.set_isa_flags(with);
  ASSERT_TRUE(b.Compile(fn, regalloc::Algorithm::kSinglePass, &buf).ok());
  EXPECT_TRUE(buf.relocs().empty());
}

}  // namespace
}  // namespace lathe::x64
