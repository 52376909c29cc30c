// The CLIF parser: one instruction, its results, opcode, type suffix and operands by format.
#include "ir/clif_parser.h"

namespace lathe::ir::clif_parser {

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

}  // namespace lathe::ir::clif_parser
