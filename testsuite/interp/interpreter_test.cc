#include "testsuite/interp/interpreter.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/parser.h"

namespace lathe::interp {
namespace {

class InterpTest : public ::testing::Test {
 protected:
  // Parses `text` (functions only) and builds an interpreter over them.
  void Load(const std::string& text) {
    absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(text, "test.clif");
    ASSERT_TRUE(file.ok()) << file.status();
    file_ = std::make_unique<ir::TestFile>(std::move(*file));
    std::vector<const ir::Function*> fns;
    for (const ir::ParsedFunction& pf : file_->functions) fns.push_back(pf.function.get());
    interp_ = std::make_unique<Interpreter>(fns);
  }
  CallResult Call(const std::string& name, std::vector<u128> args) {
    absl::StatusOr<CallResult> r = interp_->Call(name, args);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : CallResult();
  }
  std::unique_ptr<ir::TestFile> file_;
  std::unique_ptr<Interpreter> interp_;
};

TEST_F(InterpTest, IntegerArithmeticWrapsAtTheTypeWidth) {
  Load(R"(
function %add8(i8, i8) -> i8 {
block0(v0: i8, v1: i8):
    v2 = iadd v0, v1
    return v2
}
function %mulhi128(i128, i128) -> i128 {
block0(v0: i128, v1: i128):
    v2 = umulhi v0, v1
    return v2
}
function %sshr(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = sshr v0, v1
    return v2
}
)");
  EXPECT_EQ(Call("add8", {200, 100}).values[0], u128{44});
  u128 big = ~u128{0};
  // (2^128-1)^2 >> 128 = 2^128 - 2.
  EXPECT_EQ(Call("mulhi128", {big, big}).values[0], big - 1);
  // The shift amount is taken modulo the width: 33 shifts by 1.
  EXPECT_EQ(Call("sshr", {0x80000000u, 33}).values[0], u128{0xc0000000u});
}

TEST_F(InterpTest, DivisionTraps) {
  Load(R"(
function %sdiv(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = sdiv v0, v1
    return v2
}
function %srem(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = srem v0, v1
    return v2
}
)");
  CallResult r = Call("sdiv", {7, 0});
  ASSERT_TRUE(r.trapped);
  EXPECT_EQ(r.trap.code(), ir::TrapCode::kIntegerDivisionByZero);
  r = Call("sdiv", {0x80000000u, 0xffffffffu});
  ASSERT_TRUE(r.trapped);
  EXPECT_EQ(r.trap.code(), ir::TrapCode::kIntegerOverflow);
  r = Call("srem", {0x80000000u, 0xffffffffu});
  ASSERT_FALSE(r.trapped);
  EXPECT_EQ(r.values[0], u128{0});
  EXPECT_EQ(Call("sdiv", {static_cast<uint32_t>(-7), 2}).values[0], u128{static_cast<uint32_t>(-3)});
}

TEST_F(InterpTest, FloatRules) {
  Load(R"(
function %fmin(f32, f32) -> f32 {
block0(v0: f32, v1: f32):
    v2 = fmin v0, v1
    return v2
}
function %fadd(f64, f64) -> f64 {
block0(v0: f64, v1: f64):
    v2 = fadd v0, v1
    return v2
}
function %toint(f32) -> i32 {
block0(v0: f32):
    v1 = fcvt_to_sint.i32 v0
    return v1
}
function %tointsat(f32) -> i8 {
block0(v0: f32):
    v1 = fcvt_to_sint_sat.i8 v0
    return v1
}
)");
  // fmin(+0, -0) is -0; a NaN input gives the canonical NaN.
  EXPECT_EQ(Call("fmin", {0, 0x80000000u}).values[0], u128{0x80000000u});
  EXPECT_EQ(Call("fmin", {0x7f800001u, 0}).values[0], u128{0x7fc00000u});
  // 0.1 + 0.2 rounds to 0x3fd3333333333334.
  EXPECT_EQ(Call("fadd", {0x3fb999999999999aull, 0x3fc999999999999aull}).values[0], u128{0x3fd3333333333334ull});
  CallResult r = Call("toint", {0x7fc00000u});
  ASSERT_TRUE(r.trapped);
  EXPECT_EQ(r.trap.code(), ir::TrapCode::kBadConversionToInteger);
  r = Call("toint", {0x4f000000u});  // 2^31 does not fit
  ASSERT_TRUE(r.trapped);
  EXPECT_EQ(r.trap.code(), ir::TrapCode::kIntegerOverflow);
  EXPECT_EQ(Call("toint", {0xc0200000u}).values[0], u128{0xfffffffeu});  // -2.5 -> -2
  EXPECT_EQ(Call("tointsat", {0x42fe0000u}).values[0], u128{127});  // 127.0
  EXPECT_EQ(Call("tointsat", {0x43800000u}).values[0], u128{127});  // 256.0 clamps
  EXPECT_EQ(Call("tointsat", {0x7fc00000u}).values[0], u128{0});    // NaN -> 0
}

TEST_F(InterpTest, StackSlotsAndOutOfBoundsTraps) {
  Load(R"(
function %roundtrip(i64) -> i64 {
    ss0 = explicit_slot 16
block0(v0: i64):
    v1 = stack_addr.i64 ss0+8
    store.i64 v0, v1
    v2 = stack_addr.i64 ss0
    v3 = load.i64 v2+8
    return v3
}
function %oob(i64) -> i64 {
    ss0 = explicit_slot 8
block0(v0: i64):
    v1 = stack_addr.i64 ss0
    v2 = iadd v1, v0
    v3 = load.i64 v2
    return v3
}
)");
  EXPECT_EQ(Call("roundtrip", {42}).values[0], u128{42});
  EXPECT_EQ(Call("oob", {0}).values[0], u128{0});  // slots start zeroed
  CallResult r = Call("oob", {1u << 20});
  ASSERT_TRUE(r.trapped);
  EXPECT_EQ(r.trap.code(), ir::TrapCode::kHeapOutOfBounds);
}

TEST_F(InterpTest, AtomicsAndEndianness) {
  Load(R"(
function %rmw(i32) -> i32, i32 {
    ss0 = explicit_slot 8
block0(v0: i32):
    v1 = stack_addr.i64 ss0
    v2 = iconst.i32 5
    store.i32 v2, v1
    v3 = atomic_rmw.i32 add v1, v0
    v4 = load.i32 v1
    return v3, v4
}
function %cas(i32) -> i32 {
    ss0 = explicit_slot 8
block0(v0: i32):
    v1 = stack_addr.i64 ss0
    v2 = iconst.i32 7
    v3 = atomic_cas.i32 v1, v0, v2
    v4 = load.i32 v1
    return v4
}
function %misaligned() -> i32 {
    ss0 = explicit_slot 8
block0:
    v1 = stack_addr.i64 ss0+1
    v2 = iconst.i32 1
    v3 = atomic_rmw.i32 xchg v1, v2
    return v3
}
function %big() -> i32 {
    ss0 = explicit_slot 8
block0:
    v1 = stack_addr.i64 ss0
    v2 = iconst.i32 0x11223344
    store.i32 big v2, v1
    v3 = load.i32 little v1
    return v3
}
)");
  CallResult r = Call("rmw", {10});
  EXPECT_EQ(r.values[0], u128{5});   // the old value
  EXPECT_EQ(r.values[1], u128{15});  // memory after the add
  EXPECT_EQ(Call("cas", {0}).values[0], u128{7});  // expected 0 matched the zeroed slot
  EXPECT_EQ(Call("cas", {1}).values[0], u128{0});  // no match: memory unchanged
  r = Call("misaligned", {});
  ASSERT_TRUE(r.trapped);
  EXPECT_EQ(r.trap.code(), ir::TrapCode::kHeapOutOfBounds);
  EXPECT_EQ(Call("big", {}).values[0], u128{0x44332211});
}

TEST_F(InterpTest, CallsMultipleReturnsAndDepth) {
  Load(R"(
function %pair(i32) -> i32, i32 {
block0(v0: i32):
    v2 = iconst.i32 1
    v1 = iadd v0, v2
    return v0, v1
}
function %caller(i32) -> i32 {
    fn0 = %pair(i32) -> i32, i32
block0(v0: i32):
    v1, v2 = call fn0(v0)
    v3 = isub v2, v1
    return v3
}
function %recurse(i64) -> i64 {
    fn0 = %recurse(i64) -> i64
block0(v0: i64):
    v1 = iconst.i64 1
    v2 = isub v0, v1
    v3 = call fn0(v2)
    return v3
}
function %tail(i64) -> i64 tail {
    fn0 = %tail(i64) -> i64 tail
block0(v0: i64):
    brif v0, block1, block2
block1:
    v1 = iconst.i64 1
    v2 = isub v0, v1
    return_call fn0(v2)
block2:
    return v0
}
)");
  EXPECT_EQ(Call("caller", {10}).values[0], u128{1});
  // Unbounded recursion traps instead of exhausting the host stack.
  CallResult r = Call("recurse", {5});
  ASSERT_TRUE(r.trapped);
  EXPECT_EQ(r.trap.code(), ir::TrapCode::kStackOverflow);
  // Tail calls reuse the frame: far deeper than kMaxFrames.
  r = Call("tail", {100000});
  ASSERT_FALSE(r.trapped);
  EXPECT_EQ(r.values[0], u128{0});
}

TEST_F(InterpTest, BranchTable) {
  Load(R"(
function %bt(i32) -> i32 {
block0(v0: i32):
    br_table v0, block3, [block1, block2]
block1:
    v1 = iconst.i32 10
    return v1
block2:
    v2 = iconst.i32 20
    return v2
block3:
    v3 = iconst.i32 30
    return v3
}
)");
  EXPECT_EQ(Call("bt", {0}).values[0], u128{10});
  EXPECT_EQ(Call("bt", {1}).values[0], u128{20});
  EXPECT_EQ(Call("bt", {2}).values[0], u128{30});
  EXPECT_EQ(Call("bt", {0xffffffffu}).values[0], u128{30});
}

TEST_F(InterpTest, ErrorsAreStatusesNotResults) {
  Load(R"(
function %spin() -> i32 {
block0:
    jump block0
}
function %fp() -> i64 {
block0:
    v0 = get_frame_pointer.i64
    return v0
}
function %ext() -> i32 {
    fn0 = %nowhere() -> i32
block0:
    v0 = call fn0()
    return v0
}
)");
  interp_->set_step_limit(1000);
  absl::StatusOr<CallResult> r = interp_->Call("spin", {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  r = interp_->Call("fp", {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(r.status().message().find("get_frame_pointer"), absl::string_view::npos);
  r = interp_->Call("ext", {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(r.status().message().find("%nowhere"), absl::string_view::npos);
  r = interp_->Call("missing", {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(InterpTest, VectorLanes) {
  Load(R"(
function %v(i32x4, i32x4) -> i32x4 {
block0(v0: i32x4, v1: i32x4):
    v2 = iadd v0, v1
    v3 = icmp sgt v2, v0
    return v3
}
function %narrow(i16x8, i16x8) -> i8x16 {
block0(v0: i16x8, v1: i16x8):
    v2 = snarrow v0, v1
    return v2
}
)");
  // Lanes: [1, 0x7fffffff, 3, 4] + [1, 1, 0, -1] -> [2, MIN, 3, 3]; sgt v0 -> [T, F, F, F].
  u128 a = (u128{4} << 96) | (u128{3} << 64) | (u128{0x7fffffff} << 32) | 1;
  u128 b = (u128{0xffffffff} << 96) | (u128{0} << 64) | (u128{1} << 32) | 1;
  EXPECT_EQ(Call("v", {a, b}).values[0], u128{0xffffffff});
  // 300 saturates to 127, -300 to -128.
  u128 n = (u128{static_cast<uint16_t>(-300)} << 16) | 300;
  EXPECT_EQ(Call("narrow", {n, 0}).values[0], u128{0x807f});
}

}  // namespace
}  // namespace lathe::interp

namespace lathe::interp {
namespace {

// Embedder hooks: a mapped region is addressable (and growable) and a host function is
// reachable by name and by address, returning values or a trap.
TEST_F(InterpTest, MappedRegionsAndHostFunctions) {
  Load(R"(
function %peek(i64) -> i32 {
    sig0 = (i64) -> i64
    fn0 = u9:1 sig0
block0(v0: i64):
    v1 = call fn0(v0)
    v2 = load.i32 v1
    return v2
}
function %indirect(i64, i64) -> i64 {
    sig0 = (i64) -> i64
block0(v0: i64, v1: i64):
    v2 = call_indirect sig0, v0(v1)
    return v2
}
)");
  std::vector<uint8_t> region(8, 0);
  region[4] = 42;
  constexpr uint64_t kBase = uint64_t{1} << 40;
  interp_->MapRegion(kBase, &region);
  size_t id = interp_->AddHostFunction(ir::ExternalName::User(9, 1), [](absl::Span<const u128> args) {
    CallResult r;
    if (args[0] == 0) {
      r.trapped = true;
      r.trap = ir::TrapCode(7);
    } else {
      r.values.push_back(args[0] + 4);
    }
    return absl::StatusOr<CallResult>(r);
  });
  CallResult ok = Call("peek", {kBase});
  ASSERT_FALSE(ok.trapped);
  EXPECT_EQ(ok.values[0], 42u);
  CallResult trapped = Call("peek", {0});
  EXPECT_TRUE(trapped.trapped);
  EXPECT_EQ(trapped.trap, ir::TrapCode(7));
  // Past the region's end (it holds 8 bytes): a heap_oob trap, not a host read.
  CallResult oob = Call("peek", {kBase + 4 + 2});
  EXPECT_TRUE(oob.trapped);
  region.resize(16, 0);
  EXPECT_FALSE(Call("peek", {kBase + 6}).trapped);
  CallResult ind = Call("indirect", {Interpreter::HostFuncAddr(id), 10});
  ASSERT_FALSE(ind.trapped);
  EXPECT_EQ(ind.values[0], 14u);
}

}  // namespace
}  // namespace lathe::interp
