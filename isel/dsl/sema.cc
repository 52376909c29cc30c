#include "isel/dsl/sema.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace lathe::dsl {

bool IsCppIdentifier(const std::string& name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

namespace {

bool IsCppKeyword(const std::string& name) {
  static const char* const kKeywords[] = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char16_t", "char32_t", "class", "compl", "const", "constexpr",
      "const_cast", "continue", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_assert",
      "static_cast", "struct", "switch", "template", "this", "thread_local", "throw", "true",
      "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void",
      "volatile", "wchar_t", "while", "xor", "xor_eq", "ctx", "out", "Context"};
  for (const char* k : kKeywords) {
    if (name == k) return true;
  }
  return false;
}

struct ExprScope {
  const absl::flat_hash_map<std::string, int>* vars;  // pattern variable -> binding
  const TermMatcher* matcher;
  bool in_guard;
  bool pure_required;
};

class Sema {
 public:
  Sema(Program& p, Diagnostics& d) : p_(p), d_(d) {}

  std::vector<TermMatcher> Run() {
    DeclareTypes();
    DeclareTerms();
    DeclareConsts();
    AttachExterns();
    AttachMacros();
    AttachRules();
    DeclareConverters();
    std::vector<TermMatcher> out;
    for (size_t t = 0; t < p_.terms.size(); ++t) {
      if (p_.terms[t].rules.empty()) continue;
      size_t before = d_.size();
      TermMatcher m = LowerTerm(static_cast<int>(t));
      if (d_.size() == before) out.push_back(std::move(m));
    }
    return out;
  }

 private:
  std::string TypeName(int t) const { return t >= 0 ? p_.types[t].name : "<unknown>"; }

  int LookupType(const std::string& name, Loc loc) {
    auto it = p_.type_index.find(name);
    if (it != p_.type_index.end()) return it->second;
    d_.Error(loc, absl::StrCat("unknown type '", name, "'"));
    return -1;
  }

  void AddBuiltin(const char* name, const char* cpp, int64_t min, uint64_t max, bool is_bool) {
    TypeDecl t;
    t.name = name;
    t.cpp = cpp;
    t.is_bool = is_bool;
    t.has_range = true;
    t.min = min;
    t.max = max;
    p_.type_index[t.name] = static_cast<int>(p_.types.size());
    p_.types.push_back(std::move(t));
  }

  void DeclareTypes() {
    std::vector<TypeDecl> user = std::move(p_.types);
    p_.types.clear();
    AddBuiltin("bool", "bool", 0, 1, true);
    AddBuiltin("u8", "uint8_t", 0, 0xff, false);
    AddBuiltin("u16", "uint16_t", 0, 0xffff, false);
    AddBuiltin("u32", "uint32_t", 0, 0xffffffffu, false);
    AddBuiltin("u64", "uint64_t", 0, std::numeric_limits<uint64_t>::max(), false);
    AddBuiltin("i8", "int8_t", -128, 127, false);
    AddBuiltin("i16", "int16_t", -32768, 32767, false);
    AddBuiltin("i32", "int32_t", std::numeric_limits<int32_t>::min(), 0x7fffffff, false);
    AddBuiltin("i64", "int64_t", std::numeric_limits<int64_t>::min(),
               std::numeric_limits<int64_t>::max(), false);
    for (TypeDecl& t : user) {
      auto it = p_.type_index.find(t.name);
      if (it != p_.type_index.end()) {
        const TypeDecl& old = p_.types[it->second];
        d_.Error(t.loc, old.has_range && old.loc.line == 0
                            ? absl::StrCat("type '", t.name, "' is built in; choose another name")
                            : absl::StrCat("type '", t.name, "' is already declared at ",
                                           d_.Where(old.loc)));
        continue;
      }
      if (t.kind == TypeKind::kEnum) {
        if (!IsCppIdentifier(t.name) || IsCppKeyword(t.name)) {
          d_.Error(t.loc, absl::StrCat("enum type name '", t.name,
                                       "' must be a C++ identifier (letters, digits, '_')"));
          continue;
        }
        absl::flat_hash_set<std::string> seen;
        bool ok = true;
        for (const std::string& v : t.variants) {
          if (!IsCppIdentifier(v) || IsCppKeyword(v) || !seen.insert(v).second) {
            d_.Error(t.loc, absl::StrCat("enum variant '", v, "' of '", t.name,
                                         "' must be a C++ identifier and unique"));
            ok = false;
          }
        }
        if (!ok) continue;
      }
      p_.type_index[t.name] = static_cast<int>(p_.types.size());
      p_.types.push_back(std::move(t));
    }
  }

  void DeclareTerms() {
    for (size_t i = 0; i < p_.terms.size(); ++i) {
      Term& t = p_.terms[i];
      auto [it, inserted] = p_.term_index.emplace(t.name, static_cast<int>(i));
      if (!inserted) {
        d_.Error(t.loc, absl::StrCat("term '", t.name, "' is already declared at ",
                                     d_.Where(p_.terms[it->second].loc)));
        continue;
      }
      if (t.name == "and" || t.name == "let" || t.name == "if" || t.name == "if-let" ||
          t.name.find('.') != std::string::npos || t.name[0] == '$') {
        d_.Error(t.loc, absl::StrCat("'", t.name, "' cannot name a term: it is reserved syntax"));
      }
      for (const std::string& a : t.arg_type_names) t.arg_types.push_back(LookupType(a, t.loc));
      t.ret_type = LookupType(t.ret_type_name, t.loc);
    }
  }

  void DeclareConsts() {
    for (size_t i = 0; i < p_.consts.size(); ++i) {
      ExternConst& c = p_.consts[i];
      c.type = LookupType(c.type_name, c.loc);
      if (!p_.const_index.emplace(c.name, static_cast<int>(i)).second) {
        d_.Error(c.loc, absl::StrCat("constant '", c.name, "' is already declared"));
      }
    }
  }

  Term* LookupTermFor(const std::string& name, Loc loc, const char* what) {
    auto it = p_.term_index.find(name);
    if (it == p_.term_index.end()) {
      d_.Error(loc, absl::StrCat("unknown term '", name, "' in ", what,
                                 ": declare it first with (decl ", name, " (ARGS...) RET)"));
      return nullptr;
    }
    return &p_.terms[it->second];
  }

  void AttachExterns() {
    for (size_t i = 0; i < p_.externs.size(); ++i) {
      const ExternDecl& e = p_.externs[i];
      Term* t = LookupTermFor(e.term_name, e.loc, "extern declaration");
      if (t == nullptr) continue;
      if (!IsCppIdentifier(e.hook) || IsCppKeyword(e.hook)) {
        d_.Error(e.loc, absl::StrCat("hook name '", e.hook, "' must be a C++ identifier"));
        continue;
      }
      int& slot = e.is_extractor ? t->extern_extractor : t->extern_constructor;
      if (slot >= 0) {
        d_.Error(e.loc, absl::StrCat("term '", t->name, "' already has an extern ",
                                     e.is_extractor ? "extractor" : "constructor", " at ",
                                     d_.Where(p_.externs[slot].loc)));
        continue;
      }
      if (!e.is_extractor && t->multi) {
        d_.Error(e.loc, absl::StrCat("multi term '", t->name,
                                     "' cannot have an extern constructor: multi terms are "
                                     "defined by rules or used as extern extractors"));
        continue;
      }
      if (e.is_extractor && e.infallible && t->multi) {
        d_.Error(e.loc, "a multi extractor cannot be infallible");
        continue;
      }
      slot = static_cast<int>(i);
    }
  }

  void AttachMacros() {
    for (size_t i = 0; i < p_.macros.size(); ++i) {
      const Macro& m = p_.macros[i];
      Term* t = LookupTermFor(m.name, m.loc, "extractor definition");
      if (t == nullptr) continue;
      if (t->extern_extractor >= 0 || t->macro >= 0) {
        d_.Error(m.loc, absl::StrCat("term '", t->name, "' already has an extractor"));
        continue;
      }
      if (m.params.size() != t->arg_types.size()) {
        d_.Error(m.loc, absl::StrCat("wrong number of parameters for extractor '", t->name,
                                     "': expected ", t->arg_types.size(), ", found ",
                                     m.params.size()));
        continue;
      }
      t->macro = static_cast<int>(i);
    }
  }

  void AttachRules() {
    for (size_t i = 0; i < p_.rules.size(); ++i) {
      Rule& r = p_.rules[i];
      Term* t = LookupTermFor(r.term_name, p_.nodes[r.lhs].loc, "rule");
      if (t == nullptr) continue;
      if (t->extern_constructor >= 0) {
        d_.Error(p_.nodes[r.lhs].loc,
                 absl::StrCat("term '", t->name,
                              "' has an extern constructor; it cannot also be defined by rules"));
        continue;
      }
      r.term = p_.term_index[r.term_name];
      if (t->rules.empty()) {
        // The term becomes a generated C++ function; its name must work as one.
        std::string fn = t->name;
        std::replace(fn.begin(), fn.end(), '-', '_');
        if (!IsCppIdentifier(fn) || IsCppKeyword(fn)) {
          d_.Error(t->loc, absl::StrCat("term '", t->name, "' is defined by rules, so it becomes a "
                                        "C++ function, but '", fn, "' cannot name one"));
        } else if (auto [it, inserted] = function_names_.emplace(fn, t->name); !inserted) {
          d_.Error(t->loc, absl::StrCat("terms '", it->second, "' and '", t->name,
                                        "' would both become the C++ function '", fn, "'"));
        }
      }
      t->rules.push_back(static_cast<int>(i));
    }
  }

  void DeclareConverters() {
    for (Converter& c : p_.converters) {
      c.from = LookupType(c.from_name, c.loc);
      c.to = LookupType(c.to_name, c.loc);
      Term* t = LookupTermFor(c.term_name, c.loc, "convert declaration");
      if (c.from < 0 || c.to < 0 || t == nullptr) continue;
      if (!t->has_constructor() || t->partial || t->multi || t->arg_types.size() != 1 ||
          t->arg_types[0] != c.from || t->ret_type != c.to) {
        d_.Error(c.loc, absl::StrCat("conversion term '", t->name,
                                     "' must be a total constructor of type (", c.from_name,
                                     ") ", c.to_name));
        continue;
      }
      if (c.from == c.to) {
        d_.Error(c.loc, "a conversion needs two different types");
        continue;
      }
      auto [it, inserted] = converters_.emplace(std::make_pair(c.from, c.to), p_.term_index[c.term_name]);
      if (!inserted) {
        d_.Error(c.loc, absl::StrCat("a conversion from ", c.from_name, " to ", c.to_name,
                                     " is already declared"));
        continue;
      }
      c.term = it->second;
    }
  }

  // Checks that a literal `value` fits `type`; reports at `loc` otherwise.
  bool CheckLiteral(const Node& n, int type) {
    const TypeDecl& t = p_.types[type];
    if (t.kind != TypeKind::kPrimitive) {
      d_.Error(n.loc, absl::StrCat("type mismatch: expected a value of type '", t.name,
                                   "', found an integer literal (only primitive types have "
                                   "literals)"));
      return false;
    }
    if (n.is_bool_literal != t.is_bool) {
      d_.Error(n.loc, absl::StrCat("type mismatch: expected a value of type '", t.name,
                                   "', found ", n.is_bool_literal ? "a bool literal" : "an integer"));
      return false;
    }
    // A negative 64-bit value is accepted for u64 only when written in hex: it is then the bit
    // pattern above 2^63 (0xffffffffffffffff), not a negative number.
    bool u64_pattern = t.max == std::numeric_limits<uint64_t>::max() && n.is_hex_literal;
    if (t.has_range && !u64_pattern &&
        (n.value < t.min || (n.value >= 0 && static_cast<uint64_t>(n.value) > t.max))) {
      d_.Error(n.loc, absl::StrCat("integer ", n.value, " does not fit in type '", t.name, "'"));
      return false;
    }
    return true;
  }

  // Resolves `Type.Variant`; returns the type or -1 after an error.
  int ResolveEnum(Node& n) {
    size_t dot = n.name.rfind('.');
    std::string tname = n.name.substr(0, dot), vname = n.name.substr(dot + 1);
    auto it = p_.type_index.find(tname);
    if (it == p_.type_index.end() || p_.types[it->second].kind != TypeKind::kEnum) {
      d_.Error(n.loc, absl::StrCat("unknown enum type '", tname, "' in '", n.name, "'"));
      return -1;
    }
    const TypeDecl& t = p_.types[it->second];
    auto v = std::find(t.variants.begin(), t.variants.end(), vname);
    if (v == t.variants.end()) {
      d_.Error(n.loc, absl::StrCat("enum '", tname, "' has no variant '", vname, "'"));
      return -1;
    }
    n.variant = static_cast<int>(v - t.variants.begin());
    return it->second;
  }

  int ResolveConst(Node& n) {
    auto it = p_.const_index.find(n.name);
    if (it == p_.const_index.end()) {
      d_.Error(n.loc, absl::StrCat("unknown constant '", n.name,
                                   "': declare it with (extern const ", n.name, " TYPE \"c++\")"));
      return -1;
    }
    n.const_index = it->second;
    return p_.consts[it->second].type;
  }

  // Type-checks the expression at `root` against `expected` (-1: whatever its own type is).
  // Fills the resolved fields of its nodes. Returns false after reporting errors.
  bool CheckExpr(int root, int expected, const ExprScope& scope) {
    size_t before = d_.size();
    std::vector<std::pair<int, int>> work = {{root, expected}};
    std::vector<int> lets;
    while (!work.empty()) {
      auto [index, want] = work.back();
      work.pop_back();
      Node& n = p_.nodes[index];
      int natural = -1;
      switch (n.kind) {
        case NodeKind::kWildcard:
        case NodeKind::kAnd:
          d_.Error(n.loc, "this is pattern syntax; expected an expression");
          continue;
        case NodeKind::kInt:
          if (want < 0) {
            d_.Error(n.loc, "cannot infer the type of this literal: use it where a type is known");
            continue;
          }
          if (!CheckLiteral(n, want)) continue;
          n.type = want;
          continue;
        case NodeKind::kEnum:
          natural = ResolveEnum(n);
          break;
        case NodeKind::kConst:
          natural = ResolveConst(n);
          break;
        case NodeKind::kVar:
          natural = ResolveVar(index, scope);
          break;
        case NodeKind::kLet: {
          for (size_t i = 0; i < n.let_vars.size(); ++i) {
            LetVar& v = n.let_vars[i];
            v.type = LookupType(v.type_name, v.loc);
            if (v.type >= 0) work.push_back({n.kids[i], v.type});
          }
          work.push_back({n.kids.back(), want});
          lets.push_back(index);
          continue;
        }
        case NodeKind::kCall: {
          auto it = p_.term_index.find(n.name);
          if (it == p_.term_index.end()) {
            d_.Error(n.loc, absl::StrCat("unknown term '", n.name, "'"));
            continue;
          }
          n.term = it->second;
          const Term& t = p_.terms[n.term];
          if (t.ret_type < 0 ||
              std::find(t.arg_types.begin(), t.arg_types.end(), -1) != t.arg_types.end()) {
            d_.Error(n.loc, absl::StrCat("term '", t.name, "' has an invalid declaration"));
            continue;
          }
          if (!CheckCallable(t, n.loc, scope)) continue;
          if (n.kids.size() != t.arg_types.size()) {
            d_.Error(n.loc, absl::StrCat("wrong number of arguments to '", t.name, "': expected ",
                                         t.arg_types.size(), ", found ", n.kids.size()));
            continue;
          }
          for (size_t i = 0; i < n.kids.size(); ++i) {
            if (t.arg_types[i] >= 0) work.push_back({n.kids[i], t.arg_types[i]});
          }
          natural = t.ret_type;
          break;
        }
      }
      if (natural < 0) continue;
      n.type = natural;
      if (want >= 0 && want != natural) {
        auto conv = converters_.find(std::make_pair(natural, want));
        if (conv == converters_.end()) {
          d_.Error(n.loc, absl::StrCat("type mismatch: expected '", TypeName(want), "', found '",
                                       TypeName(natural), "'"));
          continue;
        }
        if (!CheckCallable(p_.terms[conv->second], n.loc, scope)) continue;
        n.convert_term = conv->second;
        n.type = want;
      }
    }
    // A let's value is its body's; bodies come later in the node array, so finish innermost first.
    for (auto it = lets.rbegin(); it != lets.rend(); ++it) {
      Node& let = p_.nodes[*it];
      let.type = p_.nodes[let.kids.back()].type;
    }
    return d_.size() == before;
  }

  bool CheckCallable(const Term& t, Loc loc, const ExprScope& scope) {
    if (!t.has_constructor()) {
      d_.Error(loc, absl::StrCat("term '", t.name, "' has no constructor: declare (extern "
                                 "constructor ", t.name, " HOOK) or write rules for it"));
      return false;
    }
    if (t.multi) {
      d_.Error(loc, absl::StrCat("multi term '", t.name,
                                 "' yields several values; it cannot be called in an expression"));
      return false;
    }
    if (t.partial && !scope.in_guard) {
      d_.Error(loc, absl::StrCat("partial term '", t.name, "' may fail; call it in an if-let "
                                 "guard, not in a rule's result"));
      return false;
    }
    if (scope.pure_required && !t.pure) {
      d_.Error(loc, absl::StrCat("term '", t.name, "' is not pure; guards and pure terms may only "
                                 "call terms declared (decl pure ...)"));
      return false;
    }
    return true;
  }

  // Finds what the variable node at `index` names: a let variable of an enclosing let (the
  // nearest one in scope) or a pattern variable. Returns its type, or -1 after an error.
  int ResolveVar(int index, const ExprScope& scope) {
    Node& n = p_.nodes[index];
    int child = index;
    for (int a = n.parent; a >= 0; child = a, a = p_.nodes[a].parent) {
      const Node& anc = p_.nodes[a];
      if (anc.kind != NodeKind::kLet) continue;
      size_t pos = static_cast<size_t>(
          std::find(anc.kids.begin(), anc.kids.end(), child) - anc.kids.begin());
      size_t visible = std::min(pos, anc.let_vars.size());  // let* scoping
      for (size_t i = visible; i-- > 0;) {
        if (anc.let_vars[i].name == n.name) {
          n.let_node = a;
          n.let_index = static_cast<int>(i);
          return anc.let_vars[i].type;
        }
      }
    }
    auto it = scope.vars->find(n.name);
    if (it == scope.vars->end()) {
      d_.Error(n.loc, absl::StrCat("unknown variable '", n.name,
                                   "': it is not bound by the pattern or an enclosing let"));
      return -1;
    }
    n.binding = it->second;
    return scope.matcher->bindings[it->second].type;
  }

  // A canonical spelling of a checked guard expression, so equal guards share one step.
  std::string Canonical(int root) {
    std::string out;
    std::vector<int> work = {root};  // -1 closes a call or let
    while (!work.empty()) {
      int i = work.back();
      work.pop_back();
      if (i < 0) {
        out += ")";
        continue;
      }
      const Node& n = p_.nodes[i];
      if (n.convert_term >= 0) absl::StrAppend(&out, "[c", n.convert_term, "]");
      switch (n.kind) {
        case NodeKind::kInt: absl::StrAppend(&out, "i", n.value, ":", n.type, " "); break;
        case NodeKind::kEnum: absl::StrAppend(&out, "e", n.type, ".", n.variant, " "); break;
        case NodeKind::kConst: absl::StrAppend(&out, "k", n.const_index, " "); break;
        case NodeKind::kVar:
          if (n.binding >= 0) {
            absl::StrAppend(&out, "b", n.binding, " ");
          } else {
            absl::StrAppend(&out, "l", n.let_node, ".", n.let_index, " ");
          }
          break;
        case NodeKind::kCall:
        case NodeKind::kLet:
          absl::StrAppend(&out, n.kind == NodeKind::kCall ? "(t" : "(let", n.kind == NodeKind::kCall ? n.term : i, " ");
          work.push_back(-1);
          for (auto it = n.kids.rbegin(); it != n.kids.rend(); ++it) work.push_back(*it);
          break;
        default: break;
      }
    }
    return out;
  }

  // Hash-conses a step into `m`; creates output bindings of `out_types` for a new step.
  int Intern(TermMatcher& m, Step step, const std::vector<int>& out_types) {
    auto [it, inserted] = step_index_.emplace(step.key, static_cast<int>(m.steps.size()));
    if (!inserted) return it->second;
    int id = it->second;
    for (size_t i = 0; i < out_types.size(); ++i) {
      step.outputs.push_back(static_cast<int>(m.bindings.size()));
      m.bindings.push_back(Binding{out_types[i], id, static_cast<int>(i)});
    }
    m.steps.push_back(std::move(step));
    return id;
  }

  struct Env {
    int macro;
    std::vector<int> args;
    int parent;
  };

  // Lowers the pattern at `root`, matched against binding `input`, appending steps to `rule`.
  bool LowerPattern(TermMatcher& m, LoweredRule& rule, int root, int input,
                    absl::flat_hash_map<std::string, int>& vars, bool in_multi) {
    struct Item {
      int node, input, env;
    };
    std::vector<Env> envs;
    std::vector<Item> work = {{root, input, -1}};
    size_t before = d_.size();
    int processed = 0;
    auto add = [&](Step s, const std::vector<int>& out_types) {
      int id = Intern(m, std::move(s), out_types);
      if (std::find(rule.steps.begin(), rule.steps.end(), id) == rule.steps.end()) {
        rule.steps.push_back(id);
      }
      return id;
    };
    while (!work.empty()) {
      Item item = work.back();
      work.pop_back();
      if (++processed > 20 * kMaxStepsPerRule) {
        d_.Error(p_.nodes[root].loc, "pattern expands to too many steps (a recursive extractor?)");
        return false;
      }
      Node& n = p_.nodes[item.node];
      int type = m.bindings[item.input].type;
      auto mismatch = [&](int found) {
        d_.Error(n.loc, absl::StrCat("type mismatch: expected a pattern for '", TypeName(type),
                                     "', found one for '", TypeName(found), "'"));
      };
      switch (n.kind) {
        case NodeKind::kWildcard:
          break;
        case NodeKind::kVar: {
          if (item.env >= 0) {
            const Env& env = envs[item.env];
            const Macro& mac = p_.macros[env.macro];
            auto pos = std::find(mac.params.begin(), mac.params.end(), n.name);
            if (pos == mac.params.end()) {
              d_.Error(n.loc, absl::StrCat("variable '", n.name, "' in extractor '", mac.name,
                                           "' is not one of its parameters"));
              break;
            }
            work.push_back({env.args[pos - mac.params.begin()], item.input, env.parent});
            break;
          }
          auto [it, inserted] = vars.emplace(n.name, item.input);
          if (inserted) break;
          if (m.bindings[it->second].type != type) {
            d_.Error(n.loc, absl::StrCat("type mismatch: variable '", n.name, "' has type '",
                                         TypeName(m.bindings[it->second].type),
                                         "' but this position has type '", TypeName(type), "'"));
            break;
          }
          if (it->second == item.input) break;
          Step s;
          s.kind = StepKind::kEqBinding;
          s.input = std::max(item.input, it->second);
          s.other = std::min(item.input, it->second);
          s.key = absl::StrCat("Q", s.input, ",", s.other);
          add(std::move(s), {});
          break;
        }
        case NodeKind::kInt: {
          if (!CheckLiteral(n, type)) break;
          Step s;
          s.kind = StepKind::kEqInt;
          s.input = item.input;
          s.value = n.value;
          s.key = absl::StrCat("I", s.input, ",", s.value);
          add(std::move(s), {});
          break;
        }
        case NodeKind::kEnum: {
          int t = ResolveEnum(n);
          if (t < 0) break;
          if (t != type) {
            mismatch(t);
            break;
          }
          Step s;
          s.kind = StepKind::kEqEnum;
          s.input = item.input;
          s.value = n.variant;
          s.key = absl::StrCat("E", s.input, ",", s.value);
          add(std::move(s), {});
          break;
        }
        case NodeKind::kConst: {
          int t = ResolveConst(n);
          if (t < 0) break;
          if (t != type) {
            mismatch(t);
            break;
          }
          Step s;
          s.kind = StepKind::kEqConst;
          s.input = item.input;
          s.value = n.const_index;
          s.key = absl::StrCat("K", s.input, ",", s.value);
          add(std::move(s), {});
          break;
        }
        case NodeKind::kAnd:
          for (auto it = n.kids.rbegin(); it != n.kids.rend(); ++it) {
            work.push_back({*it, item.input, item.env});
          }
          break;
        case NodeKind::kLet:
          d_.Error(n.loc, "'let' is expression syntax; expected a pattern");
          break;
        case NodeKind::kCall: {
          auto it = p_.term_index.find(n.name);
          if (it == p_.term_index.end()) {
            d_.Error(n.loc, absl::StrCat("unknown term '", n.name, "'"));
            break;
          }
          const Term& t = p_.terms[it->second];
          if (t.ret_type < 0 ||
              std::find(t.arg_types.begin(), t.arg_types.end(), -1) != t.arg_types.end()) {
            // The term's declaration names an unknown type; that error is reported already.
            d_.Error(n.loc, absl::StrCat("term '", t.name, "' has an invalid declaration"));
            break;
          }
          if (!t.has_extractor()) {
            d_.Error(n.loc, absl::StrCat("term '", t.name, "' has no extractor, so it cannot be "
                                         "used in a pattern"));
            break;
          }
          if (n.kids.size() != t.arg_types.size()) {
            d_.Error(n.loc, absl::StrCat("wrong number of arguments to '", t.name,
                                         "': expected ", t.arg_types.size(), ", found ",
                                         n.kids.size()));
            break;
          }
          if (t.ret_type != type) {
            d_.Error(n.loc, absl::StrCat("type mismatch: extractor '", t.name,
                                         "' matches values of type '", TypeName(t.ret_type),
                                         "' but this position has type '", TypeName(type), "'"));
            break;
          }
          if (t.macro >= 0) {
            envs.push_back(Env{t.macro, n.kids, item.env});
            work.push_back({p_.macros[t.macro].body, item.input, static_cast<int>(envs.size()) - 1});
            break;
          }
          if (t.multi && !in_multi) {
            d_.Error(n.loc, absl::StrCat("multi extractor '", t.name,
                                         "' may only be used in the rules of a multi term"));
            break;
          }
          Step s;
          s.kind = t.multi ? StepKind::kMultiExtract : StepKind::kExtract;
          s.input = item.input;
          s.term = it->second;
          s.key = absl::StrCat("X", s.input, ",", s.term);
          int id = add(std::move(s), t.arg_types);
          const std::vector<int>& outs = m.steps[id].outputs;
          for (size_t k = n.kids.size(); k-- > 0;) work.push_back({n.kids[k], outs[k], item.env});
          break;
        }
      }
    }
    return d_.size() == before;
  }

  TermMatcher LowerTerm(int term) {
    const Term& t = p_.terms[term];
    TermMatcher m;
    m.term = term;
    step_index_.clear();
    for (size_t i = 0; i < t.arg_types.size(); ++i) {
      m.bindings.push_back(Binding{t.arg_types[i], -1, static_cast<int>(i)});
    }
    for (int ri : t.rules) {
      Rule& r = p_.rules[ri];
      LoweredRule lr;
      lr.rule = ri;
      lr.priority = r.priority;
      Node& lhs = p_.nodes[r.lhs];
      if (lhs.kids.size() != t.arg_types.size()) {
        d_.Error(lhs.loc, absl::StrCat("wrong number of arguments to '", t.name, "': expected ",
                                       t.arg_types.size(), ", found ", lhs.kids.size()));
        continue;
      }
      if (std::find(t.arg_types.begin(), t.arg_types.end(), -1) != t.arg_types.end() ||
          t.ret_type < 0) {
        continue;  // the declaration's error was reported already
      }
      absl::flat_hash_map<std::string, int> vars;
      bool ok = true;
      for (size_t i = 0; i < lhs.kids.size() && ok; ++i) {
        ok = LowerPattern(m, lr, lhs.kids[i], static_cast<int>(i), vars, t.multi);
      }
      ExprScope guard_scope{&vars, &m, /*in_guard=*/true, /*pure_required=*/true};
      for (const Guard& g : r.guards) {
        if (!ok) break;
        if (!CheckExpr(g.expr, -1, guard_scope)) {
          ok = false;
          break;
        }
        Step s;
          s.kind = StepKind::kEval;
        s.expr = g.expr;
        s.key = "V" + Canonical(g.expr);
        int type = p_.nodes[g.expr].type;
        int id = Intern(m, std::move(s), {type});
        if (std::find(lr.steps.begin(), lr.steps.end(), id) == lr.steps.end()) {
          lr.steps.push_back(id);
        }
        int value = m.steps[id].outputs[0];
        if (g.is_if_let) {
          ok = LowerPattern(m, lr, g.pattern, value, vars, t.multi);
        } else if (p_.types[type].is_bool) {
          Step b;
          b.kind = StepKind::kIsTrue;
          b.input = value;
          b.key = absl::StrCat("T", value);
          int bid = Intern(m, std::move(b), {});
          if (std::find(lr.steps.begin(), lr.steps.end(), bid) == lr.steps.end()) {
            lr.steps.push_back(bid);
          }
        }
      }
      if (!ok) continue;
      ExprScope rhs_scope{&vars, &m, /*in_guard=*/false, /*pure_required=*/t.pure};
      if (!CheckExpr(r.rhs, t.ret_type, rhs_scope)) continue;
      if (lr.steps.size() > static_cast<size_t>(kMaxStepsPerRule)) {
        d_.Error(r.loc, absl::StrCat("rule needs ", lr.steps.size(), " match steps; the limit is ",
                                     kMaxStepsPerRule, ": split it with helper terms"));
        continue;
      }
      m.rules.push_back(std::move(lr));
    }
    return m;
  }

  Program& p_;
  Diagnostics& d_;
  absl::flat_hash_map<std::pair<int, int>, int> converters_;
  absl::flat_hash_map<std::string, int> step_index_;
  absl::flat_hash_map<std::string, std::string> function_names_;  // C++ name -> term
};

}  // namespace

std::vector<TermMatcher> Analyze(Program& program, Diagnostics& diags) {
  return Sema(program, diags).Run();
}

}  // namespace lathe::dsl
