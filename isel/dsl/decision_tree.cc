#include "isel/dsl/decision_tree.h"

#include <algorithm>
#include <numeric>

#include "absl/container/flat_hash_map.h"

namespace lathe::dsl {

DecisionTree BuildDecisionTree(const TermMatcher& m, bool keep_source_order_within_priority) {
  std::vector<int> order(m.rules.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    const LoweredRule& ra = m.rules[a];
    const LoweredRule& rb = m.rules[b];
    if (ra.priority != rb.priority) return ra.priority > rb.priority;
    if (keep_source_order_within_priority) return false;
    return ra.steps < rb.steps;
  });
  DecisionTree tree;
  tree.nodes.emplace_back();
  auto is_constant_test = [&](int step) {
    StepKind k = m.steps[step].kind;
    return k == StepKind::kEqInt || k == StepKind::kEqEnum;
  };
  for (int r : order) {
    // The rule's constant tests, to recognize sibling subtrees it cannot share inputs with.
    absl::flat_hash_map<int, int64_t> tests;
    for (int step : m.rules[r].steps) {
      if (is_constant_test(step)) tests[m.steps[step].input] = m.steps[step].value;
    }
    // True if no input that reaches `node`'s subtree can match rule r.
    auto disjoint = [&](int node) {
      int step = tree.nodes[node].step;
      if (step < 0 || !is_constant_test(step)) return false;
      auto it = tests.find(m.steps[step].input);
      return it != tests.end() && it->second != m.steps[step].value;
    };
    int cur = 0;
    for (int step : m.rules[r].steps) {
      // Join an existing child that performs `step`. A child other than the last may be joined
      // only if every later sibling is disjoint from r: then trying r before their rules (which
      // have higher or equal priority) cannot change which rule matches first.
      const std::vector<int>& kids = tree.nodes[cur].kids;
      int join = -1;
      for (size_t k = kids.size(); k-- > 0;) {
        if (tree.nodes[kids[k]].step == step) {
          join = kids[k];
          break;
        }
        if (!disjoint(kids[k])) break;
      }
      if (join >= 0) {
        cur = join;
        continue;
      }
      int node = static_cast<int>(tree.nodes.size());
      tree.nodes.push_back(TreeNode{step, -1, {}});
      tree.nodes[cur].kids.push_back(node);
      cur = node;
    }
    int leaf = static_cast<int>(tree.nodes.size());
    tree.nodes.push_back(TreeNode{-1, r, {}});
    tree.nodes[cur].kids.push_back(leaf);
  }
  return tree;
}

}  // namespace lathe::dsl
