// `lathe run [--regalloc=fast|optimizing] PATH...`: runs the `; run:` directives of .clif files
// (allocator: the file's `set opt_level` unless --regalloc=optimizing forces the optimizing one)
// natively (x86-64 hosts; files naming no x86_64 target are skipped), each result cross-checked
// against the interpreter, and prints `N passed, N failed, N skipped`.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testsuite/filetest_runner.h"

namespace lathe::tool {

int RunNative(const std::vector<std::string>& args) {
  testsuite::FiletestOptions options;
  options.native_only = true;
  std::vector<std::string> paths;
  for (const std::string& a : args) {
    if (a == "--regalloc=optimizing") {
      options.optimizing_allocator = true;
    } else if (a == "--regalloc=fast") {
      options.optimizing_allocator = false;
    } else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "error: unknown option %s (expected --regalloc=fast or --regalloc=optimizing)\n", a.c_str());
      return 2;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: lathe run [--regalloc=fast|optimizing] PATH...\n");
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> files = testsuite::CollectClifFiles(paths);
  if (!files.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(files.status().message()).c_str());
    return 1;
  }
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

}  // namespace lathe::tool
