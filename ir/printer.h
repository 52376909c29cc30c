// Writes functions in canonical CLIF text. Printing a parsed function gives back the same
// function (same entity numbers); the layout follows Cranelift's printer: four-space
// indentation (36 columns when source locations are present), a blank line after the preamble
// and between blocks, `.type` suffixes only where the type cannot be inferred, and `; vN = K`
// comments naming constant operands.
#ifndef LATHE_IR_PRINTER_H_
#define LATHE_IR_PRINTER_H_

#include <string>

#include "ir/function.h"
#include "ir/test_file.h"

namespace lathe::ir {

std::string PrintFunction(const Function& f);

// One instruction without indentation or trailing newline, e.g. "v3 = iadd v1, v2".
std::string PrintInst(const Function& f, Inst inst);

// Header lines, then each function followed by its run directives.
std::string PrintTestFile(const TestFile& file);

// A type as written inside `f` (dynamic types by their `dtN` name).
std::string TypeName(const Function& f, Type t);

}  // namespace lathe::ir

#endif  // LATHE_IR_PRINTER_H_
