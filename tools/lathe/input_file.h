// Reads a whole input file named on the command line; ReadClifFile also parses it as a .clif
// test file. Errors name the path (and line:col for parse errors), ready to print.
#ifndef LATHE_TOOLS_LATHE_INPUT_FILE_H_
#define LATHE_TOOLS_LATHE_INPUT_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "ir/test_file.h"

namespace lathe::tool {

absl::StatusOr<std::string> ReadInputFile(const std::string& path);
absl::StatusOr<ir::TestFile> ReadClifFile(const std::string& path);

}  // namespace lathe::tool

#endif  // LATHE_TOOLS_LATHE_INPUT_FILE_H_
