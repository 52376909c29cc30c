// The two rule-set checks that make "first match by priority" well defined:
//  - overlap: two rules of one term with equal priority that can match the same input;
//  - shadowing: a rule that can never fire because a higher-priority rule tests a subset of its
//    steps, and so matches every input it matches.
// Both reason over hash-consed match steps (matcher.h): two rules are provably disjoint only when
// they compare the same binding against different constants (integers or enum variants).
// Extern extractors and extern constants are opaque, so the overlap check is conservative: it may
// report rules that the C++ hooks would in fact keep apart, never the reverse. Multi terms are
// exempt: all their matching rules fire.
#ifndef LATHE_ISEL_DSL_RULE_CHECKS_H_
#define LATHE_ISEL_DSL_RULE_CHECKS_H_

#include <vector>

#include "isel/dsl/diagnostic.h"
#include "isel/dsl/matcher.h"
#include "isel/dsl/program.h"

namespace lathe::dsl {

void CheckRules(const Program& program, const std::vector<TermMatcher>& matchers,
                Diagnostics& diags);

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_RULE_CHECKS_H_
