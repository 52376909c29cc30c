// random_rules_gen SEED OUT: writes a random rules file for the differential test. Each of the
// terms top0..top3 gets random rules (nested extractors, and-patterns, repeated variables,
// literals, enum constants, an extractor macro, if-let and if guards, random priorities).
// Candidates the compiler rejects (overlap, shadowing) are dropped, so the file is clean.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "isel/dsl/compiler.h"
#include "isel/dsl/random_rules_prelude.h"

namespace {

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}

  std::string Rule(int term, int id) {
    tree_vars_ = {"r"};
    op_vars_.clear();
    int_vars_.clear();
    next_var_ = 0;
    std::string pat = TreePat(1 + Pick(3));
    std::string guards;
    if (Chance(30)) absl::StrAppend(&guards, " (if-let ", IntPat(), " (small ", AnyTreeVar(), "))");
    if (Chance(20)) absl::StrAppend(&guards, " (if (is_leaf ", AnyTreeVar(), "))");
    return absl::StrCat("(rule ", Pick(8), " (top", term, " (and r ", pat, "))", guards, " (mk ",
                        id, " ", AnyTreeVar(), "))\n");
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  bool Chance(int percent) { return Pick(100) < percent; }
  std::string NewVar(std::vector<std::string>& vars) {
    std::string v = absl::StrCat("v", next_var_++);
    vars.push_back(v);
    return v;
  }
  std::string AnyTreeVar() { return tree_vars_[Pick(static_cast<int>(tree_vars_.size()))]; }

  std::string TreePat(int depth) {
    int r = Pick(depth == 0 ? 3 : 9);
    switch (r) {
      case 0: return "_";
      case 1: return NewVar(tree_vars_);
      case 2: return tree_vars_.size() > 1 && Chance(50) ? AnyTreeVar() : NewVar(tree_vars_);
      case 3:
      case 4: return absl::StrCat("(bin ", OpPat(), " ", TreePat(depth - 1), " ", TreePat(depth - 1), ")");
      case 5: return absl::StrCat("(leaf ", IntPat(), ")");
      case 6: return absl::StrCat("(add ", TreePat(depth - 1), " ", TreePat(depth - 1), ")");
      case 7: {
        std::string v = NewVar(tree_vars_);
        return absl::StrCat("(and ", v, " ", TreePat(depth - 1), ")");
      }
      default: return absl::StrCat("(bin _ ", TreePat(depth - 1), " ", TreePat(depth - 1), ")");
    }
  }
  std::string OpPat() {
    static const char* kOps[] = {"Op.Add", "Op.Sub", "Op.Mul"};
    switch (Pick(5)) {
      case 0: return "_";
      case 1: return !op_vars_.empty() ? op_vars_[0] : NewVar(op_vars_);
      default: return kOps[Pick(3)];
    }
  }
  std::string IntPat() {
    switch (Pick(5)) {
      case 0: return "_";
      case 1: return !int_vars_.empty() ? int_vars_[0] : NewVar(int_vars_);
      default: return absl::StrCat(Pick(4));
    }
  }

  std::mt19937 rng_;
  std::vector<std::string> tree_vars_, op_vars_, int_vars_;
  int next_var_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: random_rules_gen SEED OUT\n");
    return 2;
  }
  Gen gen(static_cast<uint32_t>(std::strtoul(argv[1], nullptr, 10)));
  std::string accepted;
  int id = 1;
  for (int term = 0; term < lathe::dsl::kRandomTerms; ++term) {
    int kept = 0;
    for (int attempt = 0; attempt < 800 && kept < 30; ++attempt) {
      std::string rule = gen.Rule(term, id);
      std::string text = std::string(lathe::dsl::kRandomRulesPrelude) + accepted + rule;
      lathe::dsl::Compilation c = lathe::dsl::Compile({{"random.isel", text}}, nullptr);
      if (!c.diagnostics.empty()) continue;
      accepted += rule;
      ++kept;
      ++id;
    }
  }
  absl::Status s = lathe::dsl::WriteTextFile(
      argv[2], std::string(lathe::dsl::kRandomRulesPrelude) + accepted);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 1;
  }
  return 0;
}
