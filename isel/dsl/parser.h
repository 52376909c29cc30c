// The parser: turns rules files into an unresolved Program (names only; see program.h).
// Syntax errors are reported with the location of the offending token and what was expected;
// a malformed form is skipped and parsing continues with the next top-level form.
#ifndef LATHE_ISEL_DSL_PARSER_H_
#define LATHE_ISEL_DSL_PARSER_H_

#include <vector>

#include "isel/dsl/diagnostic.h"
#include "isel/dsl/program.h"

namespace lathe::dsl {

// Parses every file (lexing included) into `program`.
void Parse(const std::vector<SourceFile>& files, Program& program, Diagnostics& diags);

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_PARSER_H_
