// Golden test of testdata/features.isel: generated code for every language feature, linked with
// a test context, produces the results the rules specify.
#include <optional>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "isel/dsl/features_rules.h"

namespace {

using features::Pair;
using features::rules::Color;

class Ctx : public features::rules::Context {
 public:
  void pair_parts(const Pair& p, int64_t* a, int64_t* b) override {
    *a = p.first;
    *b = p.second;
  }
  Pair make_pair(int64_t a, int64_t b) override { return Pair{a, b}; }
  int64_t add(int64_t a, int64_t b) override { return a + b; }
  int64_t div2(int64_t a) override { return a / 2; }
  bool is_even(int64_t a) override {
    ++is_even_calls;
    return a % 2 == 0;
  }
  void divisors_of(int64_t n, std::vector<std::tuple<int64_t>>* out) override {
    for (int64_t d = 1; d <= n; ++d) {
      if (n % d == 0) out->emplace_back(d);
    }
  }
  int is_even_calls = 0;
};

TEST(Features, FirstMatchByPriority) {
  Ctx c;
  EXPECT_EQ(features::rules::classify(c, Pair{42, 42}), Color::Red);    // prio 3 beats prio 2
  EXPECT_EQ(features::rules::classify(c, Pair{42, 1}), Color::Green);   // extern constant
  EXPECT_EQ(features::rules::classify(c, Pair{0, 4}), Color::Blue);     // literal + if
  EXPECT_EQ(features::rules::classify(c, Pair{0, 3}), Color::Green);    // if fails: fallback
  EXPECT_EQ(features::rules::classify(c, Pair{5, 6}), Color::Green);
}

TEST(Features, GuardsRunOnlyWhenThePatternMatched) {
  Ctx c;
  features::rules::classify(c, Pair{7, 7});
  features::rules::classify(c, Pair{5, 6});
  EXPECT_EQ(c.is_even_calls, 0);
  features::rules::classify(c, Pair{0, 6});
  EXPECT_EQ(c.is_even_calls, 1);
}

TEST(Features, PartialTermInIfLetAndLetBindings) {
  Ctx c;
  EXPECT_EQ(features::rules::half(c, 10), std::optional<int64_t>(5));
  EXPECT_EQ(features::rules::half(c, 3), std::nullopt);
  EXPECT_EQ(features::rules::sum_halves(c, Pair{4, 6}), 5);   // 2 + 3
  EXPECT_EQ(features::rules::sum_halves(c, Pair{3, 6}), 8);   // let: s = 4, t = 8
  EXPECT_EQ(features::rules::sum_halves(c, Pair{4, 7}), 10);  // second if-let fails
}

TEST(Features, ImplicitConversionThroughInternalConstructor) {
  Ctx c;
  Pair p = features::rules::pair_of(c, 9);
  EXPECT_EQ(p.first, 9);
  EXPECT_EQ(p.second, 9);
}

TEST(Features, EnumAndBoolPatterns) {
  Ctx c;
  EXPECT_EQ(features::rules::color_code(c, Color::Red), 1);
  EXPECT_EQ(features::rules::color_code(c, Color::Green), 2);
  EXPECT_EQ(features::rules::color_code(c, Color::Blue), 255);
  EXPECT_EQ(features::rules::parity_name(c, true), 1);
  EXPECT_EQ(features::rules::parity_name(c, false), 0);
}

TEST(Features, MultiTermCollectsEveryMatch) {
  Ctx c;
  std::vector<int64_t> out;
  features::rules::shifted_divisors(c, 6, &out);
  EXPECT_EQ(out, (std::vector<int64_t>{101, 102, 103, 106, 6}));
}

TEST(Features, InternalExtractorMacro) {
  Ctx c;
  EXPECT_EQ(features::rules::second_if_zero_first(c, Pair{0, 17}), 17);
  EXPECT_EQ(features::rules::second_if_zero_first(c, Pair{1, 17}), -1);
}

}  // namespace
