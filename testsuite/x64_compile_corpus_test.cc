// `test compile` over the Cranelift corpus's isa/x64/ files: every function either compiles
// (and satisfies its FileCheck directives, if any; Cranelift's precise-output text is not
// compared), is rejected where the file says `expect-fail`, or is reported unsupported. No
// function may fail, and the number compiled may not drop below the floor (raise it as the
// backend grows).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "testsuite/filetest_runner.h"

namespace lathe::testsuite {
namespace {

constexpr int kCompiledFloor = 844;

TEST(X64CompileCorpus, EveryFunctionCompilesOrIsUnsupported) {
  std::vector<std::string> files = ir::testing::CorpusFiles("cranelift-filetests", ".clif");
  files.erase(std::remove_if(files.begin(), files.end(),
                             [](const std::string& f) { return f.rfind("isa/x64/", 0) != 0; }),
              files.end());
  ASSERT_GT(files.size(), 150u) << "isa/x64 corpus not found";
  std::string root = ir::testing::CorpusRoot("cranelift-filetests");
  int passed = 0, unsupported = 0, skipped = 0;
  for (const std::string& rel : files) {
    FiletestReport report;
    RunFiletest(rel, ir::testing::ReadFileOrEmpty(root + "/" + rel), FiletestOptions(), &report);
    for (const Outcome& o : report.outcomes) {
      if (o.test != "compile") continue;
      switch (o.kind) {
        case Outcome::kPass: ++passed; break;
        case Outcome::kUnsupported: ++unsupported; break;
        case Outcome::kSkip: ++skipped; break;
        case Outcome::kFail: ADD_FAILURE() << o.message.substr(0, 600); break;
      }
    }
  }
  std::printf("isa/x64 test compile: %d of %d functions compile (or fail as expected), %d unsupported, %d skipped\n",
              passed, passed + unsupported, unsupported, skipped);
  EXPECT_GE(passed, kCompiledFloor);
}

}  // namespace
}  // namespace lathe::testsuite
