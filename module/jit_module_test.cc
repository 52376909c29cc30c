// Runs small .clif programs natively through the JIT and checks results, traps and errors.
#include "module/jit_module.h"

#include <cmath>

#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "module/libcalls.h"

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

// The bits of a float, as an argument or result slot.
uint64_t Bits64(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return u;
}
uint64_t Bits32(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

class JitTest : public ::testing::TestWithParam<isa::OptLevel> {};

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
  auto f64 = Bits64;
  auto f32 = Bits32;
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

TEST_P(JitTest, StackArgumentsAndReturnsThroughMemory) {
  // %many takes 8 integers, 10 doubles and an i128 that no longer fits in registers; the
  // arguments are weighted so that a misplaced one changes the sum. %caller passes them on
  // the stack; %rets returns five values through the hidden return area and %sum_rets calls it.
  Parsed p = Parse(R"(
function %many(i64, i64, i64, i64, i64, i64, i64, i8, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, i128) -> i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i8, v8: f64, v9: f64, v10: f64, v11: f64, v12: f64, v13: f64, v14: f64, v15: f64, v16: f64, v17: f64, v18: i128):
    v201 = iconst.i64 2
    v20 = imul v1, v201
    v202 = iconst.i64 3
    v21 = imul v2, v202
    v203 = iconst.i64 4
    v22 = imul v3, v203
    v204 = iconst.i64 5
    v23 = imul v4, v204
    v205 = iconst.i64 6
    v24 = imul v5, v205
    v206 = iconst.i64 7
    v25 = imul v6, v206
    v26 = sextend.i64 v7
    v207 = iconst.i64 8
    v27 = imul v26, v207
    v30 = iadd v0, v20
    v31 = iadd v30, v21
    v32 = iadd v31, v22
    v33 = iadd v32, v23
    v34 = iadd v33, v24
    v35 = iadd v34, v25
    v36 = iadd v35, v27
    v40 = fsub v16, v17
    v41 = fcvt_to_sint.i64 v40
    v208 = iconst.i64 1000
    v42 = imul v41, v208
    v43 = iadd v36, v42
    v44, v45 = isplit v18
    v209 = iconst.i64 100000
    v46 = imul v45, v209
    v47 = iadd v43, v44
    v48 = iadd v47, v46
    return v48
}
function %caller(i64) -> i64 {
    fn0 = %many(i64, i64, i64, i64, i64, i64, i64, i8, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, i128) -> i64
block0(v0: i64):
    v1 = iconst.i64 1
    v2 = iconst.i8 -1
    v3 = f64const 0.0
    v4 = f64const 0x1.4p3
    v5 = f64const 0x1.0p0
    v6 = iconst.i64 3
    v7 = iconcat v6, v1
    v8 = call fn0(v0, v1, v1, v1, v1, v1, v1, v2, v3, v3, v3, v3, v3, v3, v3, v3, v4, v5, v7)
    return v8
}
function %rets(i64) -> i64, i64, i64, f64, i128 {
block0(v0: i64):
    v210 = iconst.i64 1
    v1 = iadd v0, v210
    v211 = iconst.i64 2
    v2 = iadd v0, v211
    v3 = f64const 0x1.8p1
    v4 = iconst.i64 9
    v5 = iconcat v0, v4
    return v0, v1, v2, v3, v5
}
function %sum_rets(i64) -> i64 {
    fn0 = %rets(i64) -> i64, i64, i64, f64, i128
block0(v0: i64):
    v1, v2, v3, v4, v5 = call fn0(v0)
    v6 = iadd v1, v2
    v7 = iadd v6, v3
    v8 = fcvt_to_sint.i64 v4
    v9 = iadd v7, v8
    v10, v11 = isplit v5
    v12 = iadd v9, v11
    return v12
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  for (size_t i = 0; i < (*m)->num_functions(); ++i) ASSERT_TRUE((*m)->status(i).ok()) << (*m)->status(i);
  // 10 + (2+3+4+5+6+7) - 8 + 9 * 1000 + 3 + 100000
  const uint64_t want = 10 + 27 - 8 + 9000 + 3 + 100000;
  absl::StatusOr<CallOutcome> a = (*m)->Call(1, {10});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->values[0], want);
  // The host calls %many directly too, through the entry trampoline.
  std::vector<uint64_t> args = {10, 1, 1, 1, 1, 1, 1, 0xff};
  for (int k = 0; k < 8; ++k) args.push_back(0);
  args.push_back(Bits64(10.0));
  args.push_back(Bits64(1.0));
  args.push_back(3);
  args.push_back(1);
  absl::StatusOr<CallOutcome> b = (*m)->Call(0, args);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->values[0], want);
  absl::StatusOr<CallOutcome> c = (*m)->Call(3, {100});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->values[0], 100u + 101 + 102 + 3 + 9);
  absl::StatusOr<CallOutcome> d = (*m)->Call(2, {5});
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->values.size(), 6u);
  EXPECT_EQ(d->values[2], 7u);
  EXPECT_EQ(d->values[4], 5u);
  EXPECT_EQ(d->values[5], 9u);
}

