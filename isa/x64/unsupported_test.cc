// Constructs the x86-64 backend does not lower are errors naming them, never miscompiled code:
// big-endian accesses it cannot byte-swap (floats, i128, multi-byte atomic read-modify-write),
// the pinned register without its setting, and i128 operations Cranelift leaves to libcalls.
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

// The error of compiling the single function `body` with signature `sig`.
std::string ErrorOf(const std::string& sig, const std::string& body) {
  absl::StatusOr<ir::TestFile> file =
      ir::ParseTestFile(absl::StrCat("function %f", sig, " {\n", body, "\n}\n"), "t.clif");
  EXPECT_TRUE(file.ok()) << file.status();
  if (!file.ok()) return "parse error";
  absl::StatusOr<isa::TargetSpec> spec = isa::ParseTarget("x86_64 has_cmpxchg16b", "t");
  EXPECT_TRUE(spec.ok()) << spec.status();
  if (!spec.ok()) return "bad target";
  X64Target target(*spec);
  isa::CompileContext ctx;
  isa::CodeBuffer buf;
  absl::Status st = isa::Compile(*file->functions[0].function, target, isa::OptLevel::kNone, ctx, &buf);
  return st.ok() ? "compiled" : std::string(st.message());
}

TEST(Unsupported, BigEndianAccessesTheBackendCannotSwap) {
  EXPECT_NE(ErrorOf("(i64) -> f64", "block0(v0: i64):\n v1 = load.f64 big v0\n return v1")
                .find("big-endian float loads and stores"),
            std::string::npos);
  EXPECT_NE(ErrorOf("(f32, i64)", "block0(v0: f32, v1: i64):\n store.f32 big v0, v1\n return")
                .find("big-endian float loads and stores"),
            std::string::npos);
  EXPECT_NE(ErrorOf("(i64) -> i128", "block0(v0: i64):\n v1 = load.i128 big v0\n return v1")
                .find("big-endian i128 loads and stores"),
            std::string::npos);
  EXPECT_NE(ErrorOf("(i64, i16) -> i16", "block0(v0: i64, v1: i16):\n v2 = atomic_rmw.i16 big add v0, v1\n return v2")
                .find("big-endian atomic_rmw and atomic_cas"),
            std::string::npos);
  // One byte has no byte order.
  EXPECT_EQ(ErrorOf("(i64, i8) -> i8", "block0(v0: i64, v1: i8):\n v2 = atomic_rmw.i8 big add v0, v1\n return v2"),
            "compiled");
}

TEST(Unsupported, PinnedRegisterNeedsItsSetting) {
  EXPECT_NE(ErrorOf("() -> i64", "block0:\n v0 = get_pinned_reg.i64\n return v0").find("enable_pinned_reg"),
            std::string::npos);
}

TEST(Unsupported, I128OperationsLeftToLibcalls) {
  for (const char* op : {"udiv", "srem", "umulhi"}) {
    std::string err = ErrorOf("(i128, i128) -> i128",
                              absl::StrCat("block0(v0: i128, v1: i128):\n v2 = ", op, " v0, v1\n return v2"));
    EXPECT_NE(err.find(absl::StrCat("type i128 in ", op)), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace lathe::x64
