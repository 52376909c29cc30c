// SIMD lowering and target flags: an operation whose SSSE3 / SSE4.1 / SSE4.2 / FMA3 form has no
// SSE2 sequence fails under a target without the extension with an error naming it, and
// compiles with it; operations with an SSE2 sequence compile under the bare target. Results are
// checked against the interpreter by //testsuite:x64_runtests_test.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/common/compile.h"
#include "isa/common/target_registry.h"
#include "isa/x64/x64_target.h"

namespace lathe::x64 {
namespace {

// Compiles `body` (instructions over v0, v1 of type `ty`, returning v2 of `ret`) for `target`.
absl::Status CompileFor(const std::string& ty, const std::string& ret, const std::string& body,
                        const std::string& target) {
  std::string text = absl::StrCat("function %f(", ty, ", ", ty, ") -> ", ret, " {\nblock0(v0: ", ty, ", v1: ", ty,
                                  "):\n", body, "\n    return v2\n}\n");
  absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(text, "t.clif");
  if (!file.ok()) return file.status();
  absl::StatusOr<isa::TargetSpec> spec = isa::ParseTarget(target, "t");
  if (!spec.ok()) return spec.status();
  X64Target isa(*spec);
  isa::CompileContext ctx;
  isa::CodeBuffer buf;
  return isa::Compile(*file->functions[0].function, isa, isa::OptLevel::kNone, ctx, &buf);
}

struct Gated {
  const char* ty;
  const char* ret;
  const char* body;
  const char* extension;  // as the error names it
  const char* with;       // a target that has it
};

TEST(LowerSimd, ExtensionFormsNeedTheirFlag) {
  const Gated cases[] = {
      {"i8x16", "i8x16", "    v2 = swizzle v0, v1", "SSSE3", "x86_64 has_ssse3"},
      {"i16x8", "i16x8", "    v2 = iadd_pairwise v0, v1", "SSSE3", "x86_64 ssse3"},
      {"f32x4", "f32x4", "    v2 = fma v0, v1, v1", "FMA3", "x86_64 has_avx has_fma"},
      {"i8x16", "i8x16", "    v2 = imul v0, v1", "imul.i8x16", ""},  // no form on any target
  };
  for (const Gated& c : cases) {
    absl::Status st = CompileFor(c.ty, c.ret, c.body, "x86_64");
    EXPECT_EQ(st.code(), absl::StatusCode::kUnimplemented) << c.body << ": " << st;
    EXPECT_NE(st.message().find(c.extension), std::string::npos) << st;
    if (*c.with != 0) {
      EXPECT_TRUE(CompileFor(c.ty, c.ret, c.body, c.with).ok()) << c.body << " on " << c.with;
    }
  }
}

TEST(LowerSimd, Sse2SequencesNeedNoExtension) {
  const char* const cases[][3] = {
      {"i64x2", "i64x2", "    v2 = icmp sgt v0, v1"},  // pcmpgtq from dword compares
      {"i32x4", "i32x4", "    v2 = imul v0, v1"},      // pmulld from pmuludq
      {"i64x2", "i64x2", "    v2 = imul v0, v1"},
      {"i32x4", "i32x4", "    v2 = iabs v0"},          // pabsd from a sign mask
      {"i8x16", "i8x16", "    v2 = shuffle v0, v1, [0 17 2 19 4 21 6 23 31 30 29 28 8 9 1 0]"},
      {"i8x16", "i8x16", "    v2 = sshr v0, v1\n"},
      {"i64x2", "i8", "    v2 = vall_true v0"},       // pcmpeqq from dword compares
      {"i32x4", "i32x4", "    v3 = iconst.i32 7\n    v2 = insertlane v0, v3, 2"},
      {"i8x16", "i8x16", "    v3 = iconst.i8 7\n    v2 = insertlane v0, v3, 5"},
      {"i8x16", "i8x16", "    v2 = popcnt v0"},
      {"f32x4", "f32x4", "    v2 = floor v0"},  // roundps from magic-number rounding
      {"f64x2", "f64x2", "    v2 = nearest v0"},
      {"i32x4", "f32x4", "    v2 = fcvt_from_uint.f32x4 v0"},
  };
  for (const auto& c : cases) {
    std::string body = c[2];
    if (body.find("sshr") != std::string::npos) body = "    v3 = extractlane v1, 0\n    v2 = sshr v0, v3";
    absl::Status st = CompileFor(c[0], c[1], body, "x86_64");
    EXPECT_TRUE(st.ok()) << body << ": " << st;
  }
}

TEST(LowerSimd, BigEndianBitcastBetweenLaneWidthsIsRejected) {
  absl::Status st = CompileFor("i32x4", "i8x16", "    v2 = bitcast.i8x16 big v0", "x86_64");
  EXPECT_EQ(st.code(), absl::StatusCode::kUnimplemented) << st;
  EXPECT_NE(st.message().find("big-endian"), std::string::npos) << st;
  EXPECT_TRUE(CompileFor("i32x4", "i8x16", "    v2 = bitcast.i8x16 little v0", "x86_64").ok());
  EXPECT_TRUE(CompileFor("i32x4", "f32x4", "    v2 = bitcast.f32x4 big v0", "x86_64").ok());
}

}  // namespace
}  // namespace lathe::x64
