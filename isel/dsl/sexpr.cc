#include "isel/dsl/sexpr.h"

namespace lathe::dsl {

void ReadSExprs(const std::vector<Token>& tokens, bool lex_failed, SExprForest& forest,
                Diagnostics& diags) {
  std::vector<int> open;  // the lists being read, innermost last
  for (const Token& tok : tokens) {
    switch (tok.kind) {
      case TokenKind::kLParen: {
        int index = static_cast<int>(forest.nodes.size());
        forest.nodes.push_back(SExpr{true, tok, {}});
        if (!open.empty()) forest.nodes[open.back()].kids.push_back(index);
        open.push_back(index);
        break;
      }
      case TokenKind::kRParen:
        if (open.empty()) {
          diags.Error(tok.loc, "unexpected ')': no list is open here");
          return;
        }
        if (open.size() == 1) forest.roots.push_back(open.back());
        open.pop_back();
        break;
      case TokenKind::kEnd:
        if (!open.empty() && !lex_failed) {
          diags.Error(forest.nodes[open.back()].token.loc,
                      "unclosed '(': expected ')' before the end of the file");
        }
        return;
      default: {
        if (open.empty()) {
          diags.Error(tok.loc, "expected '(' to start a top-level form");
          return;
        }
        int index = static_cast<int>(forest.nodes.size());
        forest.nodes.push_back(SExpr{false, tok, {}});
        forest.nodes[open.back()].kids.push_back(index);
        break;
      }
    }
  }
}

}  // namespace lathe::dsl
