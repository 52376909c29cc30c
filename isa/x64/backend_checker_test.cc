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
  isa::CompileContext ctx;
  isa::CodeBuffer buf;
  int compiled = 0;
  for (const std::string& f : ir::testing::CorpusFiles("cranelift-filetests", ".clif")) {
    if (f.rfind("runtests/", 0) != 0) continue;
    auto file = ir::ParseTestFile(ir::testing::ReadFileOrEmpty(root + "/" + f), f);
    if (!file.ok()) continue;
    for (const auto& pf : file->functions) {
      for (isa::OptLevel level : {isa::OptLevel::kNone, isa::OptLevel::kSpeed}) {
        if (!isa::Compile(*pf.function, target, level, ctx, &buf).ok()) continue;
        ++compiled;
        absl::Status s = regalloc::CheckAllocation(target.machine_function(), target.machine_env(), ctx.allocation());
        EXPECT_TRUE(s.ok()) << f << " " << pf.function->name.ToString() << " ("
                            << regalloc::AlgorithmName(isa::AllocatorFor(level)) << "): " << s;
      }
    }
  }
  EXPECT_GT(compiled, 1000);
}

}  // namespace
}  // namespace lathe::x64
