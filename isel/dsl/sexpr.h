// S-expression trees read from tokens, the first stage above the lexer.
// Nodes live in one flat array in pre-order: a node's index is smaller than its children's, so
// passes can walk trees by index order or explicit stacks, never by recursion on input depth.
#ifndef LATHE_ISEL_DSL_SEXPR_H_
#define LATHE_ISEL_DSL_SEXPR_H_

#include <vector>

#include "isel/dsl/diagnostic.h"
#include "isel/dsl/lexer.h"

namespace lathe::dsl {

struct SExpr {
  bool is_list = false;
  Token token;              // the atom, or the '(' of a list (for its location)
  std::vector<int> kids;    // indices of the elements of a list
};

struct SExprForest {
  std::vector<SExpr> nodes;
  std::vector<int> roots;   // the top-level forms, in file order
};

// Reads `tokens` (ending in kEnd) into `forest`, appending. Reports unbalanced parentheses and
// top-level atoms to `diags`; forms that are complete before an error are kept. `lex_failed`:
// the tokens stop early at a lexical error already reported, so open lists are not reported.
void ReadSExprs(const std::vector<Token>& tokens, bool lex_failed, SExprForest& forest,
                Diagnostics& diags);

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_SEXPR_H_