TEST_P(JitTest, TailConventionPopsStackArguments) {
  // %shrink (8 stack words) tail-calls %grow (9 integer arguments: 3 on the stack), which
  // tail-calls %leaf (register arguments only); each change of stack-argument size must leave
  // the stack where the caller of %shrink expects it. %sum9 returns normally, popping its 3
  // stack words with ret imm16. %loop does 1000 calls to each from one frame, so a wrong pop
  // would walk the stack away and crash or corrupt its live values.
  Parsed p = Parse(R"(
function %leaf(i64, i64) -> i64 tail {
block0(v0: i64, v1: i64):
    v212 = iconst.i64 10
    v2 = imul v1, v212
    v3 = iadd v0, v2
    return v3
}
function %grow(i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64 tail {
    fn0 = %leaf(i64, i64) -> i64 tail
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i64, v8: i64):
    v9 = iadd v6, v7
    v10 = iadd v9, v8
    return_call fn0(v0, v10)
}
function %shrink(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64 tail {
    fn0 = %grow(i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64 tail
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i64, v8: i64, v9: i64, v10: i64, v11: i64, v12: i64, v13: i64):
    return_call fn0(v13, v1, v2, v3, v4, v5, v12, v11, v6)
}
function %sum9(i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64 tail {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i64, v8: i64):
    v9 = iadd v0, v6
    v10 = iadd v9, v7
    v11 = iadd v10, v8
    return v11
}
function %loop(i64) -> i64 {
    fn0 = %shrink(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64 tail
    fn1 = %sum9(i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64 tail
block0(v0: i64):
    v1 = iconst.i64 0
    jump block1(v0, v1)
block1(v2: i64, v3: i64):
    brif v2, block2, block3
block2:
    v4 = iconst.i64 1
    v5 = iconst.i64 2
    v6 = iconst.i64 3
    v7 = iconst.i64 4
    v8 = call fn0(v4, v4, v4, v4, v4, v4, v5, v4, v4, v4, v4, v6, v7, v2)
    v11 = call fn1(v2, v4, v4, v4, v4, v4, v6, v7, v5)
    v12 = iadd v3, v8
    v9 = iadd v12, v11
    v213 = iconst.i64 -1
    v10 = iadd v2, v213
    jump block1(v10, v9)
block3:
    return v3
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  for (size_t i = 0; i < (*m)->num_functions(); ++i) ASSERT_TRUE((*m)->status(i).ok()) << (*m)->status(i);
  // shrink(..., v12=4, v13=n) -> grow(n, ..., v6=4, v7=3, v8=2) -> leaf(n, 9) = n + 90.
  absl::StatusOr<CallOutcome> a = (*m)->Call(2, {1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 3, 4, 7});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->values[0], 97u);
  // sum over n = 1..1000 of (n + 90) + (n + 3 + 4 + 2)
  absl::StatusOr<CallOutcome> b = (*m)->Call(4, {1000});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->values[0], 500500u + 90000u + 500500u + 9000u);
  absl::StatusOr<CallOutcome> c = (*m)->Call(3, {1, 0, 0, 0, 0, 0, 2, 3, 4});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->values[0], 10u);
}

TEST_P(JitTest, F16AndF128Values) {
  // f128 arguments and returns travel in whole xmm registers (and on the stack past xmm7).
  Parsed p = Parse(R"(
function %pick(i8, f128, f128) -> f128 {
block0(v0: i8, v1: f128, v2: f128):
    v3 = select v0, v1, v2
    return v3
}
function %bits(f128) -> i128 {
block0(v0: f128):
    v1 = bitcast.i128 v0
    return v1
}
function %konst() -> f128 {
block0:
    v0 = f128const 0x1.8p0
    return v0
}
function %ninth(f128, f128, f128, f128, f128, f128, f128, f128, f128) -> f128 {
block0(v0: f128, v1: f128, v2: f128, v3: f128, v4: f128, v5: f128, v6: f128, v7: f128, v8: f128):
    return v8
}
function %half(i16) -> f16 {
block0(v0: i16):
    v1 = bitcast.f16 v0
    return v1
}
function %memory(f16, f128) -> f16, f16, f128 {
    ss0 = explicit_slot 48
block0(v0: f16, v1: f128):
    v2 = stack_addr.i64 ss0
    v3 = iconst.i64 -1
    store v3, v2
    store v0, v2+2
    store v1, v2+16
    v4 = load.f16 v2+2
    v5 = load.f128 v2+16
    v6 = load.i64 v2
    v7 = ireduce.i16 v6
    v8 = bitcast.f16 v7
    return v8, v4, v5
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  for (size_t i = 0; i < (*m)->num_functions(); ++i) ASSERT_TRUE((*m)->status(i).ok()) << (*m)->status(i);
  absl::StatusOr<CallOutcome> a = (*m)->Call(0, {1, 0x1111, 0x2222, 0x3333, 0x4444});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->values, (std::vector<uint64_t>{0x1111, 0x2222}));
  absl::StatusOr<CallOutcome> b = (*m)->Call(0, {0, 0x1111, 0x2222, 0x3333, 0x4444});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->values, (std::vector<uint64_t>{0x3333, 0x4444}));
  absl::StatusOr<CallOutcome> c = (*m)->Call(1, {0x0123456789abcdefull, 0xfedcba9876543210ull});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->values, (std::vector<uint64_t>{0x0123456789abcdefull, 0xfedcba9876543210ull}));
  absl::StatusOr<CallOutcome> d = (*m)->Call(2, {});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->values, (std::vector<uint64_t>{0, 0x3fff800000000000ull}));  // 1.5 in binary128
  std::vector<uint64_t> nine;
  for (uint64_t k = 0; k < 9; ++k) {
    nine.push_back(k);
    nine.push_back(100 + k);
  }
  absl::StatusOr<CallOutcome> e = (*m)->Call(3, nine);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->values, (std::vector<uint64_t>{8, 108}));
  absl::StatusOr<CallOutcome> f = (*m)->Call(4, {0x3c00});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->values[0] & 0xffff, 0x3c00u);
  // The f16 store writes exactly bytes 2-3 (the i16 read back at offset 0 keeps 0xffff).
  absl::StatusOr<CallOutcome> g = (*m)->Call(5, {0xabcd3c00, 0x1111, 0x2222});
  ASSERT_TRUE(g.ok()) << g.status();
  ASSERT_EQ(g->values.size(), 4u);
  EXPECT_EQ(g->values[0] & 0xffff, 0xffffu);
  EXPECT_EQ(g->values[1] & 0xffff, 0x3c00u);
  EXPECT_EQ(g->values[2], 0x1111u);
  EXPECT_EQ(g->values[3], 0x2222u);
}

