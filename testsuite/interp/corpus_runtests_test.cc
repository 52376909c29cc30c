// Runs every `; run:` directive of the Cranelift corpus's runtests/ in the interpreter and
// compares the failures with testdata/runtests_expected_failures.txt (one `FILE:LINE` per
// failing directive). The list ratchets: a failure not on the list fails the test, and so
// does a listed directive that now passes (remove it from the list). Counts per group
// (scalar integer, float, memory and calls, i128, SIMD) are printed and must reach 98%.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "testsuite/filetest_runner.h"

namespace lathe::testsuite {
namespace {

constexpr char kCorpus[] = "cranelift-filetests";

bool Has(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// The group of a runtests file, by the subject its name states.
std::string GroupOf(const std::string& file) {
  std::string name = file.substr(file.rfind('/') + 1);
  if (Has(name, "simd") || Has(name, "vec") || Has(name, "vconst") || Has(name, "sdot") ||
      Has(name, "usdot") || Has(name, "vpdpbusd") || Has(name, "shuffle")) {
    return "SIMD";
  }
  if (Has(name, "i128") || Has(name, "128")) return "i128";
  if (Has(name, "call") || Has(name, "stack") || Has(name, "atomic") || Has(name, "global_value") ||
      Has(name, "alias") || Has(name, "spill") || Has(name, "fence") || Has(name, "throw") ||
      Has(name, "fibonacci") || Has(name, "pinned") || Has(name, "probestack") || Has(name, "winch") ||
      Has(name, "load") || Has(name, "store") || Has(name, "mem") || Has(name, "abi") || Has(name, "lxa")) {
    return "memory and calls";
  }
  if (name[0] == 'f' || Has(name, "ceil") || Has(name, "floor") || Has(name, "nearest") ||
      Has(name, "sqrt") || Has(name, "conversion") || Has(name, "float")) {
    return "float";
  }
  return "scalar integer";
}

TEST(CorpusRuntests, InterpreterMatchesExpectations) {
  std::vector<std::string> files = ir::testing::CorpusFiles(kCorpus, ".clif");
  files.erase(std::remove_if(files.begin(), files.end(),
                             [](const std::string& f) { return f.rfind("runtests/", 0) != 0; }),
              files.end());
  ASSERT_GT(files.size(), 250u) << "runtests corpus not found";
  std::vector<std::string> listed =
      ir::testing::ReadList("testsuite/interp/testdata/runtests_expected_failures.txt");
  std::set<std::string> expected(listed.begin(), listed.end());

  struct Counts {
    int passed = 0, failed = 0;
  };
  std::map<std::string, Counts> groups;
  std::set<std::string> failing, seen;
  std::string root = ir::testing::CorpusRoot(kCorpus);
  FiletestOptions options;
  options.interpret_only = true;
  options.step_limit = 20'000'000;
  for (const std::string& rel : files) {
    FiletestReport report;
    RunFiletest(rel, ir::testing::ReadFileOrEmpty(root + "/" + rel), options, &report);
    Counts& c = groups[GroupOf(rel)];
    for (const Outcome& o : report.outcomes) {
      std::string key = rel + ":" + std::to_string(o.line);
      seen.insert(key);
      if (o.kind == Outcome::kPass) {
        ++c.passed;
        EXPECT_EQ(expected.count(key), 0u) << key << " passes now; remove it from the expected-failures list";
      } else {
        ++c.failed;
        failing.insert(key);
        EXPECT_EQ(expected.count(key), 1u) << "unexpected failure: " << o.message;
      }
    }
  }
  for (const std::string& key : expected) {
    EXPECT_TRUE(seen.count(key) != 0) << key << " is listed but names no run directive";
  }
  int total_pass = 0, total = 0;
  for (const auto& [name, c] : groups) {
    std::printf("%-16s %5d passed, %3d failed (%.2f%%)\n", name.c_str(), c.passed, c.failed,
                100.0 * c.passed / std::max(1, c.passed + c.failed));
    total_pass += c.passed;
    total += c.passed + c.failed;
  }
  std::printf("all runtests     %5d passed, %3d failed (%.2f%%)\n", total_pass, total - total_pass,
              100.0 * total_pass / std::max(1, total));
  EXPECT_GE(total_pass * 100, total * 98) << "fewer than 98% of the run directives pass";
}

}  // namespace
}  // namespace lathe::testsuite
