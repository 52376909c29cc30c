// The re2c lexer: token kinds, values, locations, comments and strings, and its error messages.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "isel/dsl/lexer.h"

namespace lathe::dsl {
namespace {

struct Lexed {
  std::vector<Token> tokens;
  std::string diagnostics;
};

Lexed LexText(const std::string& text) {
  static std::vector<SourceFile> files;
  files = {SourceFile{"l.isel", text}};
  Diagnostics diags(&files);
  Lexed out;
  out.tokens = Lex(files[0], 0, diags);
  out.diagnostics = diags.Format();
  return out;
}

TEST(Lexer, TokensWithLocations) {
  Lexed l = LexText("(rule 1 ; comment (ignored)\n  (if-let $k Op.Add) \"c++ type\" -0x10)");
  ASSERT_EQ(l.diagnostics, "");
  std::vector<TokenKind> kinds;
  for (const Token& t : l.tokens) kinds.push_back(t.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{TokenKind::kLParen, TokenKind::kIdent, TokenKind::kInt,
                                           TokenKind::kLParen, TokenKind::kIdent, TokenKind::kIdent,
                                           TokenKind::kIdent, TokenKind::kRParen, TokenKind::kString,
                                           TokenKind::kInt, TokenKind::kRParen, TokenKind::kEnd}));
  EXPECT_EQ(l.tokens[4].text, "if-let");
  EXPECT_EQ(l.tokens[4].loc.line, 2);
  EXPECT_EQ(l.tokens[4].loc.col, 4);
  EXPECT_EQ(l.tokens[5].text, "$k");
  EXPECT_EQ(l.tokens[6].text, "Op.Add");
  EXPECT_EQ(l.tokens[8].text, "c++ type");
  EXPECT_EQ(l.tokens[8].loc.col, 22);
  EXPECT_EQ(l.tokens[9].value, -16);
  EXPECT_EQ(l.tokens[2].value, 1);
}

TEST(Lexer, IntegerLimits) {
  Lexed l = LexText("9223372036854775807 -9223372036854775808 0xffffffffffffffff");
  ASSERT_EQ(l.diagnostics, "");
  EXPECT_EQ(l.tokens[0].value, INT64_MAX);
  EXPECT_EQ(l.tokens[1].value, INT64_MIN);
  EXPECT_EQ(l.tokens[2].value, -1);
  EXPECT_EQ(LexText("\n 9223372036854775808").diagnostics,
            "l.isel:2:2: integer literal '9223372036854775808' does not fit in 64 bits\n");
}

TEST(Lexer, UnterminatedString) {
  EXPECT_EQ(LexText("(type T (extern \"abc\n").diagnostics,
            "l.isel:1:17: unterminated string: expected '\"' before the end of the line\n");
}

TEST(Lexer, NulByte) {
  EXPECT_EQ(LexText(std::string("(a\0b)", 5)).diagnostics,
            "l.isel:1:3: unexpected NUL byte in rules file\n");
}

TEST(Lexer, EndTokenAlwaysLast) {
  for (const char* text : {"", "(", "#", "\"", "; only a comment"}) {
    Lexed l = LexText(text);
    ASSERT_FALSE(l.tokens.empty());
    EXPECT_EQ(l.tokens.back().kind, TokenKind::kEnd) << text;
  }
}

}  // namespace
}  // namespace lathe::dsl
