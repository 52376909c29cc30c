#include "isa/common/target_registry.h"

#include "gtest/gtest.h"

namespace lathe::isa {
namespace {

TEST(TargetRegistry, FindsX86_64ByName) {
  const TargetInfo* t = FindTarget("x86_64");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->name, "x86_64");
  EXPECT_EQ(FindTarget("x86-64"), nullptr);
  EXPECT_EQ(FindTarget("aarch64"), nullptr);
}

TEST(TargetRegistry, ParsesFlags) {
  absl::StatusOr<TargetSpec> s = ParseTarget("x86_64 has_sse41 has_avx  has_popcnt", "t.clif:4");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->target->name, "x86_64");
  EXPECT_TRUE(s->Has("has_sse41"));
  EXPECT_TRUE(s->Has("has_avx"));
  EXPECT_TRUE(s->Has("has_popcnt"));
  EXPECT_FALSE(s->Has("has_lzcnt"));
  EXPECT_EQ(s->flags.size(), 3u);
  absl::StatusOr<TargetSpec> bare = ParseTarget("x86_64", "t.clif:1");
  ASSERT_TRUE(bare.ok());
  EXPECT_TRUE(bare->flags.empty());
}

TEST(TargetRegistry, ErrorsNameTheWordAndColumn) {
  absl::StatusOr<TargetSpec> t = ParseTarget("riscv64 has_c", "t.clif:2");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("t.clif:2:1: unknown target 'riscv64'"), std::string::npos) << t.status();
  absl::StatusOr<TargetSpec> f = ParseTarget("x86_64 has_sse41 has_neon", "t.clif:3");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("t.clif:3:18: unknown flag 'has_neon'"), std::string::npos) << f.status();
  EXPECT_FALSE(ParseTarget("   ", "t.clif:9").ok());
}

TEST(TargetRegistry, PresetsAndValuesApplyInOrder) {
  absl::StatusOr<TargetSpec> s = ParseTarget("x86_64 sse42 has_avx has_sse3=false", "t");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->Has("has_ssse3"));
  EXPECT_TRUE(s->Has("has_sse41"));
  EXPECT_TRUE(s->Has("has_sse42"));
  EXPECT_TRUE(s->Has("has_avx"));
  EXPECT_FALSE(s->Has("has_sse3"));
  EXPECT_FALSE(s->Has("has_popcnt"));
  absl::StatusOr<TargetSpec> sky = ParseTarget("x86_64 skylake has_avx=false", "t");
  ASSERT_TRUE(sky.ok()) << sky.status();
  EXPECT_TRUE(sky->Has("has_fma"));
  EXPECT_TRUE(sky->Has("has_lzcnt"));
  EXPECT_FALSE(sky->Has("has_avx"));
  absl::StatusOr<TargetSpec> bad = ParseTarget("x86_64 has_avx=maybe", "t.clif:5");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("t.clif:5:16: expected true or false"), std::string::npos) << bad.status();
  EXPECT_EQ(MissingOnHost(*s, {"has_ssse3", "has_sse41"}), (std::vector<std::string>{"has_avx", "has_sse42"}));
}

TEST(TargetRegistry, IntersectsWithHost) {
  absl::StatusOr<TargetSpec> s = ParseTarget("x86_64 has_sse41 has_avx has_lzcnt", "t");
  ASSERT_TRUE(s.ok());
  TargetSpec e = EnableWithHost(*s, {"has_sse41", "has_lzcnt", "has_bmi1"});
  EXPECT_TRUE(e.Has("has_sse41"));
  EXPECT_TRUE(e.Has("has_lzcnt"));
  EXPECT_FALSE(e.Has("has_avx"));   // requested, host lacks it
  EXPECT_FALSE(e.Has("has_bmi1"));  // host has it, not requested
  EXPECT_EQ(e.target, s->target);
}

}  // namespace
}  // namespace lathe::isa
