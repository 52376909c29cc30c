// `lathe test PATH...` and `lathe interpret PATH...`: run filetests and print a summary.
#include <cstdio>
#include <string>
#include <vector>

#include "testsuite/filetest_runner.h"
#include "tools/lathe/filetest_summary.h"

namespace lathe::tool {
namespace {

int RunFiletests(const std::vector<std::string>& args, bool interpret_only) {
  if (args.empty()) {
    std::fprintf(stderr, "usage: lathe %s PATH...\n", interpret_only ? "interpret" : "test");
    return 2;
  }
  testsuite::FiletestOptions options;
  options.interpret_only = interpret_only;
  return RunFiletestsAndSummarize(args, options);
}

}  // namespace

int RunTest(const std::vector<std::string>& args) { return RunFiletests(args, false); }
int RunInterpret(const std::vector<std::string>& args) { return RunFiletests(args, true); }

}  // namespace lathe::tool
