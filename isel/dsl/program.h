// The rules program: every declaration of the rules files, as parsed and then resolved.
// The parser fills the names; semantic analysis (sema.h) fills the resolved fields (`type`,
// `term`, ... set to -1 until then). Patterns and expressions share one flat node array; a node's
// children are listed by index, and a node's parent always has a smaller index than the node.
#ifndef LATHE_ISEL_DSL_PROGRAM_H_
#define LATHE_ISEL_DSL_PROGRAM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "isel/dsl/diagnostic.h"

namespace lathe::dsl {

enum class TypeKind { kPrimitive, kEnum, kExtern };

struct TypeDecl {
  std::string name;
  TypeKind kind = TypeKind::kPrimitive;
  std::string cpp;                    // C++ spelling (for enums: the generated enum's name)
  std::vector<std::string> variants;  // enums only
  bool is_bool = false;
  bool has_range = false;             // built-in integer types know their range
  int64_t min = 0;
  uint64_t max = 0;
  Loc loc;
};

enum class NodeKind {
  kWildcard,  // pattern `_`
  kVar,       // pattern binding / equality, or expression variable reference
  kInt,       // integer or `true`/`false` literal
  kEnum,      // `Type.Variant`
  kConst,     // `$NAME`, an extern constant
  kCall,      // `(term args...)`: extractor call in a pattern, constructor call in an expression
  kAnd,       // pattern `(and p...)`
  kLet,       // expression `(let ((x T e)...) body)`: kids are the binding expressions, then body
};

struct LetVar {
  std::string name;
  std::string type_name;
  int type = -1;
  Loc loc;
};

struct Node {
  NodeKind kind = NodeKind::kWildcard;
  Loc loc;
  std::string name;  // variable, term, `Type.Variant`, `$NAME`
  int64_t value = 0;
  bool is_bool_literal = false;
  bool is_hex_literal = false;
  std::vector<int> kids;
  int parent = -1;
  std::vector<LetVar> let_vars;  // kLet only
  // Resolved by sema, for expression nodes.
  int type = -1;          // the type of the value after any conversion
  int term = -1;          // kCall
  int variant = -1;       // kEnum
  int const_index = -1;   // kConst
  int binding = -1;       // kVar bound by a pattern: the matcher binding it names
  int let_node = -1;      // kVar bound by a let: that let node and the variable's index
  int let_index = -1;
  int convert_term = -1;  // a `convert` term applied to this node's value, or -1
};

struct Guard {
  bool is_if_let = false;  // (if-let PAT EXPR); otherwise (if EXPR)
  int pattern = -1;
  int expr = -1;
  Loc loc;
};

struct Rule {
  std::string term_name;
  int term = -1;
  int64_t priority = 0;
  int lhs = -1;  // a kCall node naming the term the rule defines
  std::vector<Guard> guards;
  int rhs = -1;
  Loc loc;
};

struct Macro {  // (extractor (name params...) body)
  std::string name;
  std::vector<std::string> params;
  int body = -1;
  Loc loc;
};

struct ExternDecl {  // (extern extractor|constructor NAME HOOK)
  bool is_extractor = false;
  bool infallible = false;
  std::string term_name;
  std::string hook;
  Loc loc;
};

struct ExternConst {  // (extern const $NAME TYPE "c++ expression")
  std::string name;
  std::string type_name;
  int type = -1;
  std::string cpp;
  Loc loc;
};

struct Converter {  // (convert FROM TO TERM)
  std::string from_name, to_name, term_name;
  int from = -1, to = -1, term = -1;
  Loc loc;
};

struct Term {
  std::string name;
  std::vector<std::string> arg_type_names;
  std::string ret_type_name;
  std::vector<int> arg_types;
  int ret_type = -1;
  bool pure = false;
  bool partial = false;
  bool multi = false;
  Loc loc;
  // How the term can be used, filled by sema.
  int extern_extractor = -1;    // index into Program::externs
  int macro = -1;               // index into Program::macros
  int extern_constructor = -1;  // index into Program::externs
  std::vector<int> rules;       // rules defining it (an internal constructor), in source order

  bool has_extractor() const { return extern_extractor >= 0 || macro >= 0; }
  bool has_constructor() const { return extern_constructor >= 0 || !rules.empty(); }
};

struct Program {
  std::vector<TypeDecl> types;
  std::vector<Term> terms;
  std::vector<Rule> rules;
  std::vector<Macro> macros;
  std::vector<ExternDecl> externs;
  std::vector<ExternConst> consts;
  std::vector<Converter> converters;
  std::vector<Node> nodes;

  absl::flat_hash_map<std::string, int> type_index;
  absl::flat_hash_map<std::string, int> term_index;
  absl::flat_hash_map<std::string, int> const_index;
};

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_PROGRAM_H_
