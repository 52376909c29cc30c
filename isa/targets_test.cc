// The backend table and the compile driver end to end: x86_64 by name, host detection, and the
// driver's verify / lower / allocate / emit steps with their errors.
#include "isa/targets.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/common/compile.h"

namespace lathe::isa {
namespace {

std::unique_ptr<ir::Function> Parse(const char* text) {
  absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(text, "t.clif");
  EXPECT_TRUE(file.ok()) << file.status();
  return std::move(file->functions[0].function);
}

// The backend for a target line's text, or nullptr.
std::unique_ptr<TargetIsa> Create(const char* line) {
  absl::StatusOr<TargetSpec> spec = ParseTarget(line, "t");
  if (!spec.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<TargetIsa>> target = CreateTargetIsa(*spec);
  return target.ok() ? std::move(*target) : nullptr;
}

TEST(Targets, CreatesX86_64ByNameAndCompiles) {
  std::unique_ptr<TargetIsa> target = Create("x86_64 has_popcnt");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->name(), "x86_64");
  EXPECT_TRUE(target->spec().Has("has_popcnt"));
  std::unique_ptr<ir::Function> f = Parse(R"(
function %add(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iadd v0, v1
    v3 = popcnt v2
    return v3
}
)");
  CompileContext ctx;
  CodeBuffer buf;
  for (OptLevel level : {OptLevel::kNone, OptLevel::kSpeed, OptLevel::kSpeedAndSize}) {
    ASSERT_TRUE(Compile(*f, *target, level, ctx, &buf).ok());
    ASSERT_FALSE(buf.bytes().empty());
    EXPECT_EQ(buf.bytes().back(), 0xC3);  // ret ends the code (no pool here)
    EXPECT_EQ(buf.code_size(), buf.bytes().size());
    // popcnt (F3 [REX] 0F B8) appears because the flag is on.
    const uint8_t op[] = {0x0F, 0xB8};
    EXPECT_NE(std::search(buf.bytes().begin(), buf.bytes().end(), op, op + 2), buf.bytes().end());
  }
}

TEST(Targets, DriverReportsVerifierAndBackendErrors) {
  std::unique_ptr<TargetIsa> target = Create("x86_64");
  ASSERT_NE(target, nullptr);
  CompileContext ctx;
  CodeBuffer buf;
  std::unique_ptr<ir::Function> bad = Parse(R"(
function %f(i32) -> i64 {
block0(v0: i32):
    return v0
}
)");
  absl::Status s = Compile(*bad, *target, OptLevel::kNone, ctx, &buf);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  std::unique_ptr<ir::Function> atomic = Parse(R"(
function %f(i64) -> i128 {
block0(v0: i64):
    v1 = atomic_load.i128 v0
    return v1
}
)");
  s = Compile(*atomic, *target, OptLevel::kNone, ctx, &buf);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented) << s;
  // popcnt without the extension is emitted with baseline instructions (no F3 0F B8).
  std::unique_ptr<ir::Function> popcnt = Parse(R"(
function %f(i64) -> i64 {
block0(v0: i64):
    v1 = popcnt v0
    return v1
}
)");
  ASSERT_TRUE(Compile(*popcnt, *target, OptLevel::kNone, ctx, &buf).ok());
  const uint8_t op[] = {0x0F, 0xB8};
  EXPECT_EQ(std::search(buf.bytes().begin(), buf.bytes().end(), op, op + 2), buf.bytes().end());
}

TEST(Targets, RejectsWhatWouldBeWrongCode) {
  std::unique_ptr<TargetIsa> target = Create("x86_64");
  ASSERT_NE(target, nullptr);
  CompileContext ctx;
  CodeBuffer buf;
  std::unique_ptr<ir::Function> big = Parse(R"(
function %f(i64) -> f64 {
block0(v0: i64):
    v1 = load.f64 big v0
    return v1
}
)");
  absl::Status s = Compile(*big, *target, OptLevel::kNone, ctx, &buf);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented) << s;
  EXPECT_NE(s.message().find("line 4: x64 backend does not support big-endian float"), std::string::npos) << s;
  // Slots adding up past what a 32-bit rsp adjustment reaches.
  std::unique_ptr<ir::Function> huge = Parse(R"(
function %f() -> i64 {
    ss0 = explicit_slot 1536000000
    ss1 = explicit_slot 1536000000
block0:
    v0 = stack_addr.i64 ss1
    return v0
}
)");
  s = Compile(*huge, *target, OptLevel::kNone, ctx, &buf);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented) << s;
  EXPECT_NE(s.message().find("stack frame"), std::string::npos) << s;
}

TEST(Targets, HostTargetHasTheHostsFlags) {
#if defined(__x86_64__)
  absl::StatusOr<TargetSpec> host = HostTarget();
  ASSERT_TRUE(host.ok()) << host.status();
  EXPECT_EQ(host->target->name, "x86_64");
  EXPECT_TRUE(IsHostTarget(*host->target));
  EXPECT_EQ(host->flags, HostFlags(*host->target));
  // Every x86-64 host Lathe runs on has SSE3 (all x86-64 CPUs since 2005).
  EXPECT_TRUE(host->Has("has_sse3"));
#else
  EXPECT_FALSE(HostTarget().ok());
#endif
}

}  // namespace
}  // namespace lathe::isa
