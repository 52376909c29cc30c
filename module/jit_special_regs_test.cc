// Special registers through the JIT. get_frame_pointer / get_stack_pointer / get_return_address:
// the interpreter cannot model machine frames, so these are checked against the frame layout
// (push rbp; mov rbp, rsp). get/set_pinned_reg with enable_pinned_reg: r15 is one register for
// the whole module, so a callee's set is what the caller reads after the call.
#include <cstdint>

#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/targets.h"
#include "module/jit_module.h"

namespace lathe::module {
namespace {

class JitFrameRegsTest : public ::testing::TestWithParam<isa::OptLevel> {
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
                         ::testing::Values(isa::OptLevel::kNone, isa::OptLevel::kSpeed));

class JitPinnedRegTest : public ::testing::TestWithParam<isa::OptLevel> {
 protected:
  static constexpr const char* kText = R"(
function %set(i64) {
block0(v0: i64):
    set_pinned_reg v0
    return
}
function %set_in_callee_then_get(i64) -> i64 {
    fn0 = %set(i64)
block0(v0: i64):
    call fn0(v0)
    v1 = get_pinned_reg.i64
    return v1
}
; Fourteen values live at once: more than the twelve allocatable registers left besides r15.
function %pressure(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    set_pinned_reg v0
    v2 = iadd v1, v1
    v3 = iadd v2, v1
    v4 = iadd v3, v1
    v5 = iadd v4, v1
    v6 = iadd v5, v1
    v7 = iadd v6, v1
    v8 = iadd v7, v1
    v9 = iadd v8, v1
    v10 = iadd v9, v1
    v11 = iadd v10, v1
    v12 = iadd v11, v1
    v13 = iadd v12, v1
    v14 = iadd v13, v1
    v15 = iadd v14, v1
    v20 = iadd v2, v3
    v21 = iadd v20, v4
    v22 = iadd v21, v5
    v23 = iadd v22, v6
    v24 = iadd v23, v7
    v25 = iadd v24, v8
    v26 = iadd v25, v9
    v27 = iadd v26, v10
    v28 = iadd v27, v11
    v29 = iadd v28, v12
    v30 = iadd v29, v13
    v31 = iadd v30, v14
    v32 = iadd v31, v15
    v33 = get_pinned_reg.i64
    v34 = iadd v32, v33
    return v34
}
)";
  std::unique_ptr<JitModule> Build(bool pinned_reg) {
    absl::StatusOr<ir::TestFile> f = ir::ParseTestFile(kText, "pinned.clif");
    EXPECT_TRUE(f.ok()) << f.status();
    if (!f.ok()) return nullptr;
    file_ = std::move(*f);
    std::vector<const ir::Function*> fns;
    for (const ir::ParsedFunction& pf : file_.functions) fns.push_back(pf.function.get());
    absl::StatusOr<isa::TargetSpec> host = isa::HostTarget();
    EXPECT_TRUE(host.ok()) << host.status();
    if (!host.ok()) return nullptr;
    host->enable_pinned_reg = pinned_reg;
    absl::StatusOr<std::unique_ptr<JitModule>> m = JitModule::Create(fns, GetParam(), &*host);
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? std::move(*m) : nullptr;
  }
  ir::TestFile file_;
};

TEST_P(JitPinnedRegTest, ValueSetByACalleeIsReadByItsCaller) {
  std::unique_ptr<JitModule> m = Build(true);
  ASSERT_NE(m, nullptr);
  for (uint64_t v : {uint64_t{7}, ~uint64_t{0}, uint64_t{0xDEADBEEFC0FFEEEE}}) {
    absl::StatusOr<CallOutcome> r = m->Call(1, {v});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->values[0], v);
  }
}

TEST_P(JitPinnedRegTest, SurvivesRegisterPressure) {
  std::unique_ptr<JitModule> m = Build(true);
  ASSERT_NE(m, nullptr);
  absl::StatusOr<CallOutcome> r = m->Call(2, {1000000, 1});
  ASSERT_TRUE(r.ok()) << r.status();
  // v2..v15 are 2..15; their sum is 119.
  EXPECT_EQ(r->values[0], 1000000u + 119u);
}

TEST_P(JitPinnedRegTest, WithoutTheSettingItIsAnErrorNamingIt) {
  std::unique_ptr<JitModule> m = Build(false);
  ASSERT_NE(m, nullptr);
  EXPECT_NE(m->status(0).message().find("enable_pinned_reg"), std::string::npos) << m->status(0);
  EXPECT_FALSE(m->Call(0, {1}).ok());
}

INSTANTIATE_TEST_SUITE_P(Allocators, JitPinnedRegTest,
                         ::testing::Values(isa::OptLevel::kNone, isa::OptLevel::kSpeed));

}  // namespace
}  // namespace lathe::module
