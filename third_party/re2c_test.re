// Proves that the re2c_cc rule works: a tiny re2c lexer for S-expressions, driven by a test.
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace {

enum class Tok { kLParen, kRParen, kInt, kIdent, kEnd, kError };

struct Token {
  Tok kind;
  std::string text;
};

std::vector<Token> Lex(const std::string& input) {
  std::vector<Token> out;
  const char* cursor = input.c_str();  // NUL-terminated: re2c's sentinel.
  const char* marker = nullptr;
  (void)marker;
  for (;;) {
    const char* start = cursor;
    /*!re2c
      re2c:define:YYCTYPE = char;
      re2c:define:YYCURSOR = cursor;
      re2c:define:YYMARKER = marker;
      re2c:yyfill:enable = 0;

      [ \t\n]+                 { continue; }
      "("                      { out.push_back({Tok::kLParen, "("}); continue; }
      ")"                      { out.push_back({Tok::kRParen, ")"}); continue; }
      "-"? [0-9]+              { out.push_back({Tok::kInt, std::string(start, cursor)}); continue; }
      [a-zA-Z_][a-zA-Z0-9_.]*  { out.push_back({Tok::kIdent, std::string(start, cursor)}); continue; }
      "\x00"                   { out.push_back({Tok::kEnd, ""}); return out; }
      *                        { out.push_back({Tok::kError, std::string(start, cursor)}); return out; }
    */
  }
}

TEST(Re2c, TokenizesSExpression) {
  std::vector<Token> toks = Lex("(rule (iadd x -12) v3.i32)");
  std::vector<Tok> kinds;
  std::vector<std::string> texts;
  for (const Token& t : toks) {
    kinds.push_back(t.kind);
    texts.push_back(t.text);
  }
  EXPECT_EQ(kinds, (std::vector<Tok>{Tok::kLParen, Tok::kIdent, Tok::kLParen, Tok::kIdent,
                                     Tok::kIdent, Tok::kInt, Tok::kRParen, Tok::kIdent,
                                     Tok::kRParen, Tok::kEnd}));
  EXPECT_EQ(texts[5], "-12");
  EXPECT_EQ(texts[7], "v3.i32");
}

TEST(Re2c, ReportsBadCharacter) {
  std::vector<Token> toks = Lex("(a $)");
  ASSERT_FALSE(toks.empty());
  EXPECT_EQ(toks.back().kind, Tok::kError);
  EXPECT_EQ(toks.back().text, "$");
}

}  // namespace
