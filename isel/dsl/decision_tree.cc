#include "isel/dsl/decision_tree.h"

#include <algorithm>
#include <numeric>

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
  for (int r : order) {
    int cur = 0;
    for (int step : m.rules[r].steps) {
      const std::vector<int>& kids = tree.nodes[cur].kids;
      if (!kids.empty() && tree.nodes[kids.back()].step == step) {
        cur = kids.back();
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
