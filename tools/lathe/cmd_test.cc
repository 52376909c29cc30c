// `lathe test PATH...` and `lathe interpret PATH...`: run filetests and print a summary.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testsuite/filetest_runner.h"

namespace lathe::tool {
namespace {

int RunFiletests(const std::vector<std::string>& args, bool interpret_only) {
  if (args.empty()) {
    std::fprintf(stderr, "usage: lathe %s PATH...\n", interpret_only ? "interpret" : "test");
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> files = testsuite::CollectClifFiles(args);
  if (!files.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(files.status().message()).c_str());
    return 1;
  }
  testsuite::FiletestOptions options;
  options.interpret_only = interpret_only;
  int passed = 0, failed = 0, skipped = 0;
  for (const std::string& path : *files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot read file\n", path.c_str());
      ++failed;
      continue;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    testsuite::FiletestReport report;
    testsuite::RunFiletest(path, ss.str(), options, &report);
    for (const testsuite::Outcome& o : report.outcomes) {
      if (o.kind == testsuite::Outcome::kFail) std::printf("FAIL %s\n", o.message.c_str());
    }
    passed += report.passed();
    failed += report.failed();
    skipped += report.skipped();
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed == 0 ? 0 : 1;
}

}  // namespace

int RunTest(const std::vector<std::string>& args) { return RunFiletests(args, false); }
int RunInterpret(const std::vector<std::string>& args) { return RunFiletests(args, true); }

}  // namespace lathe::tool
