// `test compile` over the Cranelift corpus's isa/x64/ files: every function either compiles
// (and satisfies its FileCheck directives, if any; Cranelift's precise-output text is not
// compared), is rejected where the file says `expect-fail`, or is reported unsupported. No
// function may fail, and the number compiled may not drop below the floor (raise it as the
// backend grows). Where Lathe deliberately compiles what Cranelift's x64 backend rejects, the
// file is listed in kDeliberatelyCompiled with the reason; a listed file that no longer shows
// the difference fails the test, so the list cannot go stale.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "testsuite/filetest_runner.h"

namespace lathe::testsuite {
namespace {

constexpr int kCompiledFloor = 839;

struct Deviation {
  const char* file;
  const char* why;
};
constexpr Deviation kDeliberatelyCompiled[] = {
    {"isa/x64/big-endian.clif",
     "Lathe byte-swaps big-endian integer loads and stores (bswap / rol r16, 8); Cranelift's x64 rejects them"},
};

bool IsDeviation(const std::string& file) {
  for (const Deviation& d : kDeliberatelyCompiled) {
    if (file == d.file) return true;
  }
  return false;
}

TEST(X64CompileCorpus, EveryFunctionCompilesOrIsUnsupported) {
  std::vector<std::string> files = ir::testing::CorpusFiles("cranelift-filetests", ".clif");
  files.erase(std::remove_if(files.begin(), files.end(),
                             [](const std::string& f) { return f.rfind("isa/x64/", 0) != 0; }),
              files.end());
  ASSERT_GT(files.size(), 150u) << "isa/x64 corpus not found";
  std::string root = ir::testing::CorpusRoot("cranelift-filetests");
  int passed = 0, unsupported = 0, skipped = 0, deviations = 0;
  std::vector<std::string> deviating_files;
  for (const std::string& rel : files) {
    FiletestReport report;
    RunFiletest(rel, ir::testing::ReadFileOrEmpty(root + "/" + rel), FiletestOptions(), &report);
    for (const Outcome& o : report.outcomes) {
      if (o.test != "compile") continue;
      switch (o.kind) {
        case Outcome::kPass: ++passed; break;
        case Outcome::kUnsupported: ++unsupported; break;
        case Outcome::kSkip: ++skipped; break;
        case Outcome::kFail:
          if (IsDeviation(rel) && o.message.find("expected a compile error") != std::string::npos) {
            ++deviations;
            if (deviating_files.empty() || deviating_files.back() != rel) deviating_files.push_back(rel);
            break;
          }
          ADD_FAILURE() << o.message.substr(0, 600);
          break;
      }
    }
  }
  for (const Deviation& d : kDeliberatelyCompiled) {
    EXPECT_NE(std::find(deviating_files.begin(), deviating_files.end(), d.file), deviating_files.end())
        << d.file << " no longer compiles where Cranelift expects an error; remove it from kDeliberatelyCompiled";
  }
  std::printf("isa/x64 test compile: %d of %d functions compile (or fail as expected), %d unsupported, %d skipped, "
              "%d compiled where Cranelift expects an error (deliberate, listed)\n",
              passed, passed + unsupported, unsupported, skipped, deviations);
  EXPECT_GE(passed, kCompiledFloor);
}

}  // namespace
}  // namespace lathe::testsuite
