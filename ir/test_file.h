// A parsed `.clif` file: filetest header lines (`test`, `set`, `target`, `feature`), the
// functions, and per function the `; run:` / `; print:` directives that follow it, in a
// structured form a test runner can execute (argument literals are kept as text because their
// meaning depends on the parameter types of the function they call).
#ifndef LATHE_IR_TEST_FILE_H_
#define LATHE_IR_TEST_FILE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ir/function.h"

namespace lathe::ir {

struct HeaderLine {
  enum Kind : uint8_t { kTest, kSet, kTarget, kFeature };
  Kind kind = kTest;
  std::vector<std::string> words;  // the words after the keyword (a feature keeps its quotes)
  uint32_t line = 0;
};

struct RunDirective {
  enum Kind : uint8_t { kRun, kPrint };
  Kind kind = kRun;
  std::string function;               // without '%'
  std::vector<std::string> args;      // literal texts, e.g. "1", "-0x1.0p0", "[1 2 3 4]"
  std::string op;                     // "==", "!=" or empty (no comparison)
  std::vector<std::string> expected;  // one literal per returned value
  bool bracketed = false;             // expected written as [a, b]
  uint32_t line = 0;
  std::string ToString() const;       // the canonical `; run: ...` text
};

struct ParsedFunction {
  std::unique_ptr<Function> function;
  uint32_t line = 0;  // of the `function` keyword
  std::vector<RunDirective> run_directives;
};

struct TestFile {
  std::vector<HeaderLine> headers;
  std::vector<ParsedFunction> functions;
};

}  // namespace lathe::ir

#endif  // LATHE_IR_TEST_FILE_H_
