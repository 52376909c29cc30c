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

// Compiles the single function of `text` with `flags`.
absl::Status CompileWith(const char* text, const IsaFlags& flags) {
  absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(text, "t.clif");
  if (!file.ok()) return file.status();
  Backend b;
  b.set_isa_flags(flags);
  isa::CodeBuffer buf;
  return b.Compile(*file->functions[0].function, regalloc::Algorithm::kSinglePass, &buf);
}

IsaFlags Baseline() {
  absl::StatusOr<isa::TargetSpec> base = isa::ParseTarget("x86_64", "t");
  EXPECT_TRUE(base.ok());
  return base.ok() ? IsaFlagsFor(*base) : IsaFlags();
}

TEST(TargetFlags, BaselineTargetRejectsRounding) {
  const char* text = R"(
function %f(f64) -> f64 {
block0(v0: f64):
    v1 = floor v0
    return v1
}
)";
  absl::Status st = CompileWith(text, Baseline());
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("SSE4.1"), std::string::npos) << st;
  IsaFlags with;
  with.has_sse41 = true;
  EXPECT_TRUE(CompileWith(text, with).ok());
}

TEST(TargetFlags, I128AtomicsNeedCmpxchg16b) {
  const char* text = R"(
function %f(i64) -> i128 {
block0(v0: i64):
    v1 = atomic_load.i128 v0
    return v1
}
)";
  absl::Status st = CompileWith(text, Baseline());
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cmpxchg16b"), std::string::npos) << st;
  IsaFlags with;
  with.has_cmpxchg16b = true;
  EXPECT_TRUE(CompileWith(text, with).ok());
}

}  // namespace
}  // namespace lathe::x64
