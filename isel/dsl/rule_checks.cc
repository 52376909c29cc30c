#include "isel/dsl/rule_checks.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"

namespace lathe::dsl {
namespace {

// A rule's constant tests: binding -> (is enum, value).
using Tests = absl::flat_hash_map<int, std::pair<bool, int64_t>>;

Tests ConstantTests(const TermMatcher& m, const LoweredRule& r) {
  Tests tests;
  for (int s : r.steps) {
    const Step& step = m.steps[s];
    if (step.kind == StepKind::kEqInt || step.kind == StepKind::kEqEnum) {
      tests[step.input] = {step.kind == StepKind::kEqEnum, step.value};
    }
  }
  return tests;
}

// True if some binding is compared with different constants by the two rules.
bool Conflict(const Tests& a, const Tests& b) {
  const Tests& small = a.size() <= b.size() ? a : b;
  const Tests& large = a.size() <= b.size() ? b : a;
  for (const auto& [binding, value] : small) {
    auto it = large.find(binding);
    if (it != large.end() && it->second != value) return true;
  }
  return false;
}

// Finds rules of `group` that another rule of the group cannot be told apart from by a constant
// test. Returns (a, b) pairs with a < b, each rule b at most once.
//
// Works on parts of the group with an explicit worklist: a part is split on the binding most of
// its rules test; rules testing it go to one sub-part per value (rules in different sub-parts are
// disjoint), rules not testing it form their own sub-part and are compared pairwise with the rest.
// Every pair of rules is thus examined at most once: no exponential splitting, O(n^2) at worst and
// near-linear when rules differ in a shared opcode-like test.
std::vector<std::pair<int, int>> OverlappingPairs(const std::vector<Tests>& tests,
                                                  const std::vector<int>& group) {
  struct Part {
    std::vector<int> rules;
    absl::flat_hash_set<int> split;  // bindings every rule of the part tests with the same value
  };
  absl::flat_hash_set<int> reported;
  std::vector<std::pair<int, int>> out;
  auto report = [&](int a, int b) {
    if (a > b) std::swap(a, b);
    if (reported.insert(b).second) out.push_back({a, b});
  };
  std::vector<Part> work;
  work.push_back(Part{group, {}});
  while (!work.empty()) {
    Part part = std::move(work.back());
    work.pop_back();
    if (part.rules.size() < 2) continue;
    absl::flat_hash_map<int, int> count;
    for (int r : part.rules) {
      for (const auto& [b, v] : tests[r]) {
        if (!part.split.contains(b)) ++count[b];
      }
    }
    int best = -1, best_count = 0;
    for (const auto& [b, c] : count) {
      if (c > best_count || (c == best_count && b < best)) best = b, best_count = c;
    }
    if (best < 0) {
      // No test left to tell these rules apart: every pair overlaps. Report each rule once.
      for (size_t j = 1; j < part.rules.size(); ++j) report(part.rules[0], part.rules[j]);
      continue;
    }
    std::map<std::pair<bool, int64_t>, std::vector<int>> by_value;
    std::vector<int> untested;
    for (int r : part.rules) {
      auto it = tests[r].find(best);
      if (it == tests[r].end()) {
        untested.push_back(r);
      } else {
        by_value[it->second].push_back(r);
      }
    }
    for (int u : untested) {
      for (const auto& [value, rules] : by_value) {
        for (int t : rules) {
          if (!Conflict(tests[u], tests[t])) report(u, t);
        }
      }
    }
    absl::flat_hash_set<int> split = part.split;
    split.insert(best);
    for (auto& [value, rules] : by_value) work.push_back(Part{std::move(rules), split});
    work.push_back(Part{std::move(untested), part.split});
  }
  std::sort(out.begin(), out.end());
  return out;
}

void CheckTerm(const Program& p, const TermMatcher& m, Diagnostics& d) {
  const Term& term = p.terms[m.term];
  if (term.multi) return;
  const size_t n = m.rules.size();
  std::vector<Tests> tests;
  for (const LoweredRule& r : m.rules) tests.push_back(ConstantTests(m, r));

  // Overlap, per priority.
  std::map<int64_t, std::vector<int>> by_priority;
  for (size_t i = 0; i < n; ++i) by_priority[m.rules[i].priority].push_back(static_cast<int>(i));
  for (const auto& [prio, group] : by_priority) {
    for (auto [a, b] : OverlappingPairs(tests, group)) {
      const Rule& ra = p.rules[m.rules[a].rule];
      const Rule& rb = p.rules[m.rules[b].rule];
      d.Error(rb.loc, absl::StrCat("rule overlaps the rule at ", d.Where(ra.loc),
                                   ": both have priority ", prio, " for term '", term.name,
                                   "' and can match the same input; give one a different "
                                   "priority or make their patterns disjoint"));
    }
  }

  // Shadowing: rule a (higher priority) shadows rule b if a's steps are a subset of b's.
  // Each rule is indexed under its rarest step; b then only looks at rules indexed under one of
  // its own steps (plus rules with no steps at all, which match everything).
  absl::flat_hash_map<int, int> frequency;
  for (const LoweredRule& r : m.rules) {
    for (int s : r.steps) ++frequency[s];
  }
  absl::flat_hash_map<int, std::vector<int>> by_rarest;
  std::vector<int> catch_all;
  std::vector<absl::flat_hash_set<int>> step_sets(n);
  for (size_t i = 0; i < n; ++i) {
    const LoweredRule& r = m.rules[i];
    step_sets[i].insert(r.steps.begin(), r.steps.end());
    if (r.steps.empty()) {
      catch_all.push_back(static_cast<int>(i));
      continue;
    }
    int rarest = *std::min_element(r.steps.begin(), r.steps.end(), [&](int x, int y) {
      return frequency[x] < frequency[y] || (frequency[x] == frequency[y] && x < y);
    });
    by_rarest[rarest].push_back(static_cast<int>(i));
  }
  // Highest priority first, so a scan stops at the first candidate that is not higher than b.
  auto by_priority_desc = [&](int x, int y) { return m.rules[x].priority > m.rules[y].priority; };
  std::stable_sort(catch_all.begin(), catch_all.end(), by_priority_desc);
  for (auto& [step, rules] : by_rarest) std::stable_sort(rules.begin(), rules.end(), by_priority_desc);
  for (size_t b = 0; b < n; ++b) {
    const LoweredRule& rb = m.rules[b];
    int shadow = -1;
    auto scan = [&](const std::vector<int>& candidates) {
      for (int a : candidates) {
        if (shadow >= 0 || m.rules[a].priority <= rb.priority) return;
        bool subset = true;
        for (int s : m.rules[a].steps) {
          if (!step_sets[b].contains(s)) {
            subset = false;
            break;
          }
        }
        if (subset) shadow = a;
      }
    };
    scan(catch_all);
    for (int s : rb.steps) {
      auto it = by_rarest.find(s);
      if (it != by_rarest.end()) scan(it->second);
    }
    if (shadow >= 0) {
      d.Error(p.rules[rb.rule].loc,
              absl::StrCat("rule can never fire: the rule at ", d.Where(p.rules[m.rules[shadow].rule].loc),
                           " has higher priority (", m.rules[shadow].priority, " > ", rb.priority,
                           ") and matches every input this rule matches"));
    }
  }
}

}  // namespace

void CheckRules(const Program& program, const std::vector<TermMatcher>& matchers,
                Diagnostics& diags) {
  for (const TermMatcher& m : matchers) CheckTerm(program, m, diags);
}

}  // namespace lathe::dsl
