// The decision tree shares tests: rules over one opcode at different priorities share one branch
// when the branches between them test contradicting constants, and do not when they might not.
#include <string>

#include "gtest/gtest.h"
#include "isel/dsl/compiler.h"
#include "isel/dsl/decision_tree.h"

namespace lathe::dsl {
namespace {

constexpr char kDecls[] =
    "(type V (extern \"int\"))\n(type Op (enum A B C))\n"
    "(decl op (Op) V)\n(extern extractor infallible op op)\n"
    "(decl args (V V) V)\n(extern extractor args args)\n"
    "(decl k (i64) V)\n(extern extractor k k)\n"
    "(decl lower (V) u8)\n";

// How many tree nodes perform an enum comparison against variant `variant` on the top opcode.
int CountEnumTests(const std::string& rules, int variant) {
  Compilation c = Compile({SourceFile{"t.isel", std::string(kDecls) + rules}}, nullptr);
  EXPECT_EQ(c.formatted_diagnostics, "");
  if (c.matchers.size() != 1) return -1;
  const TermMatcher& m = c.matchers[0];
  DecisionTree tree = BuildDecisionTree(m, false);
  int count = 0;
  for (const TreeNode& n : tree.nodes) {
    if (n.step < 0) continue;
    const Step& s = m.steps[n.step];
    if (s.kind == StepKind::kEqEnum && s.input == 1 && s.value == variant) ++count;
  }
  return count;
}

TEST(DecisionTree, OneBranchPerOpcodeAcrossPriorities) {
  std::string rules;
  for (const char* op : {"A", "B", "C"}) {
    rules += std::string("(rule (lower (and (op Op.") + op + ") (args x y))) 1)\n";
    rules += std::string("(rule 1 (lower (and (op Op.") + op + ") (args x (k 0)))) 2)\n";
    rules += std::string("(rule 2 (lower (and (op Op.") + op + ") (args (k 0) x))) 3)\n";
  }
  EXPECT_EQ(CountEnumTests(rules, 0), 1);
  EXPECT_EQ(CountEnumTests(rules, 1), 1);
  EXPECT_EQ(CountEnumTests(rules, 2), 1);
}

TEST(DecisionTree, DoesNotJumpOverARuleThatMightMatch) {
  // The priority-1 catch-all over `args` sits between the two Op.A rules, and might match the
  // same input as the priority-0 rule, so the latter may not join the first Op.A branch.
  std::string rules =
      "(rule 2 (lower (and (op Op.A) (args x (k 1)))) 1)\n"
      "(rule 1 (lower (args (k 2) y)) 2)\n"
      "(rule 0 (lower (and (op Op.A) (args x y))) 3)\n";
  EXPECT_EQ(CountEnumTests(rules, 0), 2);
}

}  // namespace
}  // namespace lathe::dsl
