// Target-line flags reach the lowering: an extension switched off by the target keeps the
// instructions needing it out of the code, even on a host that has it (a library call instead
// where one exists, otherwise an error naming the extension).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/common/compile.h"
#include "isa/common/target_registry.h"
#include "isa/x64/libcall.h"
#include "isa/x64/x64_target.h"

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

// Without FMA3, an f64 fma becomes a call to the FmaF64 library routine (a libcall relocation);
// with it, vfmadd and no call.
TEST(TargetFlags, BaselineTargetFmaThroughALibcall) {
  absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(R"(
function %f(f64) -> f64 {
block0(v0: f64):
    v1 = fma v0, v0, v0
    return v1
}
)", "t.clif");
  ASSERT_TRUE(file.ok()) << file.status();
  const ir::Function& fn = *file->functions[0].function;
  isa::CompileContext ctx;
  isa::CodeBuffer buf;
  for (const char* line : {"x86_64", "x86_64 sse42", "x86_64 haswell has_fma=false"}) {
    absl::StatusOr<isa::TargetSpec> base = isa::ParseTarget(line, "t");
    ASSERT_TRUE(base.ok());
    X64Target target(*base);
    absl::Status st = isa::Compile(fn, target, isa::OptLevel::kNone, ctx, &buf);
    ASSERT_TRUE(st.ok()) << line << ": " << st;
    ASSERT_EQ(buf.relocs().size(), 1u) << line;
    ASSERT_TRUE(IsLibcallReloc(buf.relocs()[0].callee)) << line;
    EXPECT_STREQ(LibcallName(buf.relocs()[0].callee), "FmaF64") << line;
  }
  for (const char* line : {"x86_64 has_fma", "x86_64 haswell", "x86_64 skylake"}) {
    absl::StatusOr<isa::TargetSpec> with = isa::ParseTarget(line, "t");
    ASSERT_TRUE(with.ok());
    X64Target target(*with);
    ASSERT_TRUE(isa::Compile(fn, target, isa::OptLevel::kNone, ctx, &buf).ok()) << line;
    EXPECT_TRUE(buf.relocs().empty()) << line;
  }
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
  isa::CompileContext ctx;
  isa::CodeBuffer buf;
  absl::StatusOr<isa::TargetSpec> base = isa::ParseTarget("x86_64", "t");
  ASSERT_TRUE(base.ok());
  X64Target without(*base);
  absl::Status st = isa::Compile(fn, without, isa::OptLevel::kNone, ctx, &buf);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cmpxchg16b"), std::string::npos) << st;
  absl::StatusOr<isa::TargetSpec> with = isa::ParseTarget("x86_64 has_cmpxchg16b", "t");
  ASSERT_TRUE(with.ok()) << with.status();
  X64Target target(*with);
  EXPECT_TRUE(isa::Compile(fn, target, isa::OptLevel::kNone, ctx, &buf).ok());
}

// Rounding without SSE4.1 is the SSE2 sequence (filetests/x64/sse2-fallbacks.clif checks its
// results); with it, roundsd. Either way it compiles.
TEST(TargetFlags, RoundingCompilesWithAndWithoutSse41) {
  absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(R"(
function %f(f64) -> f64 {
block0(v0: f64):
    v1 = floor v0
    return v1
}
)", "t.clif");
  ASSERT_TRUE(file.ok()) << file.status();
  isa::CompileContext ctx;
  for (const char* line : {"x86_64", "x86_64 has_sse41"}) {
    absl::StatusOr<isa::TargetSpec> spec = isa::ParseTarget(line, "t");
    ASSERT_TRUE(spec.ok());
    X64Target target(*spec);
    isa::CodeBuffer buf;
    EXPECT_TRUE(isa::Compile(*file->functions[0].function, target, isa::OptLevel::kNone, ctx, &buf).ok()) << line;
    // roundsd is 66 0F 3A 0B: present exactly when SSE4.1 is on.
    const std::vector<uint8_t>& code = buf.bytes();
    bool roundsd = false;
    for (size_t k = 0; k + 3 < code.size(); ++k) {
      roundsd = roundsd || (code[k] == 0x66 && code[k + 1] == 0x0F && code[k + 2] == 0x3A && code[k + 3] == 0x0B);
    }
    EXPECT_EQ(roundsd, std::string(line) == "x86_64 has_sse41") << line;
  }
}

}  // namespace
}  // namespace lathe::x64
