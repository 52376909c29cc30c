// The CLIF text parser. `ParseTestFile` reads a whole `.clif` file (filetest headers, functions,
// run directives); `ParseFunctions` reads functions only. Errors come back as an
// InvalidArgument status whose message starts with "FILE:LINE:COL: " and says what was
// expected. The parser keeps value and block numbers as written, so printing gives them back.
#ifndef LATHE_IR_PARSER_H_
#define LATHE_IR_PARSER_H_

#include <memory>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ir/function.h"
#include "ir/test_file.h"

namespace lathe::ir {

absl::StatusOr<TestFile> ParseTestFile(std::string_view text, std::string_view filename = "<input>");

// Parses a text holding exactly one function (comments allowed, no headers).
absl::StatusOr<std::unique_ptr<Function>> ParseFunction(std::string_view text,
                                                        std::string_view filename = "<input>");

}  // namespace lathe::ir

#endif  // LATHE_IR_PARSER_H_
