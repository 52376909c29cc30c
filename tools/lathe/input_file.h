// Reads a whole input file named on the command line. The error names the path, ready to print.
#ifndef LATHE_TOOLS_LATHE_INPUT_FILE_H_
#define LATHE_TOOLS_LATHE_INPUT_FILE_H_

#include <string>

#include "absl/status/statusor.h"

namespace lathe::tool {

absl::StatusOr<std::string> ReadInputFile(const std::string& path);

}  // namespace lathe::tool

#endif  // LATHE_TOOLS_LATHE_INPUT_FILE_H_