// f128 arithmetic and conversions call libgcc's soft-float routines through host symbols.
TEST_P(JitTest, F128ArithmeticThroughSoftFloat) {
  Parsed p = Parse(R"(
function %arith(f128, f128) -> f128 {
block0(v0: f128, v1: f128):
    v2 = fadd v0, v1
    v3 = f128const 0x1.0p1
    v4 = fmul v2, v3
    v5 = f128const 0x1.8p1
    v6 = fdiv v4, v5
    v7 = f128const 0x1.0p-1
    v8 = fsub v6, v7
    return v8
}
function %promote(f64) -> f128 {
block0(v0: f64):
    v1 = fpromote.f128 v0
    return v1
}
function %demote(f128) -> f32 {
block0(v0: f128):
    v1 = fdemote.f32 v0
    return v1
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam(), nullptr, &LibcallSymbols());
  ASSERT_TRUE(m.ok()) << m.status();
  for (size_t i = 0; i < (*m)->num_functions(); ++i) ASSERT_TRUE((*m)->status(i).ok()) << (*m)->status(i);
  // binary128: sign, 15-bit exponent (bias 16383), 112-bit fraction; the high word leads.
  const uint64_t k1_5 = 0x3fff800000000000ull, k2_25 = 0x4000200000000000ull;
  absl::StatusOr<CallOutcome> a = (*m)->Call(0, {0, k1_5, 0, k2_25});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->values, (std::vector<uint64_t>{0, 0x4000000000000000ull}));  // (1.5 + 2.25) * 2 / 3 - 0.5 = 2
  absl::StatusOr<CallOutcome> b = (*m)->Call(1, {Bits64(3.5)});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->values, (std::vector<uint64_t>{0, 0x4000c00000000000ull}));
  absl::StatusOr<CallOutcome> c = (*m)->Call(2, {0, k2_25});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->values[0] & 0xffffffffu, Bits32(2.25f));
}

