// Runs every `; run:` directive of the Cranelift corpus's runtests/ natively on x86-64 (through
// the JIT, each result cross-checked against the interpreter) and compares the failures with
// testdata/x64_runtests_expected_failures.txt (one `FILE:LINE` per failing directive of a
// non-SIMD file; `FILE:LINE@TARGET_LINE` in files with several x86_64 target lines, which run
// once per line with that line's ISA flags; runs needing a flag the host lacks are skipped). The list ratchets: a failure not on the list fails the test, and so does a
// listed directive that now passes (remove it from the list). SIMD files are counted
// separately and ratchet against their own list, testdata/x64_simd_runtests_expected_failures.txt
// (same format). Runs once per register allocator. Files naming no x86_64 target are skipped by the runner.
#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "testsuite/filetest_runner.h"

namespace lathe::testsuite {
namespace {

constexpr char kCorpus[] = "cranelift-filetests";

bool IsSimd(const std::string& file) {
  std::string name = file.substr(file.rfind('/') + 1);
  for (const char* part : {"simd", "vec", "vconst", "sdot", "usdot", "vpdpbusd", "shuffle"}) {
    if (name.find(part) != std::string::npos) return true;
  }
  return false;
}

class X64Runtests : public ::testing::TestWithParam<bool> {};

// Both runs must fail exactly the listed directives: one with the allocator each file's
// `set opt_level` selects (single-pass by default), one forcing the optimizing allocator.
TEST_P(X64Runtests, NativeMatchesExpectations) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "native x86-64 execution needs an x86-64 host";
#endif
  std::vector<std::string> files = ir::testing::CorpusFiles(kCorpus, ".clif");
  files.erase(std::remove_if(files.begin(), files.end(),
                             [](const std::string& f) { return f.rfind("runtests/", 0) != 0; }),
              files.end());
  ASSERT_GT(files.size(), 250u) << "runtests corpus not found";
  std::vector<std::string> listed = ir::testing::ReadList("testsuite/testdata/x64_runtests_expected_failures.txt");
  std::set<std::string> expected(listed.begin(), listed.end());
  std::vector<std::string> listed_simd =
      ir::testing::ReadList("testsuite/testdata/x64_simd_runtests_expected_failures.txt");
  std::set<std::string> expected_simd(listed_simd.begin(), listed_simd.end());
  std::string root = ir::testing::CorpusRoot(kCorpus);
  FiletestOptions options;
  options.native_only = true;
  options.optimizing_allocator = GetParam();
  options.step_limit = 20'000'000;
  int passed = 0, failed = 0, skipped = 0, simd_passed = 0, simd_failed = 0;
  std::set<std::string> failing, seen, seen_simd;
  // By directive (FILE:LINE): passes under some target line / fails under every one that ran.
  std::set<std::string> directive_passes, directive_runs;
  std::set<std::string> simd_directive_passes, simd_directive_runs;
  for (const std::string& rel : files) {
    FiletestReport report;
    RunFiletest(rel, ir::testing::ReadFileOrEmpty(root + "/" + rel), options, &report);
    bool simd = IsSimd(rel);
    // A file with several x86_64 target lines runs once per line: its keys name the line.
    std::set<uint32_t> target_lines;
    for (const Outcome& o : report.outcomes) target_lines.insert(o.target_line);
    for (const Outcome& o : report.outcomes) {
      if (o.kind == Outcome::kSkip) {
        skipped += !simd;
        continue;
      }
      bool pass = o.kind == Outcome::kPass;
      if (simd) {
        (pass ? simd_passed : simd_failed)++;
      } else {
        (pass ? passed : failed)++;
      }
      std::string key = rel + ":" + std::to_string(o.line);
      (simd ? simd_directive_runs : directive_runs).insert(key);
      if (pass) (simd ? simd_directive_passes : directive_passes).insert(key);
      if (target_lines.size() > 1) key += "@" + std::to_string(o.target_line);
      (simd ? seen_simd : seen).insert(key);
      const std::set<std::string>& listed_here = simd ? expected_simd : expected;
      if (pass) {
        EXPECT_EQ(listed_here.count(key), 0u) << key << " passes now; remove it from the expected-failures list";
      } else {
        failing.insert(key);
        EXPECT_EQ(listed_here.count(key), 1u) << "unexpected failure " << key << ": " << o.message.substr(0, 400);
      }
    }
  }
  for (const std::string& e : expected_simd) {
    EXPECT_EQ(seen_simd.count(e), 1u) << e << " is listed in the SIMD list but names no directive run";
  }
  for (const std::string& e : expected) {
    EXPECT_EQ(seen.count(e), 1u) << e << " is listed but names no directive run (a file with several x86_64 "
                                 << "target lines needs the @TARGET_LINE suffix)";
  }
  if (getenv("LATHE_PRINT_FAILING") != nullptr) {
    for (const std::string& f : failing) std::printf("FAILING %s\n", f.c_str());
  }
  std::printf("[%s] ", GetParam() ? "optimizing allocator" : "allocator per file opt_level (default none: single-pass)");
  std::printf("x64 native runtests (non-SIMD): %d of %d directive runs pass (%.2f%%), %d skipped (no x86_64 target, or a flag the host lacks)\n",
              passed, passed + failed, 100.0 * passed / std::max(1, passed + failed), skipped);
  const size_t dp = directive_passes.size(), dn = directive_runs.size();
  std::printf("x64 native runtests (non-SIMD): %zu of %zu directives pass under at least one of their file's "
              "x86_64 target lines (%.1f%%)\n", dp, dn, 100.0 * dp / std::max<size_t>(1, dn));
  std::printf("x64 native runtests (SIMD): %d of %d directive runs pass; %zu of %zu directives pass under at least "
              "one of their file's x86_64 target lines\n", simd_passed, simd_passed + simd_failed,
              simd_directive_passes.size(), simd_directive_runs.size());
  // The coverage floor is per directive: a run under a target line lacking an extension the
  // function needs (with no fallback) stops at "unsupported", and each such run is still held by
  // the lists above.
  EXPECT_GE(dp * 100, dn * 95) << "below 95% of the non-SIMD run directives";
}

INSTANTIATE_TEST_SUITE_P(Allocators, X64Runtests, ::testing::Values(false, true));

}  // namespace
}  // namespace lathe::testsuite
