// Internal to the CLIF parser (ir/parser.cc, ir/parser_preamble.cc, ir/parser_instruction.cc):
// the Parser class and its token helpers. Not part of the IR's API; use ir/parser.h.
#ifndef LATHE_IR_CLIF_PARSER_H_
#define LATHE_IR_CLIF_PARSER_H_

#include "ir/parser.h"

#include <cctype>
#include <cstring>
#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ir/atomic_rmw_op.h"
#include "ir/condcodes.h"
#include "ir/ieee_float.h"
#include "ir/lexer.h"
#include "ir/type_constraint.h"

namespace lathe::ir::clif_parser {

// Abseil here predates std::string_view interop; bridge explicitly.
inline absl::string_view A(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Per-instruction scratch lists stay on the stack in the common case.
using ValueVec = absl::InlinedVector<Value, 8>;

// Entity numbers above this are refused: tables are dense, so a huge number in the text would
// otherwise allocate a huge table.
constexpr uint32_t kMaxEntityNumber = (1u << 20) - 1;

inline bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "v12" with prefix "v" -> 12.
inline bool EntityNumber(std::string_view text, std::string_view prefix, uint32_t* n) {
  if (text.size() <= prefix.size() || text.substr(0, prefix.size()) != prefix) return false;
  std::string_view digits = text.substr(prefix.size());
  if (!IsDigits(digits) || digits.size() > 9) return false;
  if (digits.size() > 1 && digits[0] == '0') return false;
  uint32_t v = 0;
  for (char c : digits) v = v * 10 + static_cast<uint32_t>(c - '0');
  *n = v;
  return true;
}

// Parses a CLIF integer literal (decimal or 0x hex, optional sign, '_' separators) into the
// 64-bit pattern it denotes; false when it does not fit in 64 bits.
inline bool ParseInt64(std::string_view text, uint64_t* out, bool* negative) {
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return false;
  unsigned __int128 v = 0;
  bool any = false;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    for (char c : s.substr(2)) {
      if (c == '_') continue;
      int d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else return false;
      v = v * 16 + static_cast<unsigned>(d);
      any = true;
      if (v > UINT64_MAX) return false;
    }
  } else {
    for (char c : s) {
      if (c == '_') continue;
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<unsigned>(c - '0');
      any = true;
      if (v > UINT64_MAX) return false;
    }
  }
  if (!any) return false;
  uint64_t u = static_cast<uint64_t>(v);
  if (neg) {
    if (u > (uint64_t{1} << 63)) return false;
    u = ~u + 1;
  }
  *out = u;
  if (negative) *negative = neg;
  return true;
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view filename)
      : text_(text), filename_(filename) {
    // Comments may sit anywhere (even inside a signature); keep them out of the token stream
    // and remember which token each one precedes, to attach them at statement boundaries.
    std::vector<Token> all = Lex(text);
    toks_.reserve(all.size());
    for (const Token& t : all) {
      if (t.kind == Tok::kComment) {
        comments_.push_back(PendingComment{toks_.size(), t});
      } else {
        toks_.push_back(t);
      }
    }
  }

  absl::StatusOr<TestFile> ParseFile(bool allow_headers);

 private:
  // ---- token helpers ----
  const Token& Peek(size_t k = 0) const {
    size_t i = pos_ + k;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  const Token& Next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool At(Tok k) const { return Peek().kind == k; }
  bool AtIdent(std::string_view s) const { return Peek().kind == Tok::kIdent && Peek().text == s; }
  bool Accept(Tok k) {
    if (!At(k)) return false;
    Next();
    return true;
  }

  absl::Status ErrorAt(const Token& t, std::string_view msg) const {
    std::string found = t.kind == Tok::kEof ? "end of file" : absl::StrCat("'", A(t.text), "'");
    return absl::InvalidArgumentError(
        absl::StrCat(filename_, ":", t.line, ":", t.col, ": ", A(msg), " (found ", found, ")"));
  }
  absl::Status Error(std::string_view msg) const { return ErrorAt(Peek(), msg); }
  absl::Status Expect(Tok k, std::string_view what) {
    if (!At(k)) return Error(absl::StrCat("expected ", A(what)));
    Next();
    return absl::OkStatus();
  }
  // Skips comments, attaching them to the current entity.
  void SkipComments();

  // ---- pieces ----
  absl::Status ParseHeaderLine(TestFile* file);
  absl::Status ParseFunction(ParsedFunction* out);
  absl::Status ParseExternalName(ExternalName* name);
  absl::Status ParseSignature(Signature* sig, uint32_t line);
  absl::Status ParseAbiParam(AbiParam* p);
  absl::Status ParseType(Type* t);
  absl::Status ParsePreambleDecl();
  absl::Status ParseBlockHeader();
  absl::Status ParseInstruction();
  absl::Status ParseOperands(Inst inst, InstData* d, const OpcodeInfo& info, Type* ctrl,
                             bool has_suffix, const Token& op_tok);

  absl::Status ParseValueRef(Value* v);
  absl::Status ParseValueList(ValueVec* out, Tok close);  // after '(' up to close
  absl::Status ParseBlockRef(Block* b);
  absl::Status ParseBlockCall(uint32_t* bc);
  absl::Status ParseEntityRef(std::string_view prefix, uint32_t limit, uint32_t* n, std::string_view what);
  absl::Status ParseImm64(int64_t* v);
  absl::Status ParseUimm(uint64_t max, uint64_t* v, std::string_view what);
  absl::Status ParseOffset(int64_t* off);  // optional signed number directly after
  absl::Status ParseMemFlags(MemFlags* f);
  absl::Status ParseTrapCode(TrapCode* code);
  absl::Status ParseFloat(FloatFormat fmt, u128* bits);
  absl::Status ParseConstantBytes(Type t, std::vector<uint8_t>* bytes);
  absl::Status ParseRunDirective(const Token& t, ParsedFunction* pf);

  Type KnownType(Value v) const;
  template <typename Vec>
  void GrowTable(Vec& table, uint32_t n) {
    if (n >= table.size()) table.resize(n + 1);
  }

  std::string_view text_;
  std::string filename_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  struct PendingComment {
    size_t before;  // index of the token that follows the comment
    Token tok;
  };
  std::vector<PendingComment> comments_;
  size_t next_comment_ = 0;

  // Per function state.
  Function* f_ = nullptr;
  Block cur_block_;
  Comment::Attach attach_ = Comment::kFunction;
  uint32_t attach_index_ = 0;
  std::vector<bool> value_defined_;
  std::vector<bool> block_defined_;
  struct Use {
    uint32_t index;
    Token tok;
  };
  std::vector<Use> value_uses_;
  std::vector<Use> block_uses_;
  std::vector<Use> entity_uses_;  // preamble entities, checked with `entity_kinds_`
  std::vector<char> entity_kinds_;
};

}  // namespace lathe::ir::clif_parser

#endif  // LATHE_IR_CLIF_PARSER_H_
