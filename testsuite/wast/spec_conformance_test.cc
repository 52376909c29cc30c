// Runs the spec-test runner over the WebAssembly 1.0 (tier S1) and 2.0 (tier S2) files of the
// spec corpus (../shared/corpus/wasm-spec, tiers from its MANIFEST.tsv), prints counts per file
// and per tier, and ratchets against spec_expected_failures.txt. It also requires that at least
// 99% of the binary assert_invalid and assert_malformed modules are rejected per tier, and that
// at least 95% of assert_return and assert_trap assertions pass (executed by translating to IR
// and running it in the reference interpreter).
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "testsuite/corpus_locator.h"
#include "testsuite/wast/spec_runner.h"

namespace lathe::wast {
namespace {

struct ManifestRow {
  std::string file;  // e.g. "address.wast" or "proposals/x/y.wast"
  std::string status;
  std::string tier;
};

std::vector<ManifestRow> ReadManifest(const std::string& path) {
  std::vector<ManifestRow> rows;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cols = absl::StrSplit(line, '\t');
    if (cols.size() < 8) continue;
    rows.push_back(ManifestRow{cols[0], cols[1], cols[7]});
  }
  return rows;
}

std::set<std::string> ReadExpectedFailures(const std::string& path) {
  std::set<std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    out.insert(line.substr(0, line.find(' ')));
  }
  return out;
}

// JSON path for a manifest file: json/<path without .wast>/<last component>.json.
std::string JsonPathFor(const std::string& spec_root, const std::string& file) {
  std::string stem(absl::StripSuffix(file, ".wast"));
  const size_t slash = stem.rfind('/');
  const std::string last = slash == std::string::npos ? stem : stem.substr(slash + 1);
  return spec_root + "/json/" + stem + "/" + last + ".json";
}

TEST(SpecConformanceTest, Tier1And2FilesAgainstRatchet) {
  auto manifest = testsuite::CorpusPath("wasm-spec/MANIFEST.tsv");
  ASSERT_TRUE(manifest.ok()) << manifest.status();
  const std::string spec_root = manifest->substr(0, manifest->rfind('/'));
  const std::set<std::string> expected =
      ReadExpectedFailures("testsuite/wast/spec_expected_failures.txt");
  ASSERT_FALSE(expected.empty()) << "expected-failures list not found in runfiles";

  std::map<std::string, WastResult> by_tier;
  std::set<std::string> failed_locations;
  int files = 0;
  for (const ManifestRow& row : ReadManifest(*manifest)) {
    if ((row.tier != "S1" && row.tier != "S2") || row.status == "failed") continue;
    auto r = RunWastJsonFile(JsonPathFor(spec_root, row.file));
    ASSERT_TRUE(r.ok()) << row.file << ": " << r.status();
    ++files;
    const WastCounts inv = r->by_command["assert_invalid"];
    const WastCounts mal = r->by_command["assert_malformed"];
    const WastCounts mod = r->by_command["module"];
    std::printf(
        "%-6s %-32s modules %d/%d accepted, assert_invalid %d/%d rejected, "
        "assert_malformed %d/%d rejected (%d text skipped), assert_return %d/%d, "
        "assert_trap %d/%d passed, %d skipped overall\n",
        row.tier.c_str(), row.file.c_str(), mod.passed, mod.passed + mod.failed, inv.passed,
        inv.passed + inv.failed, mal.passed, mal.passed + mal.failed, mal.skipped + inv.skipped,
        r->by_command["assert_return"].passed,
        r->by_command["assert_return"].passed + r->by_command["assert_return"].failed,
        r->by_command["assert_trap"].passed,
        r->by_command["assert_trap"].passed + r->by_command["assert_trap"].failed, r->total.skipped);
    for (const WastFailure& f : r->failures) {
      failed_locations.insert(f.location);
      if (expected.count(f.location) == 0) {
        ADD_FAILURE() << f.location << ": " << f.command << ": " << f.message
                      << " (not in spec_expected_failures.txt)";
      }
    }
    by_tier[row.tier].Add(*r);
  }
  EXPECT_GT(files, 60) << "too few spec files found; is the corpus complete?";
  for (const std::string& loc : expected) {
    EXPECT_TRUE(failed_locations.count(loc) != 0)
        << loc << " passes now: remove it from spec_expected_failures.txt";
  }
  for (auto& [tier, r] : by_tier) {
    const WastCounts inv = r.by_command["assert_invalid"];
    const WastCounts mal = r.by_command["assert_malformed"];
    const WastCounts mod = r.by_command["module"];
    const int checked = inv.passed + inv.failed + mal.passed + mal.failed;
    const int rejected = inv.passed + mal.passed;
    std::printf(
        "tier %s: modules %d/%d accepted; assert_invalid %d/%d and assert_malformed %d/%d "
        "rejected (%.2f%%); %d passed, %d failed, %d skipped\n",
        tier.c_str(), mod.passed, mod.passed + mod.failed, inv.passed, inv.passed + inv.failed,
        mal.passed, mal.passed + mal.failed, checked ? 100.0 * rejected / checked : 0.0,
        r.total.passed, r.total.failed, r.total.skipped);
    std::printf(
        "tier %s: rejected for the expected reason (class and text): assert_invalid %d/%d, "
        "assert_malformed %d/%d\n",
        tier.c_str(), inv.reason_matched, inv.passed, mal.reason_matched, mal.passed);
    const WastCounts ret = r.by_command["assert_return"];
    const WastCounts trp = r.by_command["assert_trap"];
    const int executed = ret.passed + ret.failed + trp.passed + trp.failed;
    const int exec_passed = ret.passed + trp.passed;
    std::printf(
        "tier %s: assert_return %d/%d (%d skipped), assert_trap %d/%d passed (%.2f%% of %d)\n",
        tier.c_str(), ret.passed, ret.passed + ret.failed, ret.skipped, trp.passed,
        trp.passed + trp.failed, executed ? 100.0 * exec_passed / executed : 0.0, executed);
    EXPECT_GT(executed, 1000) << tier;
    EXPECT_GE(exec_passed * 100, executed * 95)
        << tier << ": under 95% of assert_return/assert_trap assertions pass";
    EXPECT_GT(checked, 50) << tier;
    EXPECT_GE(rejected * 100, checked * 99)
        << tier << ": under 99% of invalid/malformed modules rejected";
  }
}

}  // namespace
}  // namespace lathe::wast
