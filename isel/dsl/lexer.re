// re2c specification of the rules-language lexer; see lexer.h for the contract.
#include <algorithm>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "isel/dsl/lexer.h"

namespace lathe::dsl {
namespace {

// Maps byte offsets to line/column through a table of line starts.
class LineTable {
 public:
  explicit LineTable(absl::string_view text) {
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }
  Loc At(int file, size_t offset) const {
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    size_t line = static_cast<size_t>(it - starts_.begin());
    return Loc{file, static_cast<int>(line), static_cast<int>(offset - starts_[line - 1] + 1)};
  }

 private:
  std::vector<size_t> starts_;
};

bool ParseInt(absl::string_view text, int64_t* out) {
  bool negative = !text.empty() && text[0] == '-';
  absl::string_view digits = negative ? text.substr(1) : text;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    uint64_t u = 0;
    if (!absl::SimpleHexAtoi(digits.substr(2), &u)) return false;
    if (negative) {
      if (u > uint64_t{1} << 63) return false;
      *out = static_cast<int64_t>(0 - u);
    } else {
      // Hex literals may spell the full 64-bit pattern (0xffffffffffffffff is -1 as int64).
      *out = static_cast<int64_t>(u);
    }
    return true;
  }
  return absl::SimpleAtoi(text, out);
}

}  // namespace

std::vector<Token> Lex(const SourceFile& file, int file_index, Diagnostics& diags) {
  std::vector<Token> out;
  LineTable lines(file.text);
  const char* begin = file.text.c_str();  // NUL-terminated: re2c's end sentinel.
  const char* end = begin + file.text.size();
  const char* cursor = begin;
  const char* marker = cursor;
  auto loc_of = [&](const char* p) { return lines.At(file_index, static_cast<size_t>(p - begin)); };
  auto push = [&](TokenKind kind, const char* s, const char* e) {
    out.push_back(Token{kind, absl::string_view(s, static_cast<size_t>(e - s)), 0, loc_of(s)});
  };
  for (;;) {
    const char* start = cursor;
    /*!re2c
      re2c:define:YYCTYPE = char;
      re2c:define:YYCURSOR = cursor;
      re2c:define:YYMARKER = marker;
      re2c:yyfill:enable = 0;

      ident_start = [a-zA-Z_$];
      ident_char = [a-zA-Z0-9_.$\-];

      [ \t\r\n]+                     { continue; }
      ";" [^\n\x00]*                 { continue; }
      "("                            { push(TokenKind::kLParen, start, cursor); continue; }
      ")"                            { push(TokenKind::kRParen, start, cursor); continue; }
      "-"? ([0-9]+ | "0" [xX] [0-9a-fA-F]+)  {
        push(TokenKind::kInt, start, cursor);
        if (!ParseInt(out.back().text, &out.back().value)) {
          diags.Error(out.back().loc, absl::StrCat("integer literal '", out.back().text,
                                                   "' does not fit in 64 bits"));
          out.pop_back();
          break;
        }
        continue;
      }
      ident_start ident_char*        { push(TokenKind::kIdent, start, cursor); continue; }
      "-" ident_char*                { push(TokenKind::kIdent, start, cursor); continue; }
      ["] [^"\n\x00]* ["]            {
        push(TokenKind::kString, start + 1, cursor - 1);
        out.back().loc = loc_of(start);
        continue;
      }
      ["]                            {
        diags.Error(loc_of(start), "unterminated string: expected '\"' before the end of the line");
        break;
      }
      "\x00"                         {
        if (start == end) break;
        diags.Error(loc_of(start), "unexpected NUL byte in rules file");
        break;
      }
      *                              {
        diags.Error(loc_of(start),
                    absl::StrCat("unexpected character '", std::string(start, cursor),
                                 "': expected '(', ')', an identifier, an integer or a string"));
        break;
      }
    */
  }
  out.push_back(Token{TokenKind::kEnd, absl::string_view(), 0, loc_of(std::min(cursor, end))});
  return out;
}

}  // namespace lathe::dsl