TEST_P(JitTest, UnsupportedTypeIsAnErrorNamingIt) {
  Parsed p = Parse(R"(
function %f(f128, f128) -> i8 {
block0(v0: f128, v1: f128):
    v2 = fcmp eq v0, v1
    return v2
}
function %g(i128) -> i128 {
block0(v0: i128):
    v1 = udiv v0, v0
    return v1
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_NE((*m)->status(0).message().find("type f128 in fcmp"), std::string::npos) << (*m)->status(0);
  EXPECT_NE((*m)->status(1).message().find("type i128 in udiv"), std::string::npos) << (*m)->status(1);
  EXPECT_FALSE((*m)->Call(0, {0, 0, 0, 0}).ok());
}

int64_t HostMulAdd(int64_t a, int64_t b, int64_t c) { return a * b + c; }
// Reads all 64 bits of its argument registers, so a missing uext/sext extension shows.
uint64_t HostPair(uint64_t a, uint64_t b) { return a ^ (b << 1); }

TEST_P(JitTest, HostSymbolsResolveExternalCalls) {
  Parsed p = Parse(R"(
function %direct(i64) -> i64 {
    fn0 = %host_muladd(i64, i64, i64) -> i64 system_v
block0(v0: i64):
    v1 = iconst.i64 7
    v2 = iconst.i64 5
    v3 = call fn0(v0, v1, v2)
    return v3
}
function %indirect(i64) -> i64 {
    fn0 = %host_muladd(i64, i64, i64) -> i64 system_v
block0(v0: i64):
    v1 = func_addr.i64 fn0
    v2 = call_indirect sig0, v1(v0, v0, v0)
    return v2
}
function %ceil(f32) -> f32 {
    fn0 = %CeilF32(f32) -> f32 system_v
block0(v0: f32):
    v1 = call fn0(v0)
    return v1
}
function %unknown() -> i64 {
    fn0 = %not_defined() -> i64 system_v
block0:
    v0 = call fn0()
    return v0
}
function %extend(i64) -> i64 {
    fn0 = %host_pair(i8 sext, i16 uext) -> i64 system_v
block0(v0: i64):
    v1 = ireduce.i8 v0
    v2 = ireduce.i16 v0
    v3 = call fn0(v1, v2)
    return v3
}
function %ret_sext(i64) -> i8 sext {
block0(v0: i64):
    v1 = ireduce.i8 v0
    return v1
}
)");
  HostSymbols symbols = LibcallSymbols();
  symbols.Define("%host_muladd", reinterpret_cast<const void*>(&HostMulAdd));
  symbols.Define("%host_pair", reinterpret_cast<const void*>(&HostPair));
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam(), nullptr, &symbols);
  ASSERT_TRUE(m.ok()) << m.status();
  absl::StatusOr<CallOutcome> a = (*m)->Call(0, {6});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->values[0], 47u);
  absl::StatusOr<CallOutcome> b = (*m)->Call(1, {9});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->values[0], 90u);
  absl::StatusOr<CallOutcome> c = (*m)->Call(2, {Bits32(0.25f)});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->values[0] & 0xffffffffu, Bits32(1.0f));
  EXPECT_NE((*m)->status(3).message().find("%not_defined"), std::string::npos) << (*m)->status(3);
  // uext/sext parameters and returns are extended to 64 bits for code compiled elsewhere.
  absl::StatusOr<CallOutcome> e = (*m)->Call(4, {0x123456789abcdef0ull});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->values[0], 0xfffffffffffffff0ull ^ (0xdef0ull << 1));
  absl::StatusOr<CallOutcome> f = (*m)->Call(5, {0x123456789abcdef0ull});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->values[0], 0xfffffffffffffff0ull);
}

