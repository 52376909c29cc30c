// The declarations every randomly generated rules file starts with (random_rules_gen.cc), shared
// with the differential test that interprets those files (random_rules_test.cc).
#ifndef LATHE_ISEL_DSL_RANDOM_RULES_PRELUDE_H_
#define LATHE_ISEL_DSL_RANDOM_RULES_PRELUDE_H_

namespace lathe::dsl {

inline constexpr int kRandomTerms = 4;  // terms top0 .. top3, each with its own rule set

inline constexpr char kRandomRulesPrelude[] =
    "(type Tree (extern \"rnd::Tree\"))\n"
    "(type Op (enum Add Sub Mul))\n"
    "(decl bin (Op Tree Tree) Tree)\n"
    "(extern extractor bin match_bin)\n"
    "(decl leaf (i64) Tree)\n"
    "(extern extractor leaf match_leaf)\n"
    "(decl add (Tree Tree) Tree)\n"
    "(extractor (add a b) (bin Op.Add a b))\n"
    "(decl pure partial small (Tree) i64)\n"
    "(extern constructor small small_value)\n"
    "(decl pure is_leaf (Tree) bool)\n"
    "(extern constructor is_leaf is_leaf)\n"
    "(decl mk (u32 Tree) i64)\n"
    "(extern constructor mk make_result)\n"
    "(decl partial top0 (Tree) i64)\n"
    "(decl partial top1 (Tree) i64)\n"
    "(decl partial top2 (Tree) i64)\n"
    "(decl partial top3 (Tree) i64)\n";

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_RANDOM_RULES_PRELUDE_H_
