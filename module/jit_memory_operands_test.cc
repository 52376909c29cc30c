// Runs code using x86-64 memory operands natively: loads sunk into ALU ops, compares and SSE
// arithmetic, and indexed address modes, against values computed here from the same memory;
// a sunk load that faults reports its own trap code (heap_oob, or the memflags' user code).
#include <cstring>
#include <vector>

#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "module/jit_module.h"

namespace lathe::module {
namespace {

constexpr const char* kProgram = R"(
function %add_indexed(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconst.i64 3
    v4 = ishl v1, v3
    v5 = iadd v0, v4
    v6 = load.i64 v5+8
    v7 = isub v2, v6
    return v7
}
function %cmp_swapped(i64, i32) -> i8 {
block0(v0: i64, v1: i32):
    v2 = load.i32 v0+4
    v3 = icmp slt v2, v1
    return v3
}
function %fmul_mem(i64, f64) -> f64 {
block0(v0: i64, v1: f64):
    v2 = iconst.i64 16
    v3 = iadd v0, v2
    v4 = load.f64 v3
    v5 = fmul v1, v4
    return v5
}
function %store_indexed(i64, i64, i32) {
block0(v0: i64, v1: i64, v2: i32):
    v3 = iconst.i64 2
    v4 = ishl v1, v3
    v5 = iadd v4, v0
    store v2, v5+12
    return
}
function %user_trap(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = load.i64 user7 v0
    v3 = bxor v1, v2
    return v3
}
function %sext_load(i64) -> i64 {
block0(v0: i64):
    v1 = load.i16 v0+2
    v2 = sextend.i64 v1
    return v2
}
)";

class JitMemoryOperandsTest : public ::testing::TestWithParam<isa::OptLevel> {
 protected:
  void SetUp() override {
    absl::StatusOr<ir::TestFile> f = ir::ParseTestFile(kProgram, "mem.clif");
    ASSERT_TRUE(f.ok()) << f.status();
    file_ = std::move(*f);
    std::vector<const ir::Function*> fns;
    for (const ir::ParsedFunction& pf : file_.functions) fns.push_back(pf.function.get());
    absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(fns, GetParam());
    ASSERT_TRUE(m.ok()) << m.status();
    jit_ = std::move(*m);
    for (size_t i = 0; i < jit_->num_functions(); ++i) ASSERT_TRUE(jit_->status(i).ok()) << jit_->status(i);
  }
  CallOutcome Call(size_t i, std::vector<uint64_t> args) {
    absl::StatusOr<CallOutcome> r = jit_->Call(i, args);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : CallOutcome();
  }
  static uint64_t Ptr(const void* p) { return reinterpret_cast<uint64_t>(p); }

  ir::TestFile file_;
  std::unique_ptr<JitModule> jit_;
};

TEST_P(JitMemoryOperandsTest, SunkLoadsComputeLikeSeparateLoads) {
  std::vector<int64_t> a = {5, -9, 1000000007, -4, 77, 123456789012345};
  for (uint64_t i = 0; i + 1 < a.size(); ++i) {
    int64_t want = 1000 - a[i + 1];  // [a + i*8 + 8]
    EXPECT_EQ(Call(0, {Ptr(a.data()), i, 1000}).values[0], static_cast<uint64_t>(want)) << i;
  }
  int32_t words[2] = {0, -3};
  for (int32_t x : {-10, -4, -3, -2, 0, 7}) {
    bool want = words[1] < x;
    EXPECT_EQ(Call(1, {Ptr(words), static_cast<uint32_t>(x)}).values[0] & 0xff, want ? 1u : 0u) << x;
  }
  double d[3] = {0, 0, 1.5e300};
  for (double x : {2.0, -0.25, 1e10}) {
    double want = x * d[2];
    uint64_t bits;
    std::memcpy(&bits, &x, 8);
    uint64_t got = Call(2, {Ptr(d), bits}).values[0];
    double g;
    std::memcpy(&g, &got, 8);
    EXPECT_EQ(g, want) << x;
  }
}

TEST_P(JitMemoryOperandsTest, ExtendedLoadSignExtendsFromMemory) {
  for (int16_t x : {int16_t{-2}, int16_t{32767}, int16_t{-32768}, int16_t{5}}) {
    int16_t h[2] = {0x7777, x};
    EXPECT_EQ(Call(5, {Ptr(h)}).values[0], static_cast<uint64_t>(static_cast<int64_t>(x))) << x;
  }
}

TEST_P(JitMemoryOperandsTest, IndexedStoreWritesTheAddressedWord) {
  std::vector<int32_t> w(16, 0);
  for (uint64_t i = 0; i < 10; ++i) {
    Call(3, {Ptr(w.data()), i, static_cast<uint64_t>(100 + i)});
    // [w + i*4 + 12] is element i + 3.
    EXPECT_EQ(w[i + 3], static_cast<int32_t>(100 + i));
  }
  EXPECT_EQ(w[0] + w[1] + w[2] + w[13] + w[14] + w[15], 0);
}

TEST_P(JitMemoryOperandsTest, FaultingSunkLoadReportsItsTrapCode) {
  CallOutcome oob = Call(0, {0, 0, 1});  // [0 + 8]
  EXPECT_TRUE(oob.trapped);
  EXPECT_EQ(oob.trap.code(), ir::TrapCode::kHeapOutOfBounds);
  CallOutcome user = Call(4, {0, 1});
  EXPECT_TRUE(user.trapped);
  EXPECT_EQ(user.trap.code(), 7);
  int64_t v = 0x1234;
  EXPECT_EQ(Call(4, {Ptr(&v), 0xff}).values[0], static_cast<uint64_t>(0x1234 ^ 0xff));
}

INSTANTIATE_TEST_SUITE_P(Allocators, JitMemoryOperandsTest,
                         ::testing::Values(isa::OptLevel::kNone, isa::OptLevel::kSpeed));

}  // namespace
}  // namespace lathe::module
