#include "isel/dsl/parser.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "isel/dsl/lexer.h"
#include "isel/dsl/sexpr.h"

namespace lathe::dsl {
namespace {

class Parser {
 public:
  Parser(const SExprForest& f, Program& p, Diagnostics& d) : f_(f), p_(p), d_(d) {}

  void Form(int index) {
    const SExpr& s = f_.nodes[index];
    if (s.kids.empty() || !IsIdent(s.kids[0])) {
      d_.Error(s.token.loc, "expected a form name after '(': type, decl, rule, extractor, "
                            "extern or convert");
      return;
    }
    absl::string_view head = Text(s.kids[0]);
    if (head == "type") return TypeForm(s);
    if (head == "decl") return DeclForm(s);
    if (head == "rule") return RuleForm(s);
    if (head == "extractor") return ExtractorForm(s);
    if (head == "extern") return ExternForm(s);
    if (head == "convert") return ConvertForm(s);
    d_.Error(At(s.kids[0]), absl::StrCat("unknown form '", head,
                                         "': expected type, decl, rule, extractor, extern or "
                                         "convert"));
  }

 private:
  bool IsIdent(int i) const {
    return !f_.nodes[i].is_list && f_.nodes[i].token.kind == TokenKind::kIdent;
  }
  bool IsString(int i) const {
    return !f_.nodes[i].is_list && f_.nodes[i].token.kind == TokenKind::kString;
  }
  bool IsInt(int i) const {
    return !f_.nodes[i].is_list && f_.nodes[i].token.kind == TokenKind::kInt;
  }
  absl::string_view Text(int i) const { return f_.nodes[i].token.text; }
  Loc At(int i) const { return f_.nodes[i].token.loc; }

  // Checks that `s` has exactly `n` elements; otherwise reports `usage`.
  bool Expect(const SExpr& s, size_t n, const char* usage) {
    if (s.kids.size() == n) return true;
    Loc loc = s.kids.size() > n ? At(s.kids[n]) : s.token.loc;
    d_.Error(loc, absl::StrCat("wrong number of elements in '", Text(s.kids[0]), "' form: expected ",
                               usage));
    return false;
  }
  bool Name(int i, const char* what, std::string* out) {
    if (!IsIdent(i)) {
      d_.Error(At(i), absl::StrCat("expected ", what, " (an identifier)"));
      return false;
    }
    *out = std::string(Text(i));
    return true;
  }

  void TypeForm(const SExpr& s) {
    const char* usage = "(type NAME (primitive \"c++type\")|(enum V...)|(extern \"c++type\"))";
    if (!Expect(s, 3, usage)) return;
    TypeDecl t;
    t.loc = At(s.kids[1]);
    if (!Name(s.kids[1], "a type name", &t.name)) return;
    const SExpr& body = f_.nodes[s.kids[2]];
    if (!body.is_list || body.kids.empty() || !IsIdent(body.kids[0])) {
      d_.Error(body.token.loc, absl::StrCat("expected ", usage));
      return;
    }
    absl::string_view kind = Text(body.kids[0]);
    if (kind == "enum") {
      t.kind = TypeKind::kEnum;
      t.cpp = t.name;
      for (size_t i = 1; i < body.kids.size(); ++i) {
        std::string v;
        if (!Name(body.kids[i], "an enum variant name", &v)) return;
        t.variants.push_back(v);
      }
      if (t.variants.empty()) {
        d_.Error(body.token.loc, "an enum needs at least one variant: expected (enum V...)");
        return;
      }
    } else if (kind == "primitive" || kind == "extern") {
      t.kind = kind == "extern" ? TypeKind::kExtern : TypeKind::kPrimitive;
      if (body.kids.size() != 2 || !IsString(body.kids[1])) {
        d_.Error(body.token.loc, absl::StrCat("expected (", kind, " \"c++type\")"));
        return;
      }
      t.cpp = std::string(Text(body.kids[1]));
    } else {
      d_.Error(At(body.kids[0]), absl::StrCat("unknown type kind '", kind,
                                              "': expected primitive, enum or extern"));
      return;
    }
    p_.types.push_back(std::move(t));
  }

