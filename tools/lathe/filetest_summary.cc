#include "tools/lathe/filetest_summary.h"

#include <cstdio>

#include "tools/lathe/input_file.h"

namespace lathe::tool {

int RunFiletestsAndSummarize(const std::vector<std::string>& paths,
                             const testsuite::FiletestOptions& options) {
  absl::StatusOr<std::vector<std::string>> files = testsuite::CollectClifFiles(paths);
  if (!files.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(files.status().message()).c_str());
    return 1;
  }
  int passed = 0, failed = 0, skipped = 0, unsupported = 0;
  for (const std::string& path : *files) {
    absl::StatusOr<std::string> text = ReadInputFile(path);
    if (!text.ok()) {
      std::fprintf(stderr, "%s\n", std::string(text.status().message()).c_str());
      ++failed;
      continue;
    }
    testsuite::FiletestReport report;
    testsuite::RunFiletest(path, *text, options, &report);
    for (const testsuite::Outcome& o : report.outcomes) {
      if (o.kind == testsuite::Outcome::kFail) std::printf("FAIL %s\n", o.message.c_str());
      if (o.kind == testsuite::Outcome::kUnsupported) std::printf("UNSUPPORTED %s\n", o.message.c_str());
    }
    passed += report.passed();
    failed += report.failed();
    skipped += report.skipped();
    unsupported += report.unsupported();
  }
  // Functions the backend cannot compile yet are neither passes nor failures.
  if (unsupported > 0) std::printf("%d unsupported\n", unsupported);
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed == 0 ? 0 : 1;
}

}  // namespace lathe::tool
