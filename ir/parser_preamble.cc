// The CLIF parser: preamble declarations (stack slots, global values, signatures, function
// references, constants, ...).
#include "ir/clif_parser.h"

namespace lathe::ir::clif_parser {

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

}  // namespace lathe::ir::clif_parser