  void DeclForm(const SExpr& s) {
    const char* usage = "(decl [pure] [partial|multi] NAME (ARGTYPE...) RETTYPE)";
    Term t;
    size_t i = 1;
    for (; i < s.kids.size() && IsIdent(s.kids[i]); ++i) {
      absl::string_view w = Text(s.kids[i]);
      if (w == "pure") {
        t.pure = true;
      } else if (w == "partial") {
        t.partial = true;
      } else if (w == "multi") {
        t.multi = true;
      } else {
        break;
      }
    }
    if (s.kids.size() != i + 3) {
      d_.Error(s.kids.size() > i + 3 ? At(s.kids[i + 3]) : s.token.loc,
               absl::StrCat("wrong number of elements in 'decl' form: expected ", usage));
      return;
    }
    if (t.partial && t.multi) {
      d_.Error(At(s.kids[1]), "a term cannot be both partial and multi");
      return;
    }
    t.loc = At(s.kids[i]);
    if (!Name(s.kids[i], "a term name", &t.name)) return;
    const SExpr& args = f_.nodes[s.kids[i + 1]];
    if (!args.is_list) {
      d_.Error(args.token.loc, "expected the argument types in parentheses: (ARGTYPE...)");
      return;
    }
    for (int a : args.kids) {
      std::string n;
      if (!Name(a, "an argument type name", &n)) return;
      t.arg_type_names.push_back(n);
    }
    if (!Name(s.kids[i + 2], "the return type name", &t.ret_type_name)) return;
    p_.terms.push_back(std::move(t));
  }

  void RuleForm(const SExpr& s) {
    Rule r;
    r.loc = s.token.loc;
    size_t i = 1;
    if (i < s.kids.size() && IsInt(s.kids[i])) r.priority = f_.nodes[s.kids[i++]].token.value;
    if (s.kids.size() < i + 2) {
      d_.Error(s.token.loc, "expected (rule [PRIORITY] (TERM PATTERN...) GUARD... RESULT)");
      return;
    }
    const SExpr& lhs = f_.nodes[s.kids[i]];
    if (!lhs.is_list || lhs.kids.empty() || !IsIdent(lhs.kids[0])) {
      d_.Error(lhs.token.loc, "expected the rule's left-hand side: (TERM PATTERN...)");
      return;
    }
    r.term_name = std::string(Text(lhs.kids[0]));
    r.lhs = Convert(s.kids[i], /*pattern=*/true);
    if (r.lhs < 0) return;
    for (size_t g = i + 1; g + 1 < s.kids.size(); ++g) {
      const SExpr& gs = f_.nodes[s.kids[g]];
      absl::string_view head = gs.is_list && !gs.kids.empty() && IsIdent(gs.kids[0])
                                  ? Text(gs.kids[0])
                                  : absl::string_view();
      Guard guard;
      guard.loc = gs.token.loc;
      if (head == "if-let") {
        if (gs.kids.size() != 3) {
          d_.Error(gs.token.loc, "expected (if-let PATTERN EXPRESSION)");
          return;
        }
        guard.is_if_let = true;
        guard.pattern = Convert(gs.kids[1], true);
        guard.expr = Convert(gs.kids[2], false);
        if (guard.pattern < 0 || guard.expr < 0) return;
      } else if (head == "if") {
        if (gs.kids.size() != 2) {
          d_.Error(gs.token.loc, "expected (if EXPRESSION)");
          return;
        }
        guard.expr = Convert(gs.kids[1], false);
        if (guard.expr < 0) return;
      } else {
        d_.Error(gs.token.loc, "expected a guard, (if-let PATTERN EXPRESSION) or (if EXPRESSION), "
                               "between the left-hand side and the result");
        return;
      }
      r.guards.push_back(guard);
    }
    r.rhs = Convert(s.kids.back(), false);
    if (r.rhs < 0) return;
    p_.rules.push_back(std::move(r));
  }

