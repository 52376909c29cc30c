// Runs small .clif programs natively through the JIT and checks results, traps and errors.
#include "module/jit_module.h"

#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"

namespace lathe::module {
namespace {

struct Parsed {
  ir::TestFile file;
  std::vector<const ir::Function*> fns;
};

Parsed Parse(const std::string& text) {
  Parsed p;
  absl::StatusOr<ir::TestFile> f = ir::ParseTestFile(text, "test.clif");
  EXPECT_TRUE(f.ok()) << f.status();
  if (f.ok()) p.file = std::move(*f);
  for (const ir::ParsedFunction& pf : p.file.functions) p.fns.push_back(pf.function.get());
  return p;
}

class JitTest : public ::testing::TestWithParam<regalloc::Algorithm> {};

TEST_P(JitTest, ArithmeticLoopsAndCalls) {
  Parsed p = Parse(R"(
function %fib(i32) -> i32 {
block0(v0: i32):
    v1 = iconst.i32 0
    v2 = iconst.i32 1
    jump block1(v0, v1, v2)
block1(v3: i32, v4: i32, v5: i32):
    brif v3, block2, block3(v4)
block2:
    v6 = iadd v4, v5
    v9 = iconst.i32 1
    v7 = isub v3, v9
    jump block1(v7, v5, v6)
block3(v8: i32):
    return v8
}
function %caller(i32, i64) -> i64 {
    fn0 = %fib(i32) -> i32
block0(v0: i32, v1: i64):
    v2 = call fn0(v0)
    v3 = sextend.i64 v2
    v4 = imul v3, v1
    return v4
}
function %div(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = sdiv v0, v1
    return v2
}
function %slots(i64, i32) -> i64 {
    ss0 = explicit_slot 16
block0(v0: i64, v1: i32):
    v2 = stack_addr.i64 ss0
    store.i64 v0, v2
    v3 = stack_addr.i64 ss0+8
    istore8 v1, v3
    v4 = load.i64 v2
    v5 = sload8.i64 v3
    v6 = iadd v4, v5
    return v6
}
function %sel(i8, i16, i16) -> i16 {
block0(v0: i8, v1: i16, v2: i16):
    v3 = select v0, v1, v2
    return v3
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  auto call = [&](size_t i, std::vector<uint64_t> args) {
    absl::StatusOr<CallOutcome> r = (*m)->Call(i, args);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : CallOutcome();
  };
  EXPECT_EQ(call(0, {10}).values[0] & 0xffffffff, 55u);
  EXPECT_EQ(call(0, {20}).values[0] & 0xffffffff, 6765u);
  EXPECT_EQ(call(1, {10, static_cast<uint64_t>(-3)}).values[0], static_cast<uint64_t>(-165));
  EXPECT_EQ(call(2, {static_cast<uint64_t>(-7), 2}).values[0], static_cast<uint64_t>(-3));
  CallOutcome z = call(2, {7, 0});
  EXPECT_TRUE(z.trapped);
  EXPECT_EQ(z.trap.code(), ir::TrapCode::kIntegerDivisionByZero);
  CallOutcome o = call(2, {uint64_t{1} << 63, static_cast<uint64_t>(-1)});
  EXPECT_TRUE(o.trapped);
  EXPECT_EQ(o.trap.code(), ir::TrapCode::kIntegerOverflow);
  EXPECT_EQ(call(3, {100, 0x1ff}).values[0], 99u);  // 100 + sext(0xff)
  EXPECT_EQ(call(4, {1, 5, 6}).values[0] & 0xffff, 5u);
  EXPECT_EQ(call(4, {0x100, 5, 6}).values[0] & 0xffff, 6u);  // only the i8 bits of the condition count
}

TEST_P(JitTest, ScalarFloats) {
  Parsed p = Parse(R"(
function %hyp(f64, f64) -> f64 {
block0(v0: f64, v1: f64):
    v2 = fmul v0, v0
    v3 = fmul v1, v1
    v4 = fadd v2, v3
    v5 = sqrt v4
    return v5
}
function %lt(f32, f32) -> i8 {
block0(v0: f32, v1: f32):
    v2 = fcmp lt v0, v1
    return v2
}
function %mixed(i64, f32) -> f32 {
block0(v0: i64, v1: f32):
    v2 = fcvt_from_sint.f32 v0
    v3 = fneg v1
    v4 = fsub v2, v3
    v5 = floor v4
    return v5
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  auto f64 = [](double d) {
    uint64_t u;
    std::memcpy(&u, &d, 8);
    return u;
  };
  auto f32 = [](float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return uint64_t{u};
  };
  absl::StatusOr<CallOutcome> r = (*m)->Call(0, {f64(3.0), f64(4.0)});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->values[0], f64(5.0));
  const uint64_t nan = f32(std::numeric_limits<float>::quiet_NaN());
  r = (*m)->Call(1, {f32(1.0f), f32(2.0f)});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->values[0] & 0xff, 1u);
  r = (*m)->Call(1, {f32(2.0f), f32(1.0f)});
  EXPECT_EQ(r->values[0] & 0xff, 0u);
  r = (*m)->Call(1, {nan, f32(1.0f)});  // unordered: lt is false
  EXPECT_EQ(r->values[0] & 0xff, 0u);
  r = (*m)->Call(2, {static_cast<uint64_t>(-3), f32(1.25f)});  // floor(-3 + 1.25) = -2
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->values[0] & 0xffffffff, f32(-2.0f));
}

TEST_P(JitTest, I128Pairs) {
  Parsed p = Parse(R"(
function %add(i128, i128) -> i128 {
block0(v0: i128, v1: i128):
    v2 = iadd v0, v1
    return v2
}
function %lt(i128, i128) -> i8 {
block0(v0: i128, v1: i128):
    v2 = icmp slt v0, v1
    return v2
}
function %wide(i64) -> i64 {
block0(v0: i64):
    v1 = sextend.i128 v0
    v2 = iconst.i64 1
    v3 = uextend.i128 v2
    v4 = isub v1, v3
    v5, v6 = isplit v4
    return v6
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE((*m)->status(0).ok()) << (*m)->status(0);
  // (2^64 - 1) + 1 carries into the high half.
  absl::StatusOr<CallOutcome> r = (*m)->Call(0, {~uint64_t{0}, 0, 1, 0});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->values[0], 0u);
  EXPECT_EQ(r->values[1], 1u);
  r = (*m)->Call(1, {~uint64_t{0}, 0, 1, 0});  // 2^64 - 1 < 1 is false
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->values[0] & 0xff, 0u);
  r = (*m)->Call(1, {5, ~uint64_t{0}, 1, 0});  // a negative value < 1
  EXPECT_EQ(r->values[0] & 0xff, 1u);
  r = (*m)->Call(2, {0});  // sext(0) - 1 = -1: the high half is all ones
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->values[0], ~uint64_t{0});
  r = (*m)->Call(2, {5});
  EXPECT_EQ(r->values[0], 0u);
}

TEST_P(JitTest, Atomics) {
  Parsed p = Parse(R"(
function %rmw(i32, i32) -> i32, i32 {
    ss0 = explicit_slot 4
block0(v0: i32, v1: i32):
    v2 = stack_addr.i64 ss0
    atomic_store.i32 v0, v2
    v3 = atomic_rmw.i32 add v2, v1
    v4 = atomic_rmw.i32 umin v2, v1
    v5 = atomic_cas.i32 v2, v1, v0
    v6 = atomic_load.i32 v2
    v7 = iadd v3, v4
    v8 = iadd v7, v5
    return v8, v6
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  // mem = 10; add 3 -> old 10, mem 13; umin 3 -> old 13, mem 3; cas(3 == 3) -> old 3, mem 10.
  absl::StatusOr<CallOutcome> r = (*m)->Call(0, {10, 3});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->values[0] & 0xffffffff, 26u);
  EXPECT_EQ(r->values[1] & 0xffffffff, 10u);
}

TEST_P(JitTest, FuncAddrAndCallIndirect) {
  Parsed p = Parse(R"(
function %sub(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = isub v0, v1
    return v2
}
function %mul(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = imul v0, v1
    return v2
}
function %pick(i8, i64, i64) -> i64 {
    fn0 = %sub(i64, i64) -> i64
    fn1 = %mul(i64, i64) -> i64
block0(v0: i8, v1: i64, v2: i64):
    v3 = func_addr.i64 fn0
    v4 = func_addr.i64 fn1
    v5 = select v0, v3, v4
    v6 = call_indirect sig0, v5(v1, v2)
    v7 = iadd v6, v1
    return v7
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  absl::StatusOr<CallOutcome> a = (*m)->Call(2, {1, 10, 3});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->values[0], 17u);  // (10 - 3) + 10, v1 live across the call
  absl::StatusOr<CallOutcome> b = (*m)->Call(2, {0, 10, 3});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->values[0], 40u);  // 10 * 3 + 10
}

TEST_P(JitTest, BrTableThroughJumpTable) {
  Parsed p = Parse(R"(
function %bt(i32) -> i64 {
block0(v0: i32):
    br_table v0, block9, [block1, block2, block3, block1]
block1:
    v1 = iconst.i64 11
    return v1
block2:
    v2 = iconst.i64 22
    return v2
block3:
    v3 = iconst.i64 33
    return v3
block9:
    v9 = iconst.i64 99
    return v9
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  // Index 0x1_00000002: only the low 32 bits count; 0xffffffff and 4 are out of range.
  const std::vector<std::pair<uint64_t, uint64_t>> cases = {
      {0, 11}, {1, 22}, {2, 33}, {3, 11}, {4, 99}, {0xffffffffu, 99}, {(uint64_t{1} << 32) | 2, 33}};
  for (const auto& [index, want] : cases) {
    absl::StatusOr<CallOutcome> r = (*m)->Call(0, {index});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->values[0], want) << index;
  }
}

TEST_P(JitTest, TailCalls) {
  // %count recurses 100000 times through return_call: without frame reuse the stack would grow
  // by that many frames; %via_ptr tail-calls through a function pointer.
  Parsed p = Parse(R"(
function %count(i64, i64) -> i64 tail {
    fn0 = %count(i64, i64) -> i64 tail
block0(v0: i64, v1: i64):
    brif v0, block1, block2
block1:
    v2 = iconst.i64 1
    v3 = isub v0, v2
    v4 = iadd v1, v2
    return_call fn0(v3, v4)
block2:
    return v1
}
function %via_ptr(i64) -> i64 tail {
    fn0 = %count(i64, i64) -> i64 tail
block0(v0: i64):
    v1 = func_addr.i64 fn0
    v2 = iconst.i64 5
    return_call_indirect sig0, v1(v0, v2)
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  absl::StatusOr<CallOutcome> a = (*m)->Call(0, {100000, 7});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->values[0], 100007u);
  absl::StatusOr<CallOutcome> b = (*m)->Call(1, {3});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->values[0], 8u);
}

TEST_P(JitTest, UnsupportedTypeIsAnErrorNamingIt) {
  Parsed p = Parse(R"(
function %f(f128) -> f128 {
block0(v0: f128):
    return v0
}
function %g(i128) -> i128 {
block0(v0: i128):
    v1 = udiv v0, v0
    return v1
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_NE((*m)->status(0).message().find("f128"), std::string::npos) << (*m)->status(0);
  EXPECT_NE((*m)->status(1).message().find("type i128 in udiv"), std::string::npos) << (*m)->status(1);
  EXPECT_FALSE((*m)->Call(0, {0}).ok());
}

TEST_P(JitTest, CallToUndefinedFunctionIsAnError) {
  Parsed p = Parse(R"(
function %f() -> i64 {
    fn0 = %missing() -> i64
block0:
    v0 = call fn0()
    return v0
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_NE((*m)->status(0).message().find("missing"), std::string::npos) << (*m)->status(0);
  absl::StatusOr<CallOutcome> r = (*m)->Call(0, {});
  EXPECT_FALSE(r.ok());
}

INSTANTIATE_TEST_SUITE_P(Allocators, JitTest,
                         ::testing::Values(regalloc::Algorithm::kSinglePass, regalloc::Algorithm::kOptimizing));

}  // namespace
}  // namespace lathe::module
