// Truncated, mutated and pathologically nested rules files never crash or hang the compiler,
// and every diagnostic it prints carries a real location.
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "isel/dsl/compiler.h"

namespace lathe::dsl {
namespace {

std::string ReadTestdata(const std::string& name) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  std::string path = std::string(srcdir ? srcdir : ".") + "/" + (ws ? ws : "lathe") +
                     "/isel/dsl/testdata/" + name;
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compiles `text` with code generation and checks the invariants every input must satisfy.
void CompileAndCheck(const std::string& text, const std::string& what) {
  CodegenOptions options;
  options.header_path = "out.h";
  Compilation c = Compile({SourceFile{"in.isel", text}}, &options);
  if (c.diagnostics.empty()) {
    EXPECT_FALSE(c.code.header.empty()) << what;
    return;
  }
  EXPECT_TRUE(c.code.header.empty()) << what;
  for (const Diagnostic& d : c.diagnostics) {
    ASSERT_EQ(d.loc.file, 0) << what;
    ASSERT_GE(d.loc.line, 1) << what << ": " << d.message;
    ASSERT_GE(d.loc.col, 1) << what << ": " << d.message;
    ASSERT_FALSE(d.message.empty()) << what;
  }
}

class Corpus : public ::testing::TestWithParam<const char*> {};

TEST_P(Corpus, OriginalIsClean) {
  std::string text = ReadTestdata(GetParam());
  ASSERT_GT(text.size(), 500u);
  Compilation c = Compile({SourceFile{"in.isel", text}}, nullptr);
  EXPECT_EQ(c.formatted_diagnostics, "");
}

TEST_P(Corpus, EveryTruncationIsHandled) {
  std::string text = ReadTestdata(GetParam());
  ASSERT_GT(text.size(), 500u);
  int rejected = 0;
  for (size_t n = 0; n < text.size(); ++n) {
    CompileAndCheck(text.substr(0, n), "prefix of " + std::to_string(n) + " bytes");
    rejected += !Compile({SourceFile{"in.isel", text.substr(0, n)}}, nullptr).diagnostics.empty();
  }
  EXPECT_GT(rejected, 0);  // cutting a form in half must be diagnosed somewhere
}

TEST_P(Corpus, RandomMutationsAreHandled) {
  std::string text = ReadTestdata(GetParam());
  ASSERT_GT(text.size(), 500u);
  std::mt19937 rng(12345);
  const std::string alphabet = "()_$.-\"; \n0123456789abcxyzAB\x01\xff";
  for (int iter = 0; iter < 1500; ++iter) {
    std::string m = text;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !m.empty(); ++e) {
      size_t pos = rng() % m.size();
      switch (rng() % 4) {
        case 0: m[pos] = alphabet[rng() % alphabet.size()]; break;
        case 1: m.erase(pos, 1 + rng() % 8); break;
        case 2: m.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
        case 3: {  // duplicate a span elsewhere: repeats declarations and rules
          size_t len = std::min<size_t>(m.size() - pos, 1 + rng() % 60);
          std::string span = m.substr(pos, len);
          m.insert(rng() % m.size(), span);
          break;
        }
      }
    }
    CompileAndCheck(m, "mutation " + std::to_string(iter));
  }
}

INSTANTIATE_TEST_SUITE_P(Testdata, Corpus,
                         ::testing::Values("toy_lowering.isel", "features.isel"));

constexpr char kDecls[] =
    "(type V (extern \"int\"))\n"
    "(decl f (V) V)\n(extern extractor f f)\n(extern constructor f g)\n"
    "(decl lower (V) V)\n";

TEST(Robustness, DeeplyNestedPatternIsRejectedWithoutRecursion) {
  std::string pat(100000, '(');
  std::string text = kDecls;
  text += "(rule (lower ";
  for (int i = 0; i < 100000; ++i) text += "(f ";
  text += "x";
  text += std::string(100000, ')');
  text += ") x)\n";
  Compilation c = Compile({SourceFile{"in.isel", text}}, nullptr);
  ASSERT_EQ(c.diagnostics.size(), 1u);
  EXPECT_NE(c.diagnostics[0].message.find("too many steps"), std::string::npos)
      << c.diagnostics[0].message;
}

TEST(Robustness, DeeplyNestedExpressionCompiles) {
  std::string text = kDecls;
  text += "(rule (lower x) ";
  for (int i = 0; i < 100000; ++i) text += "(f ";
  text += "x";
  text += std::string(100000, ')');
  text += ")\n";
  CodegenOptions options;
  options.header_path = "out.h";
  Compilation c = Compile({SourceFile{"in.isel", text}}, &options);
  EXPECT_EQ(c.formatted_diagnostics, "");
  EXPECT_GT(c.code.source.size(), 100000u);
}

TEST(Robustness, ManyCopiesOfOneRuleGiveOneDiagnosticEach) {
  std::string text = kDecls;
  for (int i = 0; i < 5000; ++i) text += "(rule (lower (f x)) x)\n";
  Compilation c = Compile({SourceFile{"in.isel", text}}, nullptr);
  ASSERT_EQ(c.diagnostics.size(), 4999u);
  EXPECT_EQ(c.diagnostics[0].loc.line, 7);
  EXPECT_NE(c.diagnostics[0].message.find("overlaps the rule at in.isel:6:1"), std::string::npos)
      << c.diagnostics[0].message;
}

TEST(Robustness, OverlapCheckDoesNotExplodeOnManyIndependentTests) {
  // 40 extractors, each tested with two values by two rules: splitting on each binding in turn
  // while copying the untested rules into every sub-part would make 2^40 parts.
  std::string text = "(type V (extern \"int\"))\n(decl lower (V) V)\n";
  for (int i = 0; i < 40; ++i) {
    std::string f = "f" + std::to_string(i);
    text += "(decl " + f + " (i64) V)\n(extern extractor " + f + " " + f + ")\n";
    text += "(rule (lower (and x (" + f + " 1))) x)\n(rule (lower (and x (" + f + " 2))) x)\n";
  }
  Compilation c = Compile({SourceFile{"in.isel", text}}, nullptr);
  // Rules over different extractors may overlap (extern extractors are opaque); the two rules
  // over one extractor never do. Each rule is reported once, against an earlier rule it overlaps:
  // all but the first two (which only have each other before them, and are disjoint).
  EXPECT_EQ(c.diagnostics.size(), 78u);
}

TEST(Robustness, UnbalancedParenthesesOnly) {
  CompileAndCheck(std::string(50000, '('), "open parens");
  CompileAndCheck(std::string(50000, ')'), "close parens");
  CompileAndCheck(std::string("\0(", 2), "NUL byte");
}

}  // namespace
}  // namespace lathe::dsl