  void ExtractorForm(const SExpr& s) {
    if (!Expect(s, 3, "(extractor (NAME PARAM...) PATTERN)")) return;
    const SExpr& head = f_.nodes[s.kids[1]];
    if (!head.is_list || head.kids.empty()) {
      d_.Error(head.token.loc, "expected the extractor's name and parameters: (NAME PARAM...)");
      return;
    }
    Macro m;
    m.loc = head.token.loc;
    if (!Name(head.kids[0], "the extractor's term name", &m.name)) return;
    for (size_t i = 1; i < head.kids.size(); ++i) {
      std::string n;
      if (!Name(head.kids[i], "a parameter name", &n)) return;
      m.params.push_back(n);
    }
    m.body = Convert(s.kids[2], true);
    if (m.body < 0) return;
    p_.macros.push_back(std::move(m));
  }

  void ExternForm(const SExpr& s) {
    if (s.kids.size() < 2 || !IsIdent(s.kids[1])) {
      d_.Error(s.token.loc, "expected (extern extractor|constructor|const ...)");
      return;
    }
    absl::string_view what = Text(s.kids[1]);
    if (what == "const") {
      if (!Expect(s, 5, "(extern const $NAME TYPE \"c++ expression\")")) return;
      ExternConst c;
      c.loc = At(s.kids[2]);
      if (!Name(s.kids[2], "a constant name starting with '$'", &c.name)) return;
      if (c.name.size() < 2 || c.name[0] != '$') {
        d_.Error(c.loc, "expected a constant name starting with '$'");
        return;
      }
      if (!Name(s.kids[3], "the constant's type", &c.type_name)) return;
      if (!IsString(s.kids[4])) {
        d_.Error(At(s.kids[4]), "expected the constant's C++ expression as a string");
        return;
      }
      c.cpp = std::string(Text(s.kids[4]));
      p_.consts.push_back(std::move(c));
      return;
    }
    ExternDecl e;
    if (what == "extractor") {
      e.is_extractor = true;
    } else if (what != "constructor") {
      d_.Error(At(s.kids[1]), absl::StrCat("unknown extern kind '", what,
                                           "': expected extractor, constructor or const"));
      return;
    }
    size_t i = 2;
    if (e.is_extractor && i < s.kids.size() && IsIdent(s.kids[i]) &&
        Text(s.kids[i]) == "infallible") {
      e.infallible = true;
      ++i;
    }
    if (s.kids.size() != i + 2) {
      d_.Error(s.token.loc, absl::StrCat("expected (extern ", what,
                                         e.is_extractor ? " [infallible]" : "", " TERM HOOK)"));
      return;
    }
    e.loc = At(s.kids[i]);
    if (!Name(s.kids[i], "a term name", &e.term_name)) return;
    if (!Name(s.kids[i + 1], "a C++ hook name", &e.hook)) return;
    p_.externs.push_back(std::move(e));
  }

  void ConvertForm(const SExpr& s) {
    if (!Expect(s, 4, "(convert FROMTYPE TOTYPE TERM)")) return;
    Converter c;
    c.loc = s.token.loc;
    if (!Name(s.kids[1], "the source type", &c.from_name)) return;
    if (!Name(s.kids[2], "the target type", &c.to_name)) return;
    if (!Name(s.kids[3], "the conversion term", &c.term_name)) return;
    p_.converters.push_back(std::move(c));
  }

