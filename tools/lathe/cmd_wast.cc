// `lathe wast FILE.json|DIR...`: runs WebAssembly spec tests in wast2json form and prints each
// failure with its .wast location, then "X passed, Y failed, Z skipped".
#include <cstdio>
#include <string>
#include <vector>

#include "testsuite/wast/spec_runner.h"

namespace lathe::tool {

int RunWast(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr,
                 "lathe wast: expected at least one FILE.json or directory\n"
                 "usage: lathe wast FILE.json|DIR...\n");
    return 2;
  }
  auto files = wast::CollectWastJsonFiles(args);
  if (!files.ok()) {
    std::fprintf(stderr, "lathe wast: %s\n", std::string(files.status().message()).c_str());
    return 1;
  }
  wast::WastResult total;
  int errors = 0;
  for (const std::string& f : *files) {
    auto r = wast::RunWastJsonFile(f);
    if (!r.ok()) {
      std::fprintf(stderr, "%s\n", std::string(r.status().message()).c_str());
      ++errors;
      continue;
    }
    for (const wast::WastFailure& fail : r->failures) {
      std::printf("%s: %s: %s\n", fail.location.c_str(), fail.command.c_str(),
                  fail.message.c_str());
    }
    total.Add(*r);
  }
  std::printf("%d passed, %d failed, %d skipped\n", total.total.passed, total.total.failed,
              total.total.skipped);
  return total.total.failed == 0 && errors == 0 ? 0 : 1;
}

}  // namespace lathe::tool
