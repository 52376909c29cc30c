// The CLIF lexer, compiled by re2c into lexer.cc (see ir/BUILD).
#include <string>

#include "ir/lexer.h"

namespace lathe::ir {

std::vector<Token> Lex(std::string_view text) {
  // re2c needs a sentinel; copy into a NUL-terminated buffer and map offsets back.
  std::string buf(text);
  const char* base = buf.c_str();
  const char* end = base + buf.size();
  const char* cursor = base;
  const char* marker = base;
  const char* line_start = base;
  uint32_t line = 1;
  std::vector<Token> out;
  out.reserve(text.size() / 16 + 16);  // a rough guess; the corpus is comment-heavy
  auto emit = [&](Tok kind, const char* start) {
    out.push_back(Token{kind, text.substr(static_cast<size_t>(start - base),
                                          static_cast<size_t>(cursor - start)),
                        line, static_cast<uint32_t>(start - line_start) + 1});
  };
  for (;;) {
    const char* start = cursor;
    /*!re2c
      re2c:define:YYCTYPE = "unsigned char";
      re2c:define:YYCURSOR = cursor;
      re2c:define:YYMARKER = marker;
      re2c:yyfill:enable = 0;
      re2c:flags:input = custom;
      re2c:api:style = free-form;
      re2c:define:YYPEEK = "static_cast<unsigned char>(*cursor)";
      re2c:define:YYSKIP = "++cursor;";
      re2c:define:YYBACKUP = "marker = cursor;";
      re2c:define:YYRESTORE = "cursor = marker;";

      hex = [0-9a-fA-F];
      [ \t\r]+                     { continue; }
      "\n"                         { ++line; line_start = cursor; continue; }
      ";" [^\n\x00]*               { emit(Tok::kComment, start); continue; }
      [-+]? ("NaN" | "sNaN") (":0x" [0-9a-fA-F_]+)?  { emit(Tok::kNumber, start); continue; }
      [-+]? "Inf"                  { emit(Tok::kNumber, start); continue; }
      [-+]? [0-9] ([0-9a-zA-Z_.] | [pP][-+])*  { emit(Tok::kNumber, start); continue; }
      [a-zA-Z_] [a-zA-Z0-9_.]*     { emit(Tok::kIdent, start); continue; }
      "%" [a-zA-Z0-9_.]*           { emit(Tok::kName, start); continue; }
      "@" hex+                     { emit(Tok::kSrcLoc, start); continue; }
      "\"" [^"\n\x00]* "\""        { emit(Tok::kString, start); continue; }
      "->"                         { emit(Tok::kArrow, start); continue; }
      "("                          { emit(Tok::kLParen, start); continue; }
      ")"                          { emit(Tok::kRParen, start); continue; }
      "["                          { emit(Tok::kLBracket, start); continue; }
      "]"                          { emit(Tok::kRBracket, start); continue; }
      "{"                          { emit(Tok::kLBrace, start); continue; }
      "}"                          { emit(Tok::kRBrace, start); continue; }
      ","                          { emit(Tok::kComma, start); continue; }
      ":"                          { emit(Tok::kColon, start); continue; }
      "="                          { emit(Tok::kEqual, start); continue; }
      "<"                          { emit(Tok::kLess, start); continue; }
      ">"                          { emit(Tok::kGreater, start); continue; }
      "*"                          { emit(Tok::kStar, start); continue; }
      "+"                          { emit(Tok::kPlus, start); continue; }
      "-"                          { emit(Tok::kMinus, start); continue; }
      "@"                          { emit(Tok::kAt, start); continue; }
      "\x00" {
        if (cursor - 1 < end) { emit(Tok::kError, start); continue; }
        cursor = end;
        emit(Tok::kEof, end);
        return out;
      }
      *                            { emit(Tok::kError, start); continue; }
    */
  }
}

const char* TokName(Tok t) {
  switch (t) {
    case Tok::kEof: return "end of file";
    case Tok::kError: return "invalid character";
    case Tok::kIdent: return "identifier";
    case Tok::kNumber: return "number";
    case Tok::kName: return "%name";
    case Tok::kString: return "string";
    case Tok::kSrcLoc: return "source location";
    case Tok::kComment: return "comment";
    case Tok::kLParen: return "'('";
    case Tok::kRParen: return "')'";
    case Tok::kLBracket: return "'['";
    case Tok::kRBracket: return "']'";
    case Tok::kLBrace: return "'{'";
    case Tok::kRBrace: return "'}'";
    case Tok::kComma: return "','";
    case Tok::kColon: return "':'";
    case Tok::kEqual: return "'='";
    case Tok::kArrow: return "'->'";
    case Tok::kLess: return "'<'";
    case Tok::kGreater: return "'>'";
    case Tok::kStar: return "'*'";
    case Tok::kPlus: return "'+'";
    case Tok::kMinus: return "'-'";
    case Tok::kAt: return "'@'";
  }
  return "token";
}

}  // namespace lathe::ir
