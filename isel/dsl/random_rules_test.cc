// Differential test: random rule sets (random_rules_gen.cc, run at build time) compiled to C++ by
// dslc must agree, on random inputs, with a naive reference that interprets the same rules file
// directly: try every rule of the term in descending priority, match its pattern tree against the
// input, run its guards, and return the first rule's result.
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "isel/dsl/compiler.h"
#include "isel/dsl/random_rules.h"
#include "isel/dsl/random_rules_prelude.h"

namespace lathe::dsl {
namespace {

using rnd::Tree;
using rnd::rules::Op;

struct TreeNode {
  bool is_leaf;
  Op op;
  int64_t value;
  int a, b;
};

std::vector<TreeNode> g_nodes;  // the arena every Tree indexes

class Ctx : public rnd::rules::Context {
 public:
  bool match_bin(const Tree& t, Op* op, Tree* a, Tree* b) override {
    const TreeNode& n = g_nodes[t.index];
    if (n.is_leaf) return false;
    *op = n.op;
    *a = Tree{n.a};
    *b = Tree{n.b};
    return true;
  }
  bool match_leaf(const Tree& t, int64_t* v) override {
    const TreeNode& n = g_nodes[t.index];
    if (!n.is_leaf) return false;
    *v = n.value;
    return true;
  }
  std::optional<int64_t> small_value(const Tree& t) override {
    const TreeNode& n = g_nodes[t.index];
    if (n.is_leaf && n.value < 2) return n.value;
    return std::nullopt;
  }
  bool is_leaf(const Tree& t) override { return g_nodes[t.index].is_leaf; }
  int64_t make_result(uint32_t id, const Tree& t) override { return id * 100000 + t.index; }
};

// A value the reference interpreter handles: a tree, an Op, or an integer.
struct Val {
  int kind;  // 0 tree, 1 op, 2 int
  int64_t v;
  bool operator==(const Val& o) const { return kind == o.kind && v == o.v; }
};

class Reference {
 public:
  explicit Reference(const Program& p) : p_(p) {}

  std::optional<int64_t> Run(int term, int tree) const {
    std::vector<int> rules = p_.terms[term].rules;
    std::stable_sort(rules.begin(), rules.end(), [&](int a, int b) {
      return p_.rules[a].priority > p_.rules[b].priority;
    });
    for (int ri : rules) {
      const Rule& r = p_.rules[ri];
      std::map<std::string, Val> env;
      if (!Match(p_.nodes[r.lhs].kids[0], Val{0, tree}, env, nullptr)) continue;
      bool ok = true;
      for (const Guard& g : r.guards) {
        std::optional<Val> v = Eval(g.expr, env);
        if (!v) {
          ok = false;
        } else if (g.is_if_let) {
          ok = Match(g.pattern, *v, env, nullptr);
        } else {
          ok = v->v != 0;  // (if (is_leaf x)): a bool
        }
        if (!ok) break;
      }
      if (!ok) continue;
      const Node& rhs = p_.nodes[r.rhs];  // (mk ID var)
      int64_t id = p_.nodes[rhs.kids[0]].value;
      return id * 100000 + env.at(p_.nodes[rhs.kids[1]].name).v;
    }
    return std::nullopt;
  }

 private:
  struct MacroEnv {
    const Macro* macro;
    std::vector<int> args;
    const MacroEnv* parent;
  };

  bool Match(int pat, Val v, std::map<std::string, Val>& env, const MacroEnv* menv) const {
    const Node& n = p_.nodes[pat];
    switch (n.kind) {
      case NodeKind::kWildcard: return true;
      case NodeKind::kVar: {
        if (menv != nullptr) {
          for (size_t i = 0; i < menv->macro->params.size(); ++i) {
            if (menv->macro->params[i] == n.name) return Match(menv->args[i], v, env, menv->parent);
          }
          ADD_FAILURE() << "unbound macro parameter " << n.name;
          return false;
        }
        auto [it, inserted] = env.emplace(n.name, v);
        return inserted || it->second == v;
      }
      case NodeKind::kInt: return v.v == n.value;
      case NodeKind::kEnum: {
        std::string variant = n.name.substr(n.name.find('.') + 1);
        int64_t op = variant == "Add" ? 0 : variant == "Sub" ? 1 : 2;
        return v.v == op;
      }
      case NodeKind::kAnd:
        for (int k : n.kids) {
          if (!Match(k, v, env, menv)) return false;
        }
        return true;
      case NodeKind::kCall: {
        const Term& t = p_.terms[p_.term_index.at(n.name)];
        if (t.macro >= 0) {
          MacroEnv inner{&p_.macros[t.macro], n.kids, menv};
          return Match(p_.macros[t.macro].body, v, env, &inner);
        }
        const TreeNode& node = g_nodes[v.v];
        if (n.name == "bin") {
          if (node.is_leaf) return false;
          return Match(n.kids[0], Val{1, static_cast<int64_t>(node.op)}, env, menv) &&
                 Match(n.kids[1], Val{0, node.a}, env, menv) &&
                 Match(n.kids[2], Val{0, node.b}, env, menv);
        }
        if (n.name == "leaf") return node.is_leaf && Match(n.kids[0], Val{2, node.value}, env, menv);
        ADD_FAILURE() << "unexpected extractor " << n.name;
        return false;
      }
      default:
        ADD_FAILURE() << "unexpected pattern node";
        return false;
    }
  }

