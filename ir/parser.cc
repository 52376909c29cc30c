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

namespace lathe::ir {
namespace {

// Abseil here predates std::string_view interop; bridge explicitly.
absl::string_view A(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Per-instruction scratch lists stay on the stack in the common case.
using ValueVec = absl::InlinedVector<Value, 8>;

// Entity numbers above this are refused: tables are dense, so a huge number in the text would
// otherwise allocate a huge table.
constexpr uint32_t kMaxEntityNumber = (1u << 20) - 1;

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "v12" with prefix "v" -> 12.
bool EntityNumber(std::string_view text, std::string_view prefix, uint32_t* n) {
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
bool ParseInt64(std::string_view text, uint64_t* out, bool* negative) {
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

void Parser::SkipComments() {
  while (next_comment_ < comments_.size() && comments_[next_comment_].before <= pos_) {
    const Token& t = comments_[next_comment_++].tok;
    if (f_ != nullptr) f_->comments.push_back(Comment{attach_, attach_index_, std::string(t.text)});
  }
}

absl::StatusOr<TestFile> Parser::ParseFile(bool allow_headers) {
  TestFile file;
  bool seen_function = false;
  for (;;) {
    // Comments between functions belong to the function before them.
    while (next_comment_ < comments_.size() && comments_[next_comment_].before <= pos_) {
      const Token& t = comments_[next_comment_++].tok;
      if (!file.functions.empty()) {
        ParsedFunction& pf = file.functions.back();
        pf.function->comments.push_back(Comment{Comment::kFunction, 0, std::string(t.text)});
        absl::Status s = ParseRunDirective(t, &pf);
        if (!s.ok()) return s;
      }
    }
    if (At(Tok::kEof)) break;
    if (AtIdent("function")) {
      seen_function = true;
      ParsedFunction pf;
      absl::Status s = ParseFunction(&pf);
      if (!s.ok()) return s;
      file.functions.push_back(std::move(pf));
      continue;
    }
    if (allow_headers && !seen_function &&
        (AtIdent("test") || AtIdent("set") || AtIdent("target") || AtIdent("feature"))) {
      absl::Status s = ParseHeaderLine(&file);
      if (!s.ok()) return s;
      continue;
    }
    return Error(allow_headers && !seen_function
                     ? "expected 'test', 'set', 'target', 'feature' or 'function'"
                     : "expected 'function'");
  }
  return file;
}

absl::Status Parser::ParseHeaderLine(TestFile* file) {
  const Token& kw = Next();
  HeaderLine h;
  h.line = kw.line;
  h.kind = kw.text == "test" ? HeaderLine::kTest
           : kw.text == "set" ? HeaderLine::kSet
           : kw.text == "target" ? HeaderLine::kTarget
                                 : HeaderLine::kFeature;
  // Header words use characters (`-`, `=`) that are separate tokens elsewhere, so read the raw
  // line and drop the tokens on it.
  size_t start = static_cast<size_t>(kw.text.data() - text_.data()) + kw.text.size();
  size_t end = text_.find('\n', start);
  if (end == std::string_view::npos) end = text_.size();
  std::string_view rest = text_.substr(start, end - start);
  size_t semi = rest.find(';');
  if (semi != std::string_view::npos) rest = rest.substr(0, semi);
  for (absl::string_view w : absl::StrSplit(A(rest), absl::ByAnyChar(" \t\r"), absl::SkipEmpty())) {
    h.words.emplace_back(std::string(w));
  }
  if (h.words.empty() && h.kind != HeaderLine::kSet) {
    return ErrorAt(kw, absl::StrCat("expected arguments after '", A(kw.text), "'"));
  }
  while (!At(Tok::kEof) && Peek().line == kw.line) Next();
  file->headers.push_back(std::move(h));
  return absl::OkStatus();
}

absl::Status Parser::ParseExternalName(ExternalName* name) {
  if (At(Tok::kName)) {
    *name = ExternalName::TestCase(std::string(Next().text.substr(1)));
    return absl::OkStatus();
  }
  uint32_t ns;
  if (At(Tok::kIdent) && EntityNumber(Peek().text, "u", &ns) && Peek(1).kind == Tok::kColon &&
      Peek(2).kind == Tok::kNumber) {
    Next();
    Next();
    uint64_t idx;
    bool neg = false;
    if (!ParseInt64(Peek().text, &idx, &neg) || neg || idx > UINT32_MAX) {
      return Error("expected a user name index (u<ns>:<index>)");
    }
    Next();
    *name = ExternalName::User(ns, static_cast<uint32_t>(idx));
    return absl::OkStatus();
  }
  return Error("expected a function name (%name or u<ns>:<index>)");
}

absl::Status Parser::ParseType(Type* t) {
  if (!At(Tok::kIdent)) return Error("expected a type");
  std::string_view s = Peek().text;
  uint32_t dt;
  if (f_ != nullptr && EntityNumber(s, "dt", &dt)) {
    if (dt >= f_->dynamic_types.size() || !f_->dynamic_types[dt].declared) {
      return Error("undeclared dynamic type");
    }
    *t = Type::Dynamic(f_->dynamic_types[dt].base);
    Next();
    return absl::OkStatus();
  }
  std::optional<Type> ty = Type::Parse(s);
  if (!ty) return Error("expected a type (i8..i128, f16..f128, or a vector such as i32x4)");
  *t = *ty;
  Next();
  return absl::OkStatus();
}

absl::Status Parser::ParseAbiParam(AbiParam* p) {
  absl::Status s = ParseType(&p->type);
  if (!s.ok()) return s;
  for (;;) {
    if (AtIdent("uext")) p->ext = AbiParam::kUext;
    else if (AtIdent("sext")) p->ext = AbiParam::kSext;
    else if (AtIdent("sret")) p->purpose = AbiParam::kSret;
    else if (AtIdent("vmctx")) p->purpose = AbiParam::kVmctx;
    else if (AtIdent("sarg")) {
      Next();
      if (!Accept(Tok::kLParen)) return Error("expected '(' after sarg");
      uint64_t n;
      s = ParseUimm(UINT32_MAX, &n, "a struct size");
      if (!s.ok()) return s;
      p->purpose = AbiParam::kStructArg;
      p->struct_size = static_cast<uint32_t>(n);
      if (!Accept(Tok::kRParen)) return Error("expected ')' after the sarg size");
      continue;
    } else {
      return absl::OkStatus();
    }
    Next();
  }
}

absl::Status Parser::ParseSignature(Signature* sig, uint32_t line) {
  absl::Status s = Expect(Tok::kLParen, "'(' to start a signature");
  if (!s.ok()) return s;
  if (!At(Tok::kRParen)) {
    for (;;) {
      AbiParam p;
      s = ParseAbiParam(&p);
      if (!s.ok()) return s;
      sig->params.push_back(p);
      if (!Accept(Tok::kComma)) break;
    }
  }
  s = Expect(Tok::kRParen, "',' or ')' in the parameter list");
  if (!s.ok()) return s;
  if (Accept(Tok::kArrow)) {
    for (;;) {
      AbiParam p;
      s = ParseAbiParam(&p);
      if (!s.ok()) return s;
      sig->returns.push_back(p);
      if (!Accept(Tok::kComma)) break;
    }
  }
  sig->call_conv = CallConv::kFast;
  (void)line;
  if (At(Tok::kIdent)) {
    // A signature may span lines; its calling convention is the next word if it names one.
    if (std::optional<CallConv> cc = CallConvFromName(Peek().text)) {
      sig->call_conv = *cc;
      Next();
    }
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseFunction(ParsedFunction* pf) {
  const Token& kw = Next();  // 'function'
  pf->line = kw.line;
  pf->function = std::make_unique<Function>();
  f_ = pf->function.get();
  cur_block_ = Block();
  attach_ = Comment::kFunction;
  attach_index_ = 0;
  value_defined_.clear();
  block_defined_.clear();
  value_uses_.clear();
  block_uses_.clear();
  entity_uses_.clear();
  entity_kinds_.clear();
  absl::Status s = ParseExternalName(&f_->name);
  if (!s.ok()) return s;
  s = ParseSignature(&f_->signature, UINT32_MAX);  // '{' follows, so any line
  if (!s.ok()) return s;
  s = Expect(Tok::kLBrace, "'{' to start the function body");
  if (!s.ok()) return s;
  // Preamble.
  for (;;) {
    SkipComments();
    uint32_t n;
    if (At(Tok::kIdent) && EntityNumber(Peek().text, "block", &n)) break;
    if (At(Tok::kRBrace) || At(Tok::kEof)) break;
    s = ParsePreambleDecl();
    if (!s.ok()) return s;
    attach_ = Comment::kPreamble;
  }
  // Body.
  for (;;) {
    SkipComments();
    if (Accept(Tok::kRBrace)) break;
    if (At(Tok::kEof)) return Error("expected '}' to end the function");
    uint32_t n;
    if (At(Tok::kIdent) && EntityNumber(Peek().text, "block", &n) &&
        (Peek(1).kind == Tok::kColon || Peek(1).kind == Tok::kLParen ||
         (Peek(1).kind == Tok::kIdent && Peek(1).text == "cold"))) {
      s = ParseBlockHeader();
    } else {
      if (!cur_block_.valid()) return Error("expected a block header (blockN:) before instructions");
      s = ParseInstruction();
    }
    if (!s.ok()) return s;
  }
  // Every referenced entity must be defined.
  for (const Use& u : value_uses_) {
    if (u.index >= value_defined_.size() || !value_defined_[u.index]) {
      return ErrorAt(u.tok, absl::StrCat("value v", u.index, " is used but never defined"));
    }
  }
  // References to undefined blocks and alias regions are left for the verifier to report on
  // the instruction that makes them.
  for (size_t k = 0; k < entity_uses_.size(); ++k) {
    const Use& u = entity_uses_[k];
    bool ok = true;
    switch (entity_kinds_[k]) {
      case 'g': ok = u.index < f_->global_values.size() && f_->global_values[u.index].declared; break;
      case 'c': ok = u.index < f_->constants.size() && f_->constants[u.index].declared; break;
      default: break;
    }
    if (!ok) return ErrorAt(u.tok, "reference to an undeclared entity");
  }
  // As in Cranelift, an opcode whose type comes from an operand takes it from that operand
  // once every value is known; a written suffix only helps the parser before that.
  for (Block b = f_->layout.first_block(); b.valid(); b = f_->layout.next_block(b)) {
    for (Inst i = f_->layout.first_inst(b); i.valid(); i = f_->layout.next_inst(i)) {
      InstData& d = f_->dfg.inst(i);
      const OpcodeInfo& info = Info(d.opcode);
      if (info.ctrl < 0 || static_cast<size_t>(info.ctrl) >= f_->dfg.args(i).size()) continue;
      Value v = f_->dfg.Resolve(f_->dfg.args(i)[info.ctrl]);
      if (f_->dfg.value_valid(v) && f_->dfg.value(v).kind != ValueData::kAlias) {
        d.ctrl_type = f_->dfg.value_type(v);
      }
    }
  }
  // Aliases take the type of the value they stand for.
  for (size_t v = 0; v < f_->dfg.num_values(); ++v) {
    const ValueData& d = f_->dfg.value(Value(static_cast<uint32_t>(v)));
    if (d.kind == ValueData::kAlias) {
      Value target = f_->dfg.Resolve(Value(static_cast<uint32_t>(v)));
      if (!target.valid() || !f_->dfg.value_valid(target)) {
        return absl::InvalidArgumentError(
            absl::StrCat(filename_, ":", kw.line, ":", kw.col, ": alias v", v, " forms a cycle"));
      }
      f_->dfg.mutable_value(Value(static_cast<uint32_t>(v))).type = f_->dfg.value_type(target);
    }
  }
  f_ = nullptr;
  return absl::OkStatus();
}

absl::Status Parser::ParseEntityRef(std::string_view prefix, uint32_t limit, uint32_t* n,
                                    std::string_view what) {
  if (!At(Tok::kIdent) || !EntityNumber(Peek().text, prefix, n)) {
    return Error(absl::StrCat("expected ", A(what), " (", A(prefix), "N)"));
  }
  if (*n > kMaxEntityNumber) return Error("entity number too large");
  if (limit != UINT32_MAX && *n >= limit) return Error(absl::StrCat("undeclared ", A(what)));
  Next();
  return absl::OkStatus();
}

absl::Status Parser::ParseUimm(uint64_t max, uint64_t* v, std::string_view what) {
  bool neg = false;
  if (!At(Tok::kNumber) || !ParseInt64(Peek().text, v, &neg) || neg || *v > max) {
    return Error(absl::StrCat("expected ", A(what)));
  }
  Next();
  return absl::OkStatus();
}

absl::Status Parser::ParseImm64(int64_t* v) {
  uint64_t u;
  if (!At(Tok::kNumber) || !ParseInt64(Peek().text, &u, nullptr)) {
    return Error("expected a 64-bit integer");
  }
  Next();
  *v = static_cast<int64_t>(u);
  return absl::OkStatus();
}

absl::Status Parser::ParseOffset(int64_t* off) {
  *off = 0;
  if (At(Tok::kPlus) || At(Tok::kMinus)) return Error("expected a number right after the offset's sign");
  if (At(Tok::kNumber) && (Peek().text[0] == '+' || Peek().text[0] == '-')) {
    uint64_t u;
    bool neg = false;
    if (!ParseInt64(Peek().text, &u, &neg)) return Error("expected an offset");
    int64_t v = static_cast<int64_t>(u);
    if (v < INT32_MIN || v > INT32_MAX || (neg != (v < 0) && v != 0)) {
      return Error("offset does not fit in 32 bits");
    }
    *off = v;
    Next();
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseTrapCode(TrapCode* code) {
  if (!At(Tok::kIdent)) return Error("expected a trap code");
  std::optional<TrapCode> c = TrapCode::Parse(Peek().text);
  if (!c) return Error("expected a trap code (user1..user250, heap_oob, int_ovf, ...)");
  *code = *c;
  Next();
  return absl::OkStatus();
}

absl::Status Parser::ParseMemFlags(MemFlags* f) {
  *f = MemFlags();
  while (At(Tok::kIdent)) {
    std::string_view w = Peek().text;
    uint32_t n;
    if (w == "notrap") f->trap = TrapCode();
    else if (w == "aligned") f->set(MemFlags::kAligned);
    else if (w == "readonly") f->set(MemFlags::kReadonly);
    else if (w == "little") f->set(MemFlags::kLittle);
    else if (w == "big") f->set(MemFlags::kBig);
    else if (w == "can_move") f->set(MemFlags::kCanMove);
    else if (w == "checked") f->set(MemFlags::kChecked);
    else if (EntityNumber(w, "region", &n)) {
      if (n > kMaxEntityNumber) return Error("entity number too large");
      entity_uses_.push_back(Use{n, Peek()});
      entity_kinds_.push_back('r');
      f->region = MemoryRegion(n);
    } else if (std::optional<TrapCode> c = TrapCode::Parse(w)) {
      f->trap = *c;
    } else {
      break;
    }
    Next();
  }
  if (f->has(MemFlags::kLittle) && f->has(MemFlags::kBig)) {
    return Error("memory flags cannot be both 'little' and 'big'");
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseFloat(FloatFormat fmt, u128* bits) {
  if (!At(Tok::kNumber)) return Error("expected a float literal");
  std::string err;
  if (!ParseIeee(Peek().text, fmt, bits, &err)) return Error(err);
  Next();
  return absl::OkStatus();
}

// A vector or f128 constant: `0x...` hex (most significant byte first) or `[lane lane ...]`.
absl::Status Parser::ParseConstantBytes(Type t, std::vector<uint8_t>* bytes) {
  const uint32_t size = t.valid() ? t.bytes() : 0;
  bytes->clear();
  if (At(Tok::kLBracket)) {
    if (!t.is_vector()) return Error("a lane list needs a vector type");
    Next();
    const uint32_t lane_bytes = t.lane_bits() / 8;
    for (uint32_t lane = 0; lane < t.lane_count(); ++lane) {
      u128 v = 0;
      if (t.is_float()) {
        FloatFormat fmt = t.lane_bits() == 16 ? kHalf : t.lane_bits() == 32 ? kSingle
                          : t.lane_bits() == 64 ? kDouble : kQuad;
        absl::Status s = ParseFloat(fmt, &v);
        if (!s.ok()) return s;
      } else {
        uint64_t u;
        bool neg = false;
        if (!At(Tok::kNumber) || !ParseInt64(Peek().text, &u, &neg)) {
          return Error("expected an integer lane value");
        }
        if (lane_bytes < 8 && !neg && (u >> (lane_bytes * 8)) != 0) {
          return Error("lane value does not fit in the lane type");
        }
        Next();
        v = u;
        if (neg && lane_bytes == 16) v |= static_cast<u128>(UINT64_MAX) << 64;
      }
      for (uint32_t b = 0; b < lane_bytes; ++b) bytes->push_back(static_cast<uint8_t>(v >> (8 * b)));
    }
    return Expect(Tok::kRBracket, "']' after the lane values");
  }
  if (!At(Tok::kNumber)) return Error("expected a constant (0x... or [lanes])");
  std::string_view s = Peek().text;
  if (s.size() < 3 || s.substr(0, 2) != "0x") return Error("expected a hex constant 0x...");
  std::string digits;
  for (char c : s.substr(2)) {
    if (c == '_') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return Error("expected hex digits");
    digits.push_back(c);
  }
  if (digits.empty()) return Error("expected hex digits");
  uint32_t n = size != 0 ? size : static_cast<uint32_t>((digits.size() + 1) / 2);
  if (digits.size() > 2 * static_cast<size_t>(n)) {
    // Leading zeros beyond the type's width are harmless.
    size_t extra = digits.size() - 2 * n;
    if (digits.find_first_not_of('0') < extra) return Error("constant too wide for its type");
    digits = digits.substr(extra);
  }
  digits.insert(0, 2 * n - digits.size(), '0');
  for (uint32_t b = 0; b < n; ++b) {
    std::string byte = digits.substr(digits.size() - 2 * (b + 1), 2);
    bytes->push_back(static_cast<uint8_t>(std::stoul(byte, nullptr, 16)));
  }
  Next();
  return absl::OkStatus();
}

absl::Status Parser::ParsePreambleDecl() {
  if (AtIdent("stack_limit")) {
    Next();
    absl::Status s = Expect(Tok::kEqual, "'=' after stack_limit");
    if (!s.ok()) return s;
    uint32_t n;
    entity_uses_.push_back(Use{0, Peek()});
    s = ParseEntityRef("gv", UINT32_MAX, &n, "a global value");
    if (!s.ok()) return s;
    entity_uses_.back().index = n;
    entity_kinds_.push_back('g');
    f_->stack_limit = GlobalValue(n);
    return absl::OkStatus();
  }
  if (!At(Tok::kIdent)) return Error("expected a preamble declaration or a block");
  const Token name_tok = Peek();
  std::string_view name = name_tok.text;
  uint32_t n;
  auto entity = [&](std::string_view prefix) { return EntityNumber(name, prefix, &n); };
  // "dss" and "dt" must be tried before their prefixes "ss"... none collide, but be explicit.
  char kind = 0;
  if (entity("dss")) kind = 'D';
  else if (entity("dt")) kind = 'T';
  else if (entity("ss")) kind = 's';
  else if (entity("gv")) kind = 'g';
  else if (entity("sig")) kind = 'S';
  else if (entity("fn")) kind = 'f';
  else if (entity("const")) kind = 'c';
  else if (entity("region")) kind = 'r';
  else return Error("expected a preamble declaration (ssN, gvN, sigN, fnN, constN, ...) or a block");
  if (n > kMaxEntityNumber) return Error("entity number too large");
  Next();
  absl::Status s = Expect(Tok::kEqual, "'='");
  if (!s.ok()) return s;
  auto redeclared = [&]() {
    return ErrorAt(name_tok, absl::StrCat("duplicate declaration of ", A(name)));
  };
  switch (kind) {
    case 's': {
      GrowTable(f_->stack_slots, n);
      StackSlotData& d = f_->stack_slots[n];
      if (d.declared) return redeclared();
      if (!AtIdent("explicit_slot")) return Error("expected 'explicit_slot'");
      Next();
      uint64_t size;
      s = ParseUimm(UINT32_MAX, &size, "a slot size");
      if (!s.ok()) return s;
      d.size = static_cast<uint32_t>(size);
      while (At(Tok::kComma)) {
        Next();
        if (AtIdent("align")) {
          Next();
          s = Expect(Tok::kEqual, "'=' after align");
          if (!s.ok()) return s;
          uint64_t a;
          s = ParseUimm(uint64_t{1} << 31, &a, "an alignment");
          if (!s.ok()) return s;
          if (a == 0 || (a & (a - 1)) != 0) return Error("alignment must be a power of two");
          uint8_t shift = 0;
          while ((uint64_t{1} << shift) < a) ++shift;
          d.align_shift = shift;
        } else if (AtIdent("key")) {
          Next();
          s = Expect(Tok::kEqual, "'=' after key");
          if (!s.ok()) return s;
          s = ParseUimm(UINT64_MAX, &d.key, "a key");
          if (!s.ok()) return s;
          d.has_key = true;
        } else {
          return Error("expected 'align' or 'key'");
        }
      }
      d.declared = true;
      return absl::OkStatus();
    }
    case 'T': {
      GrowTable(f_->dynamic_types, n);
      DynamicTypeData& d = f_->dynamic_types[n];
      if (d.declared) return redeclared();
      s = ParseType(&d.base);
      if (!s.ok()) return s;
      if (!d.base.is_vector() || d.base.is_dynamic()) return Error("a dynamic type needs a fixed vector base");
      s = Expect(Tok::kStar, "'*' in a dynamic type");
      if (!s.ok()) return s;
      uint32_t gv;
      entity_uses_.push_back(Use{0, Peek()});
      s = ParseEntityRef("gv", UINT32_MAX, &gv, "a global value");
      if (!s.ok()) return s;
      entity_uses_.back().index = gv;
      entity_kinds_.push_back('g');
      d.scale = GlobalValue(gv);
      d.declared = true;
      return absl::OkStatus();
    }
    case 'D': {
      GrowTable(f_->dynamic_stack_slots, n);
      DynamicStackSlotData& d = f_->dynamic_stack_slots[n];
      if (d.declared) return redeclared();
      if (!AtIdent("explicit_dynamic_slot")) return Error("expected 'explicit_dynamic_slot'");
      Next();
      uint32_t dt;
      s = ParseEntityRef("dt", UINT32_MAX, &dt, "a dynamic type");
      if (!s.ok()) return s;
      if (dt >= f_->dynamic_types.size() || !f_->dynamic_types[dt].declared) {
        return Error("undeclared dynamic type");
      }
      d.dyn_type = DynamicType(dt);
      d.declared = true;
      return absl::OkStatus();
    }
    case 'g': {
      GrowTable(f_->global_values, n);
      if (f_->global_values[n].declared) return redeclared();
      GlobalValueData d;
      if (!At(Tok::kIdent)) return Error("expected a global value kind");
      std::string_view op = Peek().text;
      std::string_view base_op = op.substr(0, op.find('.'));
      std::string_view suffix = op.find('.') == std::string_view::npos ? "" : op.substr(op.find('.') + 1);
      Type ty;
      if (!suffix.empty()) {
        std::optional<Type> t = Type::Parse(suffix);
        if (!t) return Error("expected a type suffix");
        ty = *t;
      }
      Next();
      auto base_gv = [&]() -> absl::Status {
        uint32_t b;
        entity_uses_.push_back(Use{0, Peek()});
        absl::Status st = ParseEntityRef("gv", UINT32_MAX, &b, "a base global value");
        if (!st.ok()) return st;
        entity_uses_.back().index = b;
        entity_kinds_.push_back('g');
        d.base = GlobalValue(b);
        return absl::OkStatus();
      };
      if (op == "vmctx") {
        d.kind = GlobalValueData::kVMContext;
      } else if (base_op == "load") {
        if (!ty.valid()) return Error("expected load.TYPE");
        d.kind = GlobalValueData::kLoad;
        d.type = ty;
        s = ParseMemFlags(&d.flags);
        if (!s.ok()) return s;
        s = base_gv();
        if (!s.ok()) return s;
        s = ParseOffset(&d.offset);
        if (!s.ok()) return s;
      } else if (base_op == "iadd_imm") {
        if (!ty.valid()) return Error("expected iadd_imm.TYPE");
        d.kind = GlobalValueData::kIAddImm;
        d.type = ty;
        s = base_gv();
        if (!s.ok()) return s;
        s = Expect(Tok::kComma, "','");
        if (!s.ok()) return s;
        s = ParseImm64(&d.offset);
        if (!s.ok()) return s;
      } else if (op == "symbol") {
        d.kind = GlobalValueData::kSymbol;
        if (AtIdent("colocated")) {
          Next();
          d.colocated = true;
        }
        if (AtIdent("tls")) {
          Next();
          d.tls = true;
        }
        s = ParseExternalName(&d.name);
        if (!s.ok()) return s;
        if (At(Tok::kNumber) && (Peek().text[0] == '+' || Peek().text[0] == '-')) {
          s = ParseImm64(&d.offset);
          if (!s.ok()) return s;
        }
      } else if (base_op == "dyn_scale_target_const") {
        if (!ty.valid()) return Error("expected dyn_scale_target_const.TYPE");
        d.kind = GlobalValueData::kDynScaleTargetConst;
        d.type = ty;
      } else {
        return ErrorAt(name_tok, "expected vmctx, load, iadd_imm, symbol or dyn_scale_target_const");
      }
      d.declared = true;
      f_->global_values[n] = d;
      return absl::OkStatus();
    }
    case 'S': {
      GrowTable(f_->signatures, n);
      if (f_->signature_declared.size() < f_->signatures.size()) {
        f_->signature_declared.resize(f_->signatures.size(), false);
      }
      if (f_->signature_declared[n]) return redeclared();
      Signature sig;
      s = ParseSignature(&sig, name_tok.line);
      if (!s.ok()) return s;
      f_->signatures[n] = sig;
      f_->signature_declared[n] = true;
      return absl::OkStatus();
    }
    case 'f': {
      GrowTable(f_->ext_funcs, n);
      if (f_->ext_funcs[n].declared) return redeclared();
      ExtFuncData d;
      for (;;) {
        if (AtIdent("colocated")) d.colocated = true;
        else if (AtIdent("patchable")) d.patchable = true;
        else break;
        Next();
      }
      s = ParseExternalName(&d.name);
      if (!s.ok()) return s;
      uint32_t sig;
      if (At(Tok::kLParen)) {
        Signature inline_sig;
        s = ParseSignature(&inline_sig, name_tok.line);
        if (!s.ok()) return s;
        d.signature = f_->AddSignature(inline_sig, true);
      } else {
        s = ParseEntityRef("sig", UINT32_MAX, &sig, "a signature");
        if (!s.ok()) return s;
        if (sig >= f_->signatures.size() || !f_->signature_declared[sig]) {
          return ErrorAt(toks_[pos_ - 1], "undeclared signature");
        }
        d.signature = SigRef(sig);
      }
      d.declared = true;
      f_->ext_funcs[n] = d;
      return absl::OkStatus();
    }
    case 'c': {
      GrowTable(f_->constants, n);
      if (f_->constants[n].declared) return redeclared();
      std::vector<uint8_t> bytes;
      s = ParseConstantBytes(Type(), &bytes);
      if (!s.ok()) return s;
      f_->constants[n].bytes = std::move(bytes);
      f_->constants[n].declared = true;
      return absl::OkStatus();
    }
    case 'r': {
      GrowTable(f_->memory_regions, n);
      if (f_->memory_regions[n].declared) return redeclared();
      uint64_t id;
      s = ParseUimm(UINT32_MAX, &id, "an alias region id");
      if (!s.ok()) return s;
      if (!At(Tok::kString)) return Error("expected a quoted region description");
      std::string_view desc = Next().text;
      MemoryRegionData& d = f_->memory_regions[n];
      d.user_id = static_cast<uint32_t>(id);
      d.description = std::string(desc.substr(1, desc.size() - 2));
      d.declared = true;
      return absl::OkStatus();
    }
    default:
      return Error("expected a preamble declaration");
  }
}

absl::Status Parser::ParseBlockHeader() {
  const Token tok = Peek();
  uint32_t n;
  EntityNumber(tok.text, "block", &n);
  if (n > kMaxEntityNumber) return Error("block number too large");
  Next();
  Block b(n);
  if (n < block_defined_.size() && block_defined_[n]) {
    return ErrorAt(tok, absl::StrCat("block", n, " is defined twice"));
  }
  if (n >= block_defined_.size()) block_defined_.resize(n + 1, false);
  block_defined_[n] = true;
  f_->dfg.MakeBlockSlot(b);
  f_->layout.AppendBlock(b);
  cur_block_ = b;
  attach_ = Comment::kBlock;
  attach_index_ = n;
  if (Accept(Tok::kLParen)) {
    if (!At(Tok::kRParen)) {
      for (;;) {
        const Token vt = Peek();
        uint32_t v;
        absl::Status s = ParseEntityRef("v", UINT32_MAX, &v, "a block parameter");
        if (!s.ok()) return s;
        if (v < value_defined_.size() && value_defined_[v]) {
          return ErrorAt(vt, absl::StrCat("value v", v, " is defined twice"));
        }
        s = Expect(Tok::kColon, "':' after the parameter");
        if (!s.ok()) return s;
        Type t;
        s = ParseType(&t);
        if (!s.ok()) return s;
        if (v >= value_defined_.size()) value_defined_.resize(v + 1, false);
        value_defined_[v] = true;
        f_->dfg.AppendBlockParam(b, t, Value(v));
        if (!Accept(Tok::kComma)) break;
      }
    }
    absl::Status s = Expect(Tok::kRParen, "',' or ')' in the block parameters");
    if (!s.ok()) return s;
  }
  if (AtIdent("cold")) {
    Next();
    f_->dfg.block(b).cold = true;
  }
  return Expect(Tok::kColon, "':' after the block header");
}

absl::Status Parser::ParseValueRef(Value* v) {
  const Token t = Peek();
  uint32_t n;
  absl::Status s = ParseEntityRef("v", UINT32_MAX, &n, "a value");
  if (!s.ok()) return s;
  *v = Value(n);
  f_->dfg.MakeValueSlot(*v);
  if (n >= value_defined_.size() || !value_defined_[n]) value_uses_.push_back(Use{n, t});
  return absl::OkStatus();
}

absl::Status Parser::ParseValueList(ValueVec* out, Tok close) {
  if (At(close)) return absl::OkStatus();
  for (;;) {
    Value v;
    absl::Status s = ParseValueRef(&v);
    if (!s.ok()) return s;
    out->push_back(v);
    if (!Accept(Tok::kComma)) return absl::OkStatus();
  }
}

absl::Status Parser::ParseBlockRef(Block* b) {
  const Token t = Peek();
  uint32_t n;
  absl::Status s = ParseEntityRef("block", UINT32_MAX, &n, "a block");
  if (!s.ok()) return s;
  *b = Block(n);
  block_uses_.push_back(Use{n, t});
  return absl::OkStatus();
}

absl::Status Parser::ParseBlockCall(uint32_t* bc) {
  Block b;
  absl::Status s = ParseBlockRef(&b);
  if (!s.ok()) return s;
  std::vector<BlockArg> args;
  if (Accept(Tok::kLParen)) {
    if (!At(Tok::kRParen)) {
      for (;;) {
        uint32_t n;
        if (At(Tok::kIdent) && EntityNumber(Peek().text, "ret", &n)) {
          Next();
          args.push_back(BlockArg::Ret(n));
        } else if (At(Tok::kIdent) && EntityNumber(Peek().text, "exn", &n)) {
          Next();
          args.push_back(BlockArg::Exn(n));
        } else {
          Value v;
          s = ParseValueRef(&v);
          if (!s.ok()) return s;
          args.push_back(BlockArg::Of(v));
        }
        if (!Accept(Tok::kComma)) break;
      }
    }
    s = Expect(Tok::kRParen, "',' or ')' in the block arguments");
    if (!s.ok()) return s;
  }
  *bc = f_->dfg.MakeBlockCall(b, args);
  return absl::OkStatus();
}

Type Parser::KnownType(Value v) const {
  Value r = f_->dfg.Resolve(v);
  if (!r.valid() || r.index() >= value_defined_.size() || !value_defined_[r.index()]) return Type();
  if (!f_->dfg.value_valid(r)) return Type();
  return f_->dfg.value_type(r);
}

absl::Status Parser::ParseInstruction() {
  const Token first = Peek();
  std::vector<DebugTag> tags;
  bool has_tags = false;
  uint32_t srcloc = Function::kNoSrcLoc;
  for (int round = 0; round < 2; ++round) {
    if (At(Tok::kLess)) {
      Next();
      has_tags = true;
      if (!At(Tok::kGreater)) {
        for (;;) {
          uint32_t n;
          if (At(Tok::kIdent) && EntityNumber(Peek().text, "ss", &n)) {
            Next();
            tags.push_back(DebugTag{true, n});
          } else {
            uint64_t u;
            absl::Status s = ParseUimm(UINT32_MAX, &u, "a debug tag (ssN or a number)");
            if (!s.ok()) return s;
            tags.push_back(DebugTag{false, static_cast<uint32_t>(u)});
          }
          if (!Accept(Tok::kComma)) break;
        }
      }
      absl::Status s = Expect(Tok::kGreater, "'>' to close the debug tags");
      if (!s.ok()) return s;
    }
    if (At(Tok::kSrcLoc)) {
      std::string_view h = Peek().text.substr(1);
      if (h.size() > 8) return Error("source location does not fit in 32 bits");
      srcloc = static_cast<uint32_t>(std::stoul(std::string(h), nullptr, 16));
      Next();
    }
  }
  // Results, or an alias `vA -> vB`.
  ValueVec results;
  absl::InlinedVector<Token, 4> result_toks;
  uint32_t n;
  if (At(Tok::kIdent) && EntityNumber(Peek().text, "v", &n) &&
      (Peek(1).kind == Tok::kComma || Peek(1).kind == Tok::kEqual || Peek(1).kind == Tok::kArrow)) {
    if (Peek(1).kind == Tok::kArrow) {
      const Token at = Peek();
      if (n > kMaxEntityNumber) return Error("value number too large");
      Next();
      Next();
      Value target;
      absl::Status s = ParseValueRef(&target);
      if (!s.ok()) return s;
      if (n < value_defined_.size() && value_defined_[n]) {
        // Repeating the same alias is allowed; redefining a value is not.
        const ValueData& d = f_->dfg.value(Value(n));
        if (d.kind != ValueData::kAlias || d.owner != target.index()) {
          return ErrorAt(at, absl::StrCat("value v", n, " is defined twice"));
        }
        return absl::OkStatus();
      }
      if (target.index() == n) return ErrorAt(at, "a value cannot alias itself");
      if (n >= value_defined_.size()) value_defined_.resize(n + 1, false);
      value_defined_[n] = true;
      f_->dfg.MakeAlias(Value(n), target);
      return absl::OkStatus();
    }
    for (;;) {
      result_toks.push_back(Peek());
      Value v;
      absl::Status s = ParseEntityRef("v", UINT32_MAX, &n, "a result value");
      if (!s.ok()) return s;
      if (n < value_defined_.size() && value_defined_[n]) {
        return ErrorAt(result_toks.back(), absl::StrCat("value v", n, " is defined twice"));
      }
      for (Value r : results) {
        if (r.index() == n) return ErrorAt(result_toks.back(), "a result is named twice");
      }
      results.push_back(Value(n));
      if (!Accept(Tok::kComma)) break;
    }
    absl::Status s = Expect(Tok::kEqual, "'=' after the results");
    if (!s.ok()) return s;
  }
  if (!At(Tok::kIdent)) return Error("expected an instruction");
  const Token op_tok = Next();
  std::string_view op_text = op_tok.text;
  std::string_view suffix;
  size_t dot = op_text.find('.');
  if (dot != std::string_view::npos) {
    suffix = op_text.substr(dot + 1);
    op_text = op_text.substr(0, dot);
  }
  std::optional<Opcode> op = OpcodeFromName(op_text);
  if (!op) return ErrorAt(op_tok, absl::StrCat("unknown opcode '", A(op_text), "'"));
  const OpcodeInfo& info = Info(*op);
  Type ctrl;
  if (!suffix.empty()) {
    if (info.ctrl == kMono) return ErrorAt(op_tok, absl::StrCat("'", A(op_text), "' takes no type suffix"));
    uint32_t dt;
    if (EntityNumber(suffix, "dt", &dt)) {
      if (dt >= f_->dynamic_types.size() || !f_->dynamic_types[dt].declared) {
        return ErrorAt(op_tok, "undeclared dynamic type");
      }
      ctrl = Type::Dynamic(f_->dynamic_types[dt].base);
    } else {
      std::optional<Type> t = Type::Parse(suffix);
      if (!t) return ErrorAt(op_tok, absl::StrCat("unknown type suffix '", A(suffix), "'"));
      ctrl = *t;
    }
  } else if (info.ctrl == kSuffix) {
    return ErrorAt(op_tok, absl::StrCat("'", A(op_text), "' needs a type suffix such as .i32"));
  }
  InstData d;
  d.opcode = *op;
  Inst inst = f_->dfg.MakeInst(d);
  absl::Status s = ParseOperands(inst, &d, info, &ctrl, !suffix.empty(), op_tok);
  if (!s.ok()) return s;
  d.ctrl_type = ctrl;
  f_->dfg.inst(inst) = d;
  // Result types.
  absl::InlinedVector<Type, 4> types;
  if ((info.flags & kCall) != 0) {
    SigRef sig;
    if (info.format == Format::kCall) {
      sig = f_->ext_funcs[d.entity].signature;
    } else if (info.format == Format::kCallIndirect) {
      sig = SigRef(d.entity);
    }
    if (sig.valid() && (info.flags & kReturn) == 0) {
      for (const AbiParam& p : f_->signatures[sig.index()].returns) types.push_back(p.type);
    }
  } else {
    for (const char* c = info.results; *c; ++c) {
      Type t = ConstraintType(*c, ctrl);
      if (*c == 'X') t = ctrl;
      if (!t.valid()) {
        return ErrorAt(op_tok, absl::StrCat("'", A(op_text), "' cannot produce a result for type ",
                                            ctrl.Name()));
      }
      types.push_back(t);
    }
  }
  if (results.size() != types.size()) {
    return ErrorAt(results.empty() ? op_tok : result_toks[0],
                   absl::StrCat("'", A(op_text), "' produces ", types.size(), " result(s), but ",
                                results.size(), " are named"));
  }
  for (size_t k = 0; k < results.size(); ++k) {
    uint32_t v = results[k].index();
    if (v >= value_defined_.size()) value_defined_.resize(v + 1, false);
    value_defined_[v] = true;
  }
  f_->dfg.SetResults(inst, results);
  for (size_t k = 0; k < results.size(); ++k) f_->dfg.mutable_value(results[k]).type = types[k];
  f_->layout.AppendInst(inst, cur_block_);
  if (srcloc != Function::kNoSrcLoc) f_->set_srcloc(inst, srcloc);
  if (f_->text_lines.size() <= inst.index()) f_->text_lines.resize(inst.index() + 1, 0);
  f_->text_lines[inst.index()] = op_tok.line;
  if (has_tags) f_->debug_tags[inst.index()] = std::move(tags);
  attach_ = Comment::kInst;
  attach_index_ = inst.index();
  (void)first;
  return absl::OkStatus();
}

absl::Status Parser::ParseOperands(Inst inst, InstData* d, const OpcodeInfo& info, Type* ctrl,
                                   bool has_suffix, const Token& op_tok) {
  ValueVec args;
  absl::InlinedVector<uint32_t, 4> calls;
  absl::Status s;
  auto value = [&]() -> absl::Status {
    Value v;
    absl::Status st = ParseValueRef(&v);
    if (st.ok()) args.push_back(v);
    return st;
  };
  auto comma = [&]() { return Expect(Tok::kComma, "','"); };
  auto values = [&](int count) -> absl::Status {
    for (int k = 0; k < count; ++k) {
      if (k > 0) {
        absl::Status st = comma();
        if (!st.ok()) return st;
      }
      absl::Status st = value();
      if (!st.ok()) return st;
    }
    return absl::OkStatus();
  };
  auto entity = [&](std::string_view prefix, size_t table_size, std::string_view what,
                    const std::vector<bool>* declared) -> absl::Status {
    const Token t = Peek();
    uint32_t n;
    absl::Status st = ParseEntityRef(prefix, static_cast<uint32_t>(table_size), &n, what);
    if (!st.ok()) return st;
    if (declared != nullptr && !(*declared)[n]) return ErrorAt(t, absl::StrCat("undeclared ", A(what)));
    d->entity = n;
    return absl::OkStatus();
  };
  auto call_args = [&]() -> absl::Status {
    absl::Status st = Expect(Tok::kLParen, "'(' before the call arguments");
    if (!st.ok()) return st;
    st = ParseValueList(&args, Tok::kRParen);
    if (!st.ok()) return st;
    return Expect(Tok::kRParen, "',' or ')' after the call arguments");
  };
  auto exception_table = [&]() -> absl::Status {
    absl::Status st = Expect(Tok::kLBracket, "'[' to start the exception table");
    if (!st.ok()) return st;
    ExceptionTableData et;
    if (!At(Tok::kRBracket)) {
      for (;;) {
        ExceptionItem item;
        uint32_t tag;
        if (AtIdent("context")) {
          Next();
          item.kind = ExceptionItem::kContext;
          st = ParseValueRef(&item.context);
          if (!st.ok()) return st;
          args.push_back(item.context);
        } else {
          if (AtIdent("default")) {
            item.kind = ExceptionItem::kDefault;
          } else if (At(Tok::kIdent) && EntityNumber(Peek().text, "tag", &tag)) {
            item.kind = ExceptionItem::kTag;
            item.tag = tag;
          } else {
            return Error("expected 'default:', 'tagN:' or 'context vN'");
          }
          Next();
          st = Expect(Tok::kColon, "':' after the handler tag");
          if (!st.ok()) return st;
          uint32_t bc;
          st = ParseBlockCall(&bc);
          if (!st.ok()) return st;
          calls.push_back(bc);
        }
        et.items.push_back(item);
        if (!Accept(Tok::kComma)) break;
      }
    }
    st = Expect(Tok::kRBracket, "',' or ']' in the exception table");
    if (!st.ok()) return st;
    d->entity2 = f_->dfg.MakeExceptionTable(std::move(et)).index();
    return absl::OkStatus();
  };
  auto lane_imm = [&]() -> absl::Status {
    uint64_t u;
    absl::Status st = ParseUimm(255, &u, "a lane index (0..255)");
    d->imm = static_cast<int64_t>(u);
    return st;
  };
  const std::vector<bool> all_declared;
  switch (info.format) {
    case Format::kNullAry:
      break;
    case Format::kUnary:
      s = value();
      break;
    case Format::kUnaryImm: {
      s = ParseImm64(&d->imm);
      if (s.ok() && ctrl->valid() && ctrl->bits_total() < 64) {
        uint32_t bits = ctrl->bits_total();
        uint64_t u = static_cast<uint64_t>(d->imm);
        uint64_t mask = (uint64_t{1} << bits) - 1;
        uint64_t high = u & ~mask;
        // Accept values that fit as signed or unsigned; store them zero-extended.
        bool sign_ok = high == (~uint64_t{0} & ~mask) && ((u >> (bits - 1)) & 1) != 0;
        if (high != 0 && !sign_ok) return ErrorAt(toks_[pos_ - 1], absl::StrCat("immediate does not fit in ", ctrl->Name()));
        d->imm = static_cast<int64_t>(u & mask);
      }
      break;
    }
    case Format::kUnaryIeee16:
    case Format::kUnaryIeee32:
    case Format::kUnaryIeee64: {
      FloatFormat fmt = info.format == Format::kUnaryIeee16 ? kHalf
                        : info.format == Format::kUnaryIeee32 ? kSingle : kDouble;
      u128 bits;
      s = ParseFloat(fmt, &bits);
      d->imm = static_cast<int64_t>(static_cast<uint64_t>(bits));
      break;
    }
    case Format::kUnaryConst: {
      uint32_t c;
      Type t = d->opcode == Opcode::kF128const ? kF128 : *ctrl;
      if (t.is_dynamic()) return ErrorAt(op_tok, "vconst needs a fixed vector type");
      if (At(Tok::kIdent) && EntityNumber(Peek().text, "const", &c)) {
        entity_uses_.push_back(Use{c, Peek()});
        entity_kinds_.push_back('c');
        Next();
        d->entity = c;
      } else if (d->opcode == Opcode::kF128const && At(Tok::kNumber) &&
                 Peek().text.find_first_of("pPIN.") != std::string_view::npos) {
        u128 bits;
        s = ParseFloat(kQuad, &bits);
        if (!s.ok()) return s;
        std::vector<uint8_t> bytes;
        for (int b = 0; b < 16; ++b) bytes.push_back(static_cast<uint8_t>(bits >> (8 * b)));
        d->entity = f_->InternConstant(std::move(bytes)).index();
      } else {
        std::vector<uint8_t> bytes;
        s = ParseConstantBytes(t, &bytes);
        if (!s.ok()) return s;
        d->entity = f_->InternConstant(std::move(bytes)).index();
      }
      break;
    }
    case Format::kUnaryGlobalValue: {
      const Token t = Peek();
      s = entity("gv", UINT32_MAX, "a global value", nullptr);
      if (s.ok()) {
        entity_uses_.push_back(Use{d->entity, t});
        entity_kinds_.push_back('g');
      }
      break;
    }
    case Format::kBinary:
      s = values(2);
      break;
    case Format::kBinaryImm8:
      s = value();
      if (s.ok()) s = comma();
      if (s.ok()) s = lane_imm();
      break;
    case Format::kTernary:
      s = values(3);
      break;
    case Format::kTernaryImm8:
      s = values(2);
      if (s.ok()) s = comma();
      if (s.ok()) s = lane_imm();
      break;
    case Format::kMultiAry:
      if (At(Tok::kIdent) && Peek().line == op_tok.line) s = ParseValueList(&args, Tok::kEof);
      break;
    case Format::kShuffle: {
      s = values(2);
      if (s.ok()) s = comma();
      if (!s.ok()) return s;
      std::vector<uint8_t> bytes;
      s = ParseConstantBytes(Type::Vector(kI8, 16), &bytes);
      if (!s.ok()) return s;
      f_->immediates.push_back(std::move(bytes));
      d->imm = static_cast<int64_t>(f_->immediates.size() - 1);
      break;
    }
    case Format::kIntCompare:
    case Format::kFloatCompare: {
      if (!At(Tok::kIdent)) return Error("expected a condition code");
      if (info.format == Format::kIntCompare) {
        std::optional<IntCC> cc = IntCCFromName(Peek().text);
        if (!cc) return Error("expected an integer condition code (eq, ne, slt, ult, ...)");
        d->cond = static_cast<uint8_t>(*cc);
      } else {
        std::optional<FloatCC> cc = FloatCCFromName(Peek().text);
        if (!cc) return Error("expected a float condition code (eq, lt, uno, ...)");
        d->cond = static_cast<uint8_t>(*cc);
      }
      Next();
      s = values(2);
      break;
    }
    case Format::kJump: {
      uint32_t bc;
      s = ParseBlockCall(&bc);
      calls.push_back(bc);
      break;
    }
    case Format::kBrif: {
      s = value();
      for (int k = 0; k < 2 && s.ok(); ++k) {
        s = comma();
        uint32_t bc;
        if (s.ok()) s = ParseBlockCall(&bc);
        if (s.ok()) calls.push_back(bc);
      }
      break;
    }
    case Format::kBranchTable: {
      s = value();
      if (s.ok()) s = comma();
      uint32_t bc;
      if (s.ok()) s = ParseBlockCall(&bc);
      if (!s.ok()) return s;
      calls.push_back(bc);
      s = comma();
      if (s.ok()) s = Expect(Tok::kLBracket, "'[' to start the jump table");
      if (!s.ok()) return s;
      if (!At(Tok::kRBracket)) {
        for (;;) {
          s = ParseBlockCall(&bc);
          if (!s.ok()) return s;
          calls.push_back(bc);
          if (!Accept(Tok::kComma)) break;
        }
      }
      s = Expect(Tok::kRBracket, "',' or ']' in the jump table");
      break;
    }
    case Format::kCall:
    case Format::kFuncAddr: {
      const Token t = Peek();
      uint32_t fnn;
      s = ParseEntityRef("fn", static_cast<uint32_t>(f_->ext_funcs.size()), &fnn, "a function reference");
      if (!s.ok()) return s;
      if (!f_->ext_funcs[fnn].declared) return ErrorAt(t, "undeclared function reference");
      d->entity = fnn;
      if (info.format == Format::kCall) s = call_args();
      break;
    }
    case Format::kCallIndirect: {
      s = entity("sig", f_->signatures.size(), "a signature", &f_->signature_declared);
      if (s.ok()) s = comma();
      if (s.ok()) s = value();
      if (s.ok()) s = call_args();
      break;
    }
    case Format::kTryCall:
    case Format::kTryCallIndirect: {
      if (info.format == Format::kTryCall) {
        const Token t = Peek();
        uint32_t fnn;
        s = ParseEntityRef("fn", static_cast<uint32_t>(f_->ext_funcs.size()), &fnn, "a function reference");
        if (!s.ok()) return s;
        if (!f_->ext_funcs[fnn].declared) return ErrorAt(t, "undeclared function reference");
        d->entity = fnn;
      } else {
        s = value();
        if (!s.ok()) return s;
      }
      s = call_args();
      if (s.ok()) s = comma();
      if (!s.ok()) return s;
      {
        const Token t = Peek();
        uint32_t sig;
        s = ParseEntityRef("sig", static_cast<uint32_t>(f_->signatures.size()), &sig, "a signature");
        if (!s.ok()) return s;
        if (!f_->signature_declared[sig]) return ErrorAt(t, "undeclared signature");
        if (info.format == Format::kTryCallIndirect) d->entity = sig;
        else d->imm = sig;
      }
      s = comma();
      uint32_t bc;
      if (s.ok()) s = ParseBlockCall(&bc);
      if (!s.ok()) return s;
      calls.push_back(bc);
      s = comma();
      if (s.ok()) s = exception_table();
      break;
    }
    case Format::kAtomicRmw: {
      s = ParseMemFlags(&d->flags);
      if (!s.ok()) return s;
      if (!At(Tok::kIdent)) return Error("expected an atomic operation (add, sub, xchg, ...)");
      std::optional<AtomicRmwOp> rmw = AtomicRmwOpFromName(Peek().text);
      if (!rmw) return Error("expected an atomic operation (add, sub, xchg, ...)");
      Next();
      d->cond = static_cast<uint8_t>(*rmw);
      s = values(2);
      break;
    }
    case Format::kAtomicCas:
      s = ParseMemFlags(&d->flags);
      if (s.ok()) s = values(3);
      break;
    case Format::kLoad:
      s = ParseMemFlags(&d->flags);
      if (s.ok()) s = value();
      if (s.ok()) s = ParseOffset(&d->imm);
      break;
    case Format::kLoadNoOffset:
      s = ParseMemFlags(&d->flags);
      if (s.ok()) s = value();
      break;
    case Format::kStore:
      s = ParseMemFlags(&d->flags);
      if (s.ok()) s = values(2);
      if (s.ok()) s = ParseOffset(&d->imm);
      break;
    case Format::kStoreNoOffset:
      s = ParseMemFlags(&d->flags);
      if (s.ok()) s = values(2);
      break;
    case Format::kStackAddr: {
      const Token t = Peek();
      uint32_t ss;
      s = ParseEntityRef("ss", static_cast<uint32_t>(f_->stack_slots.size()), &ss, "a stack slot");
      if (!s.ok()) return s;
      if (!f_->stack_slots[ss].declared) return ErrorAt(t, "undeclared stack slot");
      d->entity = ss;
      s = ParseOffset(&d->imm);
      break;
    }
    case Format::kDynamicStackAddr: {
      const Token t = Peek();
      uint32_t dss;
      s = ParseEntityRef("dss", static_cast<uint32_t>(f_->dynamic_stack_slots.size()), &dss,
                         "a dynamic stack slot");
      if (!s.ok()) return s;
      if (!f_->dynamic_stack_slots[dss].declared) return ErrorAt(t, "undeclared dynamic stack slot");
      d->entity = dss;
      break;
    }
    case Format::kTrap:
      s = ParseTrapCode(&d->trap);
      break;
    case Format::kCondTrap:
      s = value();
      if (s.ok()) s = comma();
      if (s.ok()) s = ParseTrapCode(&d->trap);
      break;
    case Format::kIntAddTrap:
      s = values(2);
      if (s.ok()) s = comma();
      if (s.ok()) s = ParseTrapCode(&d->trap);
      break;
    case Format::kExceptionHandlerAddress: {
      Block b;
      s = ParseBlockRef(&b);
      if (s.ok()) s = comma();
      if (s.ok()) s = ParseImm64(&d->imm);
      d->entity = b.index();
      break;
    }
  }
  if (!s.ok()) return s;
  // Calls may carry a stack map.
  if ((info.flags & kCall) != 0 && At(Tok::kComma) && Peek(1).kind == Tok::kIdent &&
      Peek(1).text == "stack_map") {
    Next();
    Next();
    s = Expect(Tok::kEqual, "'=' after stack_map");
    if (s.ok()) s = Expect(Tok::kLBracket, "'[' to start the stack map");
    if (!s.ok()) return s;
    std::vector<StackMapEntry> entries;
    if (!At(Tok::kRBracket)) {
      for (;;) {
        StackMapEntry e;
        s = ParseType(&e.type);
        if (s.ok()) s = Expect(Tok::kAt, "'@' in a stack map entry");
        if (!s.ok()) return s;
        const Token t = Peek();
        uint32_t ss;
        s = ParseEntityRef("ss", static_cast<uint32_t>(f_->stack_slots.size()), &ss, "a stack slot");
        if (!s.ok()) return s;
        if (!f_->stack_slots[ss].declared) return ErrorAt(t, "undeclared stack slot");
        e.slot = StackSlot(ss);
        int64_t off;
        s = ParseOffset(&off);
        if (!s.ok()) return s;
        if (off < 0) return Error("stack map offsets are unsigned");
        e.offset = static_cast<uint32_t>(off);
        entries.push_back(e);
        if (!Accept(Tok::kComma)) break;
      }
    }
    s = Expect(Tok::kRBracket, "',' or ']' in the stack map");
    if (!s.ok()) return s;
    f_->stack_maps[inst.index()] = std::move(entries);
  }
  // Infer the controlling type from the designated operand.
  if (info.ctrl >= 0 && !has_suffix) {
    if (static_cast<size_t>(info.ctrl) >= args.size()) return ErrorAt(op_tok, "missing operands");
    Type t = KnownType(args[info.ctrl]);
    if (!t.valid()) {
      return ErrorAt(op_tok, absl::StrCat("cannot infer the type of '", info.name, "': v",
                                          args[info.ctrl].index(),
                                          " is not defined yet, so write a type suffix"));
    }
    *ctrl = t;
  }
  f_->dfg.SetArgs(inst, args);
  d->args = f_->dfg.inst(inst).args;
  if (!calls.empty()) {
    f_->dfg.SetInstBlockCalls(inst, calls);
    d->blocks = f_->dfg.inst(inst).blocks;
  }
  (void)all_declared;
  return absl::OkStatus();
}

// `; run: %f(1, 2) == 3`, `; run: %f() == [1, 2]`, `; print: %f(0)`.
absl::Status Parser::ParseRunDirective(const Token& t, ParsedFunction* pf) {
  absl::string_view s = A(t.text.substr(1));
  s = absl::StripLeadingAsciiWhitespace(s);
  RunDirective r;
  if (absl::ConsumePrefix(&s, "run:")) {
    r.kind = RunDirective::kRun;
  } else if (absl::ConsumePrefix(&s, "print:")) {
    r.kind = RunDirective::kPrint;
  } else {
    return absl::OkStatus();
  }
  r.line = t.line;
  auto fail = [&](absl::string_view msg) {
    return absl::InvalidArgumentError(
        absl::StrCat(filename_, ":", t.line, ":", t.col, ": ", msg, " in a run directive"));
  };
  s = absl::StripAsciiWhitespace(s);
  if (!absl::ConsumePrefix(&s, "%")) return fail("expected '%name('");
  size_t paren = s.find('(');
  if (paren == absl::string_view::npos || paren == 0) return fail("expected '%name('");
  r.function = std::string(s.substr(0, paren));
  s.remove_prefix(paren + 1);
  // Split top-level comma-separated items up to the closing ')'.
  auto split_items = [&](absl::string_view* in, char close, std::vector<std::string>* items) -> bool {
    int depth = 0;
    std::string cur;
    for (size_t i = 0; i < in->size(); ++i) {
      char c = (*in)[i];
      if (depth == 0 && c == close) {
        absl::string_view item = absl::StripAsciiWhitespace(cur);
        if (!item.empty()) items->emplace_back(std::string(item));
        else if (!items->empty()) return false;
        in->remove_prefix(i + 1);
        return true;
      }
      if (c == '[' || c == '(') ++depth;
      if (c == ']' || c == ')') {
        if (--depth < 0) return false;
      }
      if (depth == 0 && c == ',') {
        absl::string_view item = absl::StripAsciiWhitespace(cur);
        if (item.empty()) return false;
        items->emplace_back(std::string(item));
        cur.clear();
        continue;
      }
      cur.push_back(c);
    }
    return false;
  };
  if (!split_items(&s, ')', &r.args)) return fail("malformed argument list");
  s = absl::StripAsciiWhitespace(s);
  if (!s.empty()) {
    if (absl::ConsumePrefix(&s, "==")) r.op = "==";
    else if (absl::ConsumePrefix(&s, "!=")) r.op = "!=";
    else return fail("expected '==' or '!='");
    s = absl::StripAsciiWhitespace(s);
    // `[a, b]` lists several results; `[1 2 3 4]` (no comma) is one vector literal.
    if (!s.empty() && s[0] == '[' && s.find(',') != absl::string_view::npos) {
      s.remove_prefix(1);
      r.bracketed = true;
      if (!split_items(&s, ']', &r.expected)) return fail("malformed result list");
      if (!absl::StripAsciiWhitespace(s).empty()) return fail("unexpected text after the results");
    } else {
      if (s.empty()) return fail("expected a result");
      r.expected.emplace_back(std::string(s));
    }
  }
  pf->run_directives.push_back(std::move(r));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TestFile> ParseTestFile(std::string_view text, std::string_view filename) {
  Parser p(text, filename);
  return p.ParseFile(true);
}

absl::StatusOr<std::unique_ptr<Function>> ParseFunction(std::string_view text,
                                                        std::string_view filename) {
  Parser p(text, filename);
  absl::StatusOr<TestFile> file = p.ParseFile(false);
  if (!file.ok()) return file.status();
  if (file->functions.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(A(filename), ":1:1: expected exactly one function, found ",
                                                   file->functions.size()));
  }
  return std::move(file->functions[0].function);
}

}  // namespace lathe::ir