// Without SSE4.1 and FMA3 the rounding and fma instructions become library calls.
TEST_P(JitTest, MissingExtensionsBecomeLibcalls) {
  Parsed p = Parse(R"(
function %round(f64) -> f64, f64 {
block0(v0: f64):
    v1 = nearest v0
    v2 = floor v0
    return v1, v2
}
function %round32(f32) -> f32, f32 {
block0(v0: f32):
    v1 = ceil v0
    v2 = trunc v0
    return v1, v2
}
function %fma(f64, f64, f64) -> f64 {
block0(v0: f64, v1: f64, v2: f64):
    v3 = fma v0, v1, v2
    return v3
}
)");
  absl::StatusOr<isa::TargetSpec> baseline = isa::ParseTarget("x86_64", "test");
  ASSERT_TRUE(baseline.ok()) << baseline.status();
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam(), &*baseline, &LibcallSymbols());
  ASSERT_TRUE(m.ok()) << m.status();
  for (size_t i = 0; i < (*m)->num_functions(); ++i) ASSERT_TRUE((*m)->status(i).ok()) << (*m)->status(i);

  absl::StatusOr<CallOutcome> a = (*m)->Call(0, {Bits64(2.5)});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->values[0], Bits64(2.0));  // ties to even
  EXPECT_EQ(a->values[1], Bits64(2.0));
  absl::StatusOr<CallOutcome> b = (*m)->Call(0, {Bits64(-1.5)});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->values[0], Bits64(-2.0));
  EXPECT_EQ(b->values[1], Bits64(-2.0));
  absl::StatusOr<CallOutcome> c = (*m)->Call(1, {Bits32(-1.5f)});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->values[0] & 0xffffffffu, Bits32(-1.0f));
  EXPECT_EQ(c->values[1] & 0xffffffffu, Bits32(-1.0f));
  // fma rounds once: (1 + 2^-30)^2 - 1 keeps the 2^-60 term a separate multiply would lose.
  const double e = 1.0 + std::ldexp(1.0, -30);
  absl::StatusOr<CallOutcome> d = (*m)->Call(2, {Bits64(e), Bits64(e), Bits64(-1.0)});
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->values[0], Bits64(std::ldexp(1.0, -29) + std::ldexp(1.0, -60)));
}