  std::optional<Val> Eval(int expr, const std::map<std::string, Val>& env) const {
    const Node& n = p_.nodes[expr];  // (small var) or (is_leaf var)
    const TreeNode& node = g_nodes[env.at(p_.nodes[n.kids[0]].name).v];
    if (n.name == "small") {
      if (node.is_leaf && node.value < 2) return Val{2, node.value};
      return std::nullopt;
    }
    return Val{2, node.is_leaf ? 1 : 0};
  }

  const Program& p_;
};

// A random tree of depth <= `depth` over the arena; reuses earlier subtrees so that repeated
// variables (equality tests) can match.
int RandomTree(std::mt19937& rng, int depth, std::vector<int>& made) {
  if (!made.empty() && rng() % 5 == 0) return made[rng() % made.size()];
  TreeNode n;
  if (depth == 0 || rng() % 4 == 0) {
    n = TreeNode{true, Op::Add, static_cast<int64_t>(rng() % 4), -1, -1};
  } else {
    int a = RandomTree(rng, depth - 1, made);
    int b = RandomTree(rng, depth - 1, made);
    n = TreeNode{false, static_cast<Op>(rng() % 3), 0, a, b};
  }
  g_nodes.push_back(n);
  made.push_back(static_cast<int>(g_nodes.size()) - 1);
  return made.back();
}

TEST(RandomRules, GeneratedMatcherAgreesWithNaiveReference) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  std::string path = std::string(srcdir ? srcdir : ".") + "/" + (ws ? ws : "lathe") +
                     "/isel/dsl/random_rules.isel";
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  Compilation c = Compile({SourceFile{"random_rules.isel", text.str()}}, nullptr);
  ASSERT_EQ(c.formatted_diagnostics, "");
  ASSERT_GE(c.program.rules.size(), 40u);
  Reference ref(c.program);

  using Fn = std::optional<int64_t> (*)(rnd::rules::Context&, const Tree&);
  const Fn generated[kRandomTerms] = {rnd::rules::top0, rnd::rules::top1, rnd::rules::top2,
                                      rnd::rules::top3};
  Ctx ctx;
  std::mt19937 rng(7);
  int cases = 0, matched = 0;
  std::set<int64_t> rules_fired;
  for (int i = 0; i < 12000; ++i) {
    g_nodes.clear();
    std::vector<int> made;
    int root = RandomTree(rng, 1 + static_cast<int>(rng() % 4), made);
    int term = i % kRandomTerms;
    std::optional<int64_t> want = ref.Run(c.program.term_index.at(absl::StrCat("top", term)), root);
    std::optional<int64_t> got = generated[term](ctx, Tree{root});
    ++cases;
    ASSERT_EQ(got, want) << "case " << i << ", term top" << term;
    if (want) {
      ++matched;
      rules_fired.insert(*want / 100000);
    }
  }
  EXPECT_GE(cases, 10000);
  // The comparison means something only if many inputs match and many rules get to fire.
  EXPECT_GT(matched, cases / 5);
  // (Some rules are shadowed in practice by higher-priority rules with opaque guards.)
  EXPECT_GE(rules_fired.size() * 5, c.program.rules.size() * 2);
  std::printf("%d cases, %d matched, %zu of %zu rules fired\n", cases, matched, rules_fired.size(),
              c.program.rules.size());
}

}  // namespace
}  // namespace lathe::dsl
