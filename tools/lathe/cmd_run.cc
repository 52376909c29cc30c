// `lathe run [--regalloc=fast|optimizing] PATH...`: runs the `; run:` directives of .clif files
// (allocator: the file's `set opt_level` unless --regalloc=optimizing forces the optimizing one)
// natively (x86-64 hosts; files naming no x86_64 target are skipped), each result cross-checked
// against the interpreter, and prints `N passed, N failed, N skipped`.
#include <cstdio>
#include <string>
#include <vector>

#include "testsuite/filetest_runner.h"
#include "tools/lathe/filetest_summary.h"

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
  return RunFiletestsAndSummarize(paths, options);
}

}  // namespace lathe::tool
