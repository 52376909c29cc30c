// Runs the filetests of files or directories (found recursively) and prints every failure and
// the closing line `X passed, Y failed, Z skipped`. Shared by `lathe test`, `lathe interpret`
// and `lathe run`, which differ only in their options. Returns the exit code: 0 when nothing
// failed, 1 otherwise (including unreadable paths).
#ifndef LATHE_TOOLS_LATHE_FILETEST_SUMMARY_H_
#define LATHE_TOOLS_LATHE_FILETEST_SUMMARY_H_

#include <string>
#include <vector>

#include "testsuite/filetest_runner.h"

namespace lathe::tool {

int RunFiletestsAndSummarize(const std::vector<std::string>& paths,
                             const testsuite::FiletestOptions& options);

}  // namespace lathe::tool

#endif  // LATHE_TOOLS_LATHE_FILETEST_SUMMARY_H_
