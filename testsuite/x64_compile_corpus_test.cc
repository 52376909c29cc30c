// `test compile` over the Cranelift corpus's isa/x64/ files: every function either compiles
// (and satisfies its FileCheck directives, if any; Cranelift's precise-output text is not
// compared), is rejected where the file says `expect-fail`, or is reported unsupported. No
// function may fail, and the number compiled may not drop below the floor (raise it as the
// backend grows). Known differences from what a file expects (Lathe compiles what Cranelift
// rejects, or a `check:` names an instruction Lathe does not emit) are listed in kDeviations
// with the reason; a listed file that no longer shows its difference fails the test, so the
// list cannot go stale.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "testsuite/filetest_runner.h"

namespace lathe::testsuite {
namespace {

constexpr int kCompiledFloor = 1289;

// A known difference from what the file expects: failures of `file` whose message contains
// `what` are counted, not reported.
struct Deviation {
  const char* file;
  const char* what;
  const char* why;
};
constexpr Deviation kDeviations[] = {
    {"isa/x64/big-endian.clif", "expected a compile error",
     "deliberate: Lathe byte-swaps big-endian integer loads and stores (bswap / rol r16, 8); Cranelift's x64 "
     "rejects them"},
    {"isa/x64/simd-vpdpbusd.clif", "check: vpdpbusd",
     "missing: the widening multiply-add tree is lowered lane by lane, not contracted to AVX-VNNI vpdpbusd"},
    {"isa/x64/simd-vpdpbusd-evex.clif", "check: vpdpbusd",
     "missing: the widening multiply-add tree is lowered lane by lane, not contracted to AVX512-VNNI vpdpbusd"},
};

const Deviation* DeviationOf(const std::string& file, const std::string& message) {
  for (const Deviation& d : kDeviations) {
    if (file == d.file && message.find(d.what) != std::string::npos) return &d;
  }
  return nullptr;
}

TEST(X64CompileCorpus, EveryFunctionCompilesOrIsUnsupported) {
  std::vector<std::string> files = ir::testing::CorpusFiles("cranelift-filetests", ".clif");
  files.erase(std::remove_if(files.begin(), files.end(),
                             [](const std::string& f) { return f.rfind("isa/x64/", 0) != 0; }),
              files.end());
  ASSERT_GT(files.size(), 150u) << "isa/x64 corpus not found";
  std::string root = ir::testing::CorpusRoot("cranelift-filetests");
  int passed = 0, unsupported = 0, skipped = 0, deviations = 0;
  std::vector<const Deviation*> seen;
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
          if (const Deviation* d = DeviationOf(rel, o.message)) {
            ++deviations;
            seen.push_back(d);
            break;
          }
          ADD_FAILURE() << o.message.substr(0, 600);
          break;
      }
    }
  }
  for (const Deviation& d : kDeviations) {
    EXPECT_NE(std::find(seen.begin(), seen.end(), &d), seen.end())
        << d.file << " no longer shows \"" << d.what << "\"; remove it from kDeviations";
  }
  std::printf("isa/x64 test compile: %d of %d functions compile (or fail as expected), %d unsupported, %d skipped, "
              "%d known deviations (listed)\n",
              passed, passed + unsupported, unsupported, skipped, deviations);
  EXPECT_GE(passed, kCompiledFloor);
}

}  // namespace
}  // namespace lathe::testsuite
