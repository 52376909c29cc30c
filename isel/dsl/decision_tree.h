// The decision tree (a trie of match steps) that generated matchers walk.
// Rules are ordered by descending priority (ties: rules with equal steps side by side, which the
// overlap check makes safe), then inserted as paths of steps; children are tried in order, which
// preserves first-match-by-priority. A rule joins an existing child performing its next step when
// that child is the last one, or when every later sibling tests a constant the rule contradicts
// (so their rules and this one never match the same input). Rules over one opcode therefore share
// one branch across priorities, and each shared test runs once on a path.
#ifndef LATHE_ISEL_DSL_DECISION_TREE_H_
#define LATHE_ISEL_DSL_DECISION_TREE_H_

#include <vector>

#include "isel/dsl/matcher.h"

namespace lathe::dsl {

struct TreeNode {
  int step = -1;  // the step this node performs (-1 for the root and for leaves)
  int rule = -1;  // leaves: index into TermMatcher::rules whose result is produced here
  std::vector<int> kids;
};

struct DecisionTree {
  std::vector<TreeNode> nodes;  // nodes[0] is the root
};

// `keep_source_order_within_priority` is for multi terms, whose results come out in rule order.
DecisionTree BuildDecisionTree(const TermMatcher& m, bool keep_source_order_within_priority);

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_DECISION_TREE_H_
