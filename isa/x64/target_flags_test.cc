// Target-line flags reach the lowering: an extension switched off by the target makes the
// instructions needing it an error, even on a host that has it.
#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/common/target_registry.h"
#include "isa/x64/backend.h"

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

TEST(TargetFlags, BaselineTargetRejectsRounding) {
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
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("SSE4.1"), std::string::npos) << st;
  IsaFlags with;
  with.has_sse41 = true;
  b.set_isa_flags(with);
  EXPECT_TRUE(b.Compile(fn, regalloc::Algorithm::kSinglePass, &buf).ok());
}

TEST(TargetFlags, I128AtomicsNeedCmpxchg16b) {
  absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(R"(
function %f(i64) -> i128 {
block0(v0: i64):
    v1 = atomic_load.i128 v0
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
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cmpxchg16b"), std::string::npos) << st;
  IsaFlags with;
  with.has_cmpxchg16b = true;
  b.set_isa_flags(with);
  EXPECT_TRUE(b.Compile(fn, regalloc::Algorithm::kSinglePass, &buf).ok());
}

}  // namespace
}  // namespace lathe::x64
