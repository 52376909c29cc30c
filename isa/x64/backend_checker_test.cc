// Compiles every function of the corpus runtests with both register allocators and verifies each
// allocation of the x86-64 vcode with the allocator's symbolic checker (operand constraints,
// early/late overlap rules, and that every use reads its value), so lowering constraints that
// the emitter relies on are checked independently of execution.
#include <string>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "ir/parser.h"
#include "isa/common/code_buffer.h"
#include "isa/x64/abi.h"
#include "isa/common/compile.h"
#include "isa/x64/x64_target.h"
#include "regalloc/checker.h"

namespace lathe::x64 {
namespace {

TEST(BackendChecker, CorpusAllocationsVerify) {
  const std::string root = ir::testing::CorpusRoot("cranelift-filetests");
  absl::StatusOr<isa::TargetSpec> spec = isa::ParseTarget("x86_64 skylake", "test");
  ASSERT_TRUE(spec.ok());
  X64Target target(*spec);
  // Files with `set enable_pinned_reg` compile with r15 reserved, as the runner does.
  isa::TargetSpec pinned_spec = *spec;
  pinned_spec.enable_pinned_reg = true;
  X64Target pinned(pinned_spec);
  isa::CompileContext ctx;
  isa::CodeBuffer buf;
  int compiled = 0, pinned_compiled = 0;
  for (const std::string& f : ir::testing::CorpusFiles("cranelift-filetests", ".clif")) {
    if (f.rfind("runtests/", 0) != 0) continue;
    auto file = ir::ParseTestFile(ir::testing::ReadFileOrEmpty(root + "/" + f), f);
    if (!file.ok()) continue;
    bool pins = false;
    for (const ir::HeaderLine& h : file->headers) {
      for (const std::string& w : h.words) {
        pins = pins || (h.kind == ir::HeaderLine::kSet && (w == "enable_pinned_reg" || w == "enable_pinned_reg=true"));
      }
    }
    X64Target& t = pins ? pinned : target;
    for (const auto& pf : file->functions) {
      for (isa::OptLevel level : {isa::OptLevel::kNone, isa::OptLevel::kSpeed}) {
        if (!isa::Compile(*pf.function, t, level, ctx, &buf).ok()) continue;
        ++compiled;
        pinned_compiled += pins;
        absl::Status s = regalloc::CheckAllocation(t.machine_function(), t.machine_env(), ctx.allocation());
        EXPECT_TRUE(s.ok()) << f << " " << pf.function->name.ToString() << " ("
                            << regalloc::AlgorithmName(isa::AllocatorFor(level)) << "): " << s;
      }
    }
  }
  EXPECT_GT(compiled, 1000);
  EXPECT_GT(pinned_compiled, 0);  // runtests/pinned-reg.clif
}

}  // namespace
}  // namespace lathe::x64
