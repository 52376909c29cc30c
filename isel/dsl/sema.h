// Semantic analysis: resolves every name of a parsed Program, type-checks and arity-checks every
// pattern and expression, enforces the purity rules of guards, and lowers each internal term's
// rules into a TermMatcher (matcher.h). Problems are reported to `diags`; the matchers of terms
// with errors are left out.
#ifndef LATHE_ISEL_DSL_SEMA_H_
#define LATHE_ISEL_DSL_SEMA_H_

#include <vector>

#include "isel/dsl/diagnostic.h"
#include "isel/dsl/matcher.h"
#include "isel/dsl/program.h"

namespace lathe::dsl {

// Upper bound on the match steps of one rule: each step nests one block in generated C++.
inline constexpr int kMaxStepsPerRule = 200;

std::vector<TermMatcher> Analyze(Program& program, Diagnostics& diags);

// True if `name` can be used as a C++ identifier (hooks, enum variants, term functions).
bool IsCppIdentifier(const std::string& name);

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_SEMA_H_