// try_call with an empty exception table is a call and a jump: the normal-return block gets
// the results (`retN`, an i128 as a pair) mixed with ordinary values. Handlers are rejected.
TEST_P(JitTest, TryCallWithoutHandlers) {
  Parsed p = Parse(R"(
function %pair(i64) -> i128, i64 tail {
block0(v0: i64):
    v1 = iconst.i64 3
    v2 = iconcat v0, v1
    v3 = iadd v0, v1
    return v2, v3
}
function %caller(i64) -> i64 {
    sig0 = (i64) -> i128, i64 tail
    fn0 = %pair(i64) -> i128, i64 tail
block0(v0: i64):
    v9 = iconst.i64 100
    try_call fn0(v0), sig0, block1(v9, ret1, ret0), []
block1(v1: i64, v2: i64, v3: i128):
    v4, v5 = isplit v3
    v6 = iadd v1, v2
    v7 = iadd v6, v4
    v8 = imul v7, v5
    return v8
}
function %indirect(i64) -> i64 {
    sig0 = (i64) -> i128, i64 tail
    fn0 = %pair(i64) -> i128, i64 tail
block0(v0: i64):
    v1 = func_addr.i64 fn0
    try_call_indirect v1(v0), sig0, block1(ret1), []
block1(v2: i64):
    return v2
}
function %handlers(i64) -> i64 {
    sig0 = (i64) -> i128, i64 tail
    fn0 = %pair(i64) -> i128, i64 tail
block0(v0: i64):
    try_call fn0(v0), sig0, block1(ret1), [ default: block2(exn0) ]
block1(v1: i64):
    return v1
block2(v2: i64):
    return v2
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  absl::StatusOr<CallOutcome> a = (*m)->Call(1, {5});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->values[0], (100u + 8u + 5u) * 3u);
  absl::StatusOr<CallOutcome> b = (*m)->Call(2, {5});
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->values[0], 8u);
  EXPECT_NE((*m)->status(3).message().find("try_call with exception handlers"), std::string::npos)
      << (*m)->status(3);
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

// SIMD: 128-bit vectors travel in xmm registers, the ninth and later in 16-byte stack slots,
// both into the function and out of a call it makes; the entry takes each as two slots.
TEST_P(JitTest, VectorArgumentsInRegistersAndOnTheStack) {
  Parsed p = Parse(R"(
function %pick(i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4) -> i32x4 {
block0(v0: i32x4, v1: i32x4, v2: i32x4, v3: i32x4, v4: i32x4, v5: i32x4, v6: i32x4, v7: i32x4, v8: i32x4, v9: i32x4):
    v10 = isub v9, v8
    v11 = iadd v10, v0
    return v11
}
function %caller(i32x4, i32x4) -> i32x4 {
    fn0 = %pick(i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4) -> i32x4
block0(v0: i32x4, v1: i32x4):
    v2 = call fn0(v0, v0, v0, v0, v0, v0, v0, v0, v0, v1)
    return v2
}
)");
  absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(p.fns, GetParam());
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_TRUE((*m)->status(0).ok()) << (*m)->status(0);
  ASSERT_TRUE((*m)->status(1).ok()) << (*m)->status(1);
  // Parameter k holds lanes [k, k+100, k+200, k+300].
  std::vector<uint64_t> args;
  for (uint64_t k = 0; k < 10; ++k) {
    args.push_back(k | (k + 100) << 32);
    args.push_back((k + 200) | (k + 300) << 32);
  }
  absl::StatusOr<CallOutcome> r = (*m)->Call(0, args);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->values.size(), 2u);
  // (p9 - p8) + p0 = 1 + p0 in every lane.
  EXPECT_EQ(r->values[0], uint64_t{1} | uint64_t{101} << 32);
  EXPECT_EQ(r->values[1], uint64_t{201} | uint64_t{301} << 32);
  r = (*m)->Call(1, {5 | uint64_t{6} << 32, 7 | uint64_t{8} << 32, 50 | uint64_t{60} << 32, 70 | uint64_t{80} << 32});
  ASSERT_TRUE(r.ok()) << r.status();
  // (v1 - v0) + v0 = v1, the tenth argument, passed on the stack.
  EXPECT_EQ(r->values[0], 50 | uint64_t{60} << 32);
  EXPECT_EQ(r->values[1], 70 | uint64_t{80} << 32);
}

INSTANTIATE_TEST_SUITE_P(Allocators, JitTest,
                         ::testing::Values(isa::OptLevel::kNone, isa::OptLevel::kSpeed));

}  // namespace
}  // namespace lathe::module
