// get_frame_pointer / get_stack_pointer / get_return_address run natively through the JIT; the
// interpreter cannot model machine frames, so these are checked against the frame layout
// (push rbp; mov rbp, rsp) instead of the interpreter oracle.
#include <cstdint>

#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "module/jit_module.h"

namespace lathe::module {
namespace {

class JitFrameRegsTest : public ::testing::TestWithParam<regalloc::Algorithm> {
 protected:
  void SetUp() override {
    absl::StatusOr<ir::TestFile> f = ir::ParseTestFile(R"(
function %fp_sp() -> i64, i64 {
block0:
    v0 = get_frame_pointer.i64
    v1 = get_stack_pointer.i64
    return v0, v1
}
function %inner_ra() -> i64 {
block0:
    v0 = get_return_address.i64
    return v0
}
function %inner_saved_fp() -> i64 {
block0:
    v0 = get_frame_pointer.i64
    v1 = load.i64 v0
    return v1
}
function %outer() -> i64, i64 {
    fn0 = %inner_ra() -> i64
    fn1 = %outer() -> i64, i64
    fn2 = %inner_saved_fp() -> i64
block0:
    v0 = call fn0()
    v1 = func_addr.i64 fn1
    v2 = isub v0, v1
    v3 = call fn2()
    v4 = get_frame_pointer.i64
    v5 = icmp eq v3, v4
    v6 = uextend.i64 v5
    return v2, v6
}
function %debug() -> i64 {
block0:
    debugtrap
    v0 = iconst.i64 1
    return v0
}
)", "frame.clif");
    ASSERT_TRUE(f.ok()) << f.status();
    file_ = std::move(*f);
    std::vector<const ir::Function*> fns;
    for (const ir::ParsedFunction& pf : file_.functions) fns.push_back(pf.function.get());
    absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(fns, GetParam());
    ASSERT_TRUE(m.ok()) << m.status();
    jit_ = std::move(*m);
  }
  std::vector<uint64_t> Run(size_t i) {
    absl::StatusOr<CallOutcome> r = jit_->Call(i, {});
    EXPECT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r.ok() && !r->trapped);
    return r.ok() ? r->values : std::vector<uint64_t>(2, 0);
  }
  ir::TestFile file_;
  std::unique_ptr<JitModule> jit_;
};

TEST_P(JitFrameRegsTest, FramePointerIsAlignedAndAboveTheStackPointer) {
  std::vector<uint64_t> v = Run(0);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0] % 16, 0u);  // the call pushed 8 bytes, the prologue pushed rbp
  EXPECT_GE(v[0], v[1]);
  EXPECT_LT(v[0] - v[1], 4096u);
}

TEST_P(JitFrameRegsTest, ReturnAddressAndSavedFramePointerPointIntoTheCaller) {
  std::vector<uint64_t> v = Run(3);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_GT(v[0], 0u);    // the return point lies inside %outer, after its prologue and call
  EXPECT_LT(v[0], 256u);
  EXPECT_EQ(v[1], 1u);    // the callee's [rbp] is the caller's rbp
}

TEST_P(JitFrameRegsTest, DebugtrapCompiles) {
  // Running it would raise SIGTRAP, which is for a debugger; compiling must succeed.
  EXPECT_TRUE(jit_->status(4).ok()) << jit_->status(4);
}

INSTANTIATE_TEST_SUITE_P(Allocators, JitFrameRegsTest,
                         ::testing::Values(regalloc::Algorithm::kSinglePass, regalloc::Algorithm::kOptimizing));

}  // namespace
}  // namespace lathe::module