  // Converts a pattern or expression tree into Program nodes with an explicit stack.
  // Returns the root node index, or -1 after reporting an error.
  int Convert(int root, bool pattern) {
    struct Item {
      int sexpr;
      int parent;
    };
    std::vector<Item> stack = {{root, -1}};
    int result = -1;
    while (!stack.empty()) {
      Item item = stack.back();
      stack.pop_back();
      const SExpr& s = f_.nodes[item.sexpr];
      Node n;
      n.loc = s.token.loc;
      n.parent = item.parent;
      std::vector<int> kids;  // s-expressions to convert as children, in order
      if (!s.is_list) {
        const Token& t = s.token;
        if (t.kind == TokenKind::kInt) {
          n.kind = NodeKind::kInt;
          n.value = t.value;
          n.is_hex_literal = t.text.find('x') != absl::string_view::npos ||
                             t.text.find('X') != absl::string_view::npos;
        } else if (t.kind == TokenKind::kString) {
          d_.Error(t.loc, absl::StrCat("unexpected string in a ", pattern ? "pattern" : "expression",
                                       ": strings only name C++ types and constants"));
          return -1;
        } else if (t.text == "_") {
          if (!pattern) {
            d_.Error(t.loc, "'_' is a pattern wildcard; it cannot be used in an expression");
            return -1;
          }
          n.kind = NodeKind::kWildcard;
        } else if (t.text == "true" || t.text == "false") {
          n.kind = NodeKind::kInt;
          n.value = t.text == "true";
          n.is_bool_literal = true;
        } else if (t.text[0] == '$') {
          n.kind = NodeKind::kConst;
          n.name = std::string(t.text);
        } else if (t.text.find('.') != absl::string_view::npos) {
          n.kind = NodeKind::kEnum;
          n.name = std::string(t.text);
        } else {
          n.kind = NodeKind::kVar;
          n.name = std::string(t.text);
        }
      } else {
        if (s.kids.empty() || !IsIdent(s.kids[0])) {
          d_.Error(s.token.loc, absl::StrCat("expected a term name after '(' in a ",
                                             pattern ? "pattern" : "expression"));
          return -1;
        }
        absl::string_view head = Text(s.kids[0]);
        if (pattern && head == "and") {
          n.kind = NodeKind::kAnd;
          kids.assign(s.kids.begin() + 1, s.kids.end());
        } else if (!pattern && head == "let") {
          n.kind = NodeKind::kLet;
          const char* usage = "expected (let ((NAME TYPE EXPRESSION)...) BODY)";
          if (s.kids.size() != 3 || !f_.nodes[s.kids[1]].is_list) {
            d_.Error(s.token.loc, usage);
            return -1;
          }
          for (int b : f_.nodes[s.kids[1]].kids) {
            const SExpr& bs = f_.nodes[b];
            if (!bs.is_list || bs.kids.size() != 3 || !IsIdent(bs.kids[0]) ||
                !IsIdent(bs.kids[1])) {
              d_.Error(bs.token.loc, usage);
              return -1;
            }
            n.let_vars.push_back(LetVar{std::string(Text(bs.kids[0])),
                                        std::string(Text(bs.kids[1])), -1, At(bs.kids[0])});
            kids.push_back(bs.kids[2]);
          }
          kids.push_back(s.kids[2]);
        } else {
          n.kind = NodeKind::kCall;
          n.name = std::string(head);
          kids.assign(s.kids.begin() + 1, s.kids.end());
        }
      }
      int index = static_cast<int>(p_.nodes.size());
      p_.nodes.push_back(std::move(n));
      if (item.parent >= 0) {
        p_.nodes[item.parent].kids.push_back(index);
      } else {
        result = index;
      }
      // Pre-order: the first child is converted (with its subtree) before the second.
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) stack.push_back({*it, index});
    }
    return result;
  }

  const SExprForest& f_;
  Program& p_;
  Diagnostics& d_;
};

}  // namespace

void Parse(const std::vector<SourceFile>& files, Program& program, Diagnostics& diags) {
  for (size_t i = 0; i < files.size(); ++i) {
    size_t before = diags.size();
    std::vector<Token> tokens = Lex(files[i], static_cast<int>(i), diags);
    SExprForest forest;
    ReadSExprs(tokens, diags.size() != before, forest, diags);
    Parser parser(forest, program, diags);
    for (int root : forest.roots) parser.Form(root);
  }
}

}  // namespace lathe::dsl
