// Lowered matching programs: what semantic analysis turns each internal term's rules into.
// A rule's left-hand side and guards become a sequence of match steps (extract, compare, evaluate)
// over *bindings*, the values a matcher has in hand: the term's arguments and the outputs of
// earlier steps. Steps are hash-consed per term, so two rules that test the same thing share the
// step's id; the overlap checks and the decision tree rely on that identity.
#ifndef LATHE_ISEL_DSL_MATCHER_H_
#define LATHE_ISEL_DSL_MATCHER_H_

#include <cstdint>
#include <string>
#include <vector>

namespace lathe::dsl {

enum class StepKind {
  kExtract,       // run extern extractor `term` on `input`; fails if it does not match
  kMultiExtract,  // run extern multi extractor `term` on `input`: loops over every match
  kEqInt,         // input == value
  kEqEnum,        // input == variant `value` of the input's enum type
  kEqConst,       // input == extern constant number `value`
  kEqBinding,     // input == binding `other`
  kEval,          // evaluate guard expression `expr` (may fail if it calls partial terms)
  kIsTrue,        // input (a bool) is true
};

struct Step {
  StepKind kind = StepKind::kExtract;
  int input = -1;
  int term = -1;
  int64_t value = 0;
  int other = -1;
  int expr = -1;              // kEval: the expression's root node in Program::nodes
  std::vector<int> outputs;   // bindings this step defines
  std::string key;            // identity used for hash-consing
};

struct Binding {
  int type = -1;
  int step = -1;  // the defining step, or -1 for a term argument
  int index = 0;  // argument number, or output number of the step
};

struct LoweredRule {
  int rule = -1;  // index into Program::rules
  int64_t priority = 0;
  std::vector<int> steps;  // in dependency order, no duplicates
};

struct TermMatcher {
  int term = -1;
  std::vector<Binding> bindings;  // the first N are the term's N arguments
  std::vector<Step> steps;
  std::vector<LoweredRule> rules;  // in source order
};

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_MATCHER_H_
