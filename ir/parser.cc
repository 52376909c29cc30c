#include "ir/parser.h"

#include "ir/clif_parser.h"

namespace lathe::ir {
namespace clif_parser {

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

}  // namespace clif_parser

using clif_parser::A;
using clif_parser::Parser;

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
