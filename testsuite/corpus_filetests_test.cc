// Runs `lathe test` semantics over the Cranelift corpus files whose tests are all among
// `cat`, `verifier`, `domtree` and `print-cfg`. A file passes when none of its items fails
// or is skipped. testdata/filetests_expected_failures.txt lists the files that do not pass
// (one per line, with the reason); it ratchets: a listed file that passes fails the test.
#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "testsuite/filetest_runner.h"

namespace lathe::testsuite {
namespace {

constexpr char kCorpus[] = "cranelift-filetests";

// True when the file has `test` lines and every one names a kind this test covers.
bool OnlyStaticKinds(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  int tests = 0;
  while (std::getline(in, line)) {
    if (line.rfind("test ", 0) != 0) continue;
    ++tests;
    std::string kind = line.substr(5);
    while (!kind.empty() && (kind.back() == ' ' || kind.back() == '\r')) kind.pop_back();
    if (kind != "cat" && kind != "verifier" && kind != "domtree" && kind != "print-cfg") return false;
  }
  return tests > 0;
}

TEST(CorpusFiletests, StaticKindsMatchExpectations) {
  std::vector<std::string> listed = ir::testing::ReadList("testsuite/testdata/filetests_expected_failures.txt");
  std::set<std::string> expected(listed.begin(), listed.end());
  std::string root = ir::testing::CorpusRoot(kCorpus);
  int files = 0, passing = 0;
  std::set<std::string> seen;
  for (const std::string& rel : ir::testing::CorpusFiles(kCorpus, ".clif")) {
    std::string text = ir::testing::ReadFileOrEmpty(root + "/" + rel);
    if (!OnlyStaticKinds(text)) continue;
    ++files;
    seen.insert(rel);
    FiletestReport report;
    RunFiletest(rel, text, FiletestOptions(), &report);
    bool ok = report.failed() == 0 && report.skipped() == 0 && report.passed() > 0;
    passing += ok;
    if (ok) {
      EXPECT_EQ(expected.count(rel), 0u) << rel << " passes now; remove it from the expected-failures list";
    } else {
      std::string why;
      for (const Outcome& o : report.outcomes) {
        if (o.kind != Outcome::kPass) why += o.message.substr(0, 300) + "\n";
      }
      EXPECT_EQ(expected.count(rel), 1u) << "unexpected failure in " << rel << ":\n" << why;
    }
  }
  for (const std::string& e : expected) EXPECT_EQ(seen.count(e), 1u) << e << " is listed but not a covered file";
  std::printf("cat/verifier/domtree/print-cfg files: %d of %d pass (%.1f%%)\n", passing, files,
              100.0 * passing / std::max(1, files));
  EXPECT_GT(files, 40);
  EXPECT_GE(passing * 100, files * 95);
}

}  // namespace
}  // namespace lathe::testsuite
