#include "ir/printer.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ir/atomic_rmw_op.h"
#include "ir/condcodes.h"
#include "ir/ieee_float.h"

namespace lathe::ir {
namespace {

// Imm64's text: decimal for small magnitudes, otherwise hex in groups of four digits.
std::string Imm64Text(int64_t v) {
  if (v > -10000 && v < 10000) return std::to_string(v);
  uint64_t x = static_cast<uint64_t>(v);
  int top = 63 - __builtin_clzll(x);
  int pos = top & ~15;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04x", static_cast<unsigned>((x >> pos) & 0xffff));
  std::string s = std::string("0x") + buf;
  while (pos > 0) {
    pos -= 16;
    std::snprintf(buf, sizeof buf, "_%04x", static_cast<unsigned>((x >> pos) & 0xffff));
    s += buf;
  }
  return s;
}

// Offset32's text: "+N" / "-N", hex for large magnitudes, nothing for zero.
std::string OffsetText(int64_t off) {
  if (off == 0) return "";
  uint64_t mag = off < 0 ? uint64_t(0) - static_cast<uint64_t>(off) : static_cast<uint64_t>(off);
  return (off < 0 ? "-" : "+") + Imm64Text(static_cast<int64_t>(mag));
}

std::string BytesHex(const std::vector<uint8_t>& bytes, int group) {
  std::string s = "0x";
  char buf[3];
  for (size_t i = bytes.size(); i-- > 0;) {
    std::snprintf(buf, sizeof buf, "%02x", bytes[i]);
    s += buf;
    if (group > 0 && i > 0 && i % group == 0) s += "_";
  }
  return s;
}

int64_t SignExtend(int64_t v, uint32_t bits) {
  if (bits == 0 || bits >= 64) return v;
  uint64_t u = static_cast<uint64_t>(v) << (64 - bits);
  return static_cast<int64_t>(u) >> (64 - bits);
}

u128 ConstantBits(const Function& f, uint32_t c) {
  u128 v = 0;
  if (c >= f.constants.size()) return 0;
  const auto& bytes = f.constants[c].bytes;
  for (size_t i = 0; i < bytes.size() && i < 16; ++i) v |= static_cast<u128>(bytes[i]) << (8 * i);
  return v;
}

class Printer {
 public:
  explicit Printer(const Function& f) : f_(f) {
    for (uint32_t loc : f.srclocs) {
      if (loc != Function::kNoSrcLoc) indent_ = 36;
    }
  }

  std::string Function();
  std::string Inst(ir::Inst inst);

 private:
  std::string Ty(Type t) const { return TypeName(f_, t); }
  std::string BlockCall(uint32_t bc) const;
  bool NeedsSuffix(ir::Inst inst) const;
  std::string ConstantComment(ir::Inst inst) const;
  void Preamble(std::string* out) const;

  const ir::Function& f_;
  int indent_ = 4;
};

std::string Printer::BlockCall(uint32_t bc) const {
  const BlockCallData& d = f_.dfg.block_call(bc);
  std::string s = d.block.Name();
  auto args = f_.dfg.block_call_args(bc);
  if (args.empty()) return s;
  s += "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) s += ", ";
    switch (args[i].kind()) {
      case BlockArg::kValue: s += args[i].value().Name(); break;
      case BlockArg::kTryCallRet: s += absl::StrCat("ret", args[i].index()); break;
      case BlockArg::kTryCallExn: s += absl::StrCat("exn", args[i].index()); break;
    }
  }
  return s + ")";
}

bool Printer::NeedsSuffix(ir::Inst inst) const {
  const InstData& d = f_.dfg.inst(inst);
  const OpcodeInfo& info = Info(d.opcode);
  if (info.ctrl == kMono) return false;
  if (info.ctrl == kSuffix) return true;
  auto args = f_.dfg.args(inst);
  if (static_cast<size_t>(info.ctrl) >= args.size()) return true;
  Value v = f_.dfg.Resolve(args[info.ctrl]);
  if (!f_.dfg.value_valid(v)) return true;
  const ValueData& vd = f_.dfg.value(v);
  Block here = f_.layout.inst_block(inst);
  if (vd.kind == ValueData::kParam) return Block(vd.owner) != here;
  if (vd.kind == ValueData::kResult) {
    ir::Inst def(vd.owner);
    // Defined earlier in the same block: a reader can infer the type from it.
    return !(f_.layout.inst_block(def) == here && f_.layout.InstBefore(def, inst));
  }
  return true;
}

std::string Printer::ConstantComment(ir::Inst inst) const {
  std::vector<Value> vals(f_.dfg.args(inst).begin(), f_.dfg.args(inst).end());
  for (uint32_t bc : f_.dfg.block_calls(inst)) {
    for (BlockArg a : f_.dfg.block_call_args(bc)) {
      if (a.kind() == BlockArg::kValue) vals.push_back(a.value());
    }
  }
  std::string s;
  for (Value arg : vals) {
    Value v = f_.dfg.Resolve(arg);
    if (!f_.dfg.value_valid(v) || f_.dfg.value(v).kind != ValueData::kResult) continue;
    const InstData& src = f_.dfg.inst(ir::Inst(f_.dfg.value(v).owner));
    std::string text;
    switch (Info(src.opcode).format) {
      case Format::kUnaryImm: text = Imm64Text(SignExtend(src.imm, src.ctrl_type.bits_total())); break;
      case Format::kUnaryIeee16: text = FormatIeee(static_cast<uint64_t>(src.imm), kHalf); break;
      case Format::kUnaryIeee32: text = FormatIeee(static_cast<uint64_t>(src.imm), kSingle); break;
      case Format::kUnaryIeee64: text = FormatIeee(static_cast<uint64_t>(src.imm), kDouble); break;
      case Format::kUnaryConst:
        text = src.opcode == Opcode::kF128const ? FormatIeee(ConstantBits(f_, src.entity), kQuad)
                                                : Constant(src.entity).Name();
        break;
      default: continue;
    }
    s += s.empty() ? "  ; " : ", ";
    s += arg.Name() + " = " + text;
  }
  return s;
}

std::string Printer::Inst(ir::Inst inst) {
  const InstData& d = f_.dfg.inst(inst);
  const OpcodeInfo& info = Info(d.opcode);
  std::string s;
  auto results = f_.dfg.results(inst);
  if (!results.empty()) {
    for (size_t i = 0; i < results.size(); ++i) {
      if (i) s += ", ";
      s += results[i].Name();
    }
    s += " = ";
  }
  s += info.name;
  if (NeedsSuffix(inst) && d.ctrl_type.valid()) s += "." + Ty(d.ctrl_type);
  auto args = f_.dfg.args(inst);
  auto calls = f_.dfg.block_calls(inst);
  auto arg = [&](size_t i) { return i < args.size() ? args[i].Name() : std::string("v?"); };
  auto list = [&](size_t from) {
    std::string r;
    for (size_t i = from; i < args.size(); ++i) {
      if (i > from) r += ", ";
      r += args[i].Name();
    }
    return r;
  };
  switch (info.format) {
    case Format::kNullAry: break;
    case Format::kUnary: s += " " + arg(0); break;
    case Format::kUnaryImm: s += " " + Imm64Text(SignExtend(d.imm, d.ctrl_type.bits_total())); break;
    case Format::kUnaryIeee16: s += " " + FormatIeee(static_cast<uint64_t>(d.imm), kHalf); break;
    case Format::kUnaryIeee32: s += " " + FormatIeee(static_cast<uint64_t>(d.imm), kSingle); break;
    case Format::kUnaryIeee64: s += " " + FormatIeee(static_cast<uint64_t>(d.imm), kDouble); break;
    case Format::kUnaryConst: s += " " + Constant(d.entity).Name(); break;
    case Format::kUnaryGlobalValue: s += " " + GlobalValue(d.entity).Name(); break;
    case Format::kBinary: s += " " + arg(0) + ", " + arg(1); break;
    case Format::kBinaryImm8: s += absl::StrCat(" ", arg(0), ", ", d.imm); break;
    case Format::kTernary: s += " " + arg(0) + ", " + arg(1) + ", " + arg(2); break;
    case Format::kTernaryImm8: s += absl::StrCat(" ", arg(0), ", ", arg(1), ", ", d.imm); break;
    case Format::kMultiAry:
      if (!args.empty()) s += " " + list(0);
      break;
    case Format::kShuffle: {
      std::vector<uint8_t> bytes;
      if (d.imm >= 0 && static_cast<size_t>(d.imm) < f_.immediates.size()) bytes = f_.immediates[d.imm];
      s += " " + arg(0) + ", " + arg(1) + ", " + BytesHex(bytes, 4);
      break;
    }
    case Format::kIntCompare:
      s += absl::StrCat(" ", Name(static_cast<IntCC>(d.cond)), " ", arg(0), ", ", arg(1));
      break;
    case Format::kFloatCompare:
      s += absl::StrCat(" ", Name(static_cast<FloatCC>(d.cond)), " ", arg(0), ", ", arg(1));
      break;
    case Format::kJump: s += " " + BlockCall(calls[0]); break;
    case Format::kBrif: s += " " + arg(0) + ", " + BlockCall(calls[0]) + ", " + BlockCall(calls[1]); break;
    case Format::kBranchTable: {
      s += " " + arg(0) + ", " + BlockCall(calls[0]) + ", [";
      for (size_t i = 1; i < calls.size(); ++i) {
        if (i > 1) s += ", ";
        s += BlockCall(calls[i]);
      }
      s += "]";
      break;
    }
    case Format::kCall: s += " " + FuncRef(d.entity).Name() + "(" + list(0) + ")"; break;
    case Format::kCallIndirect: s += " " + SigRef(d.entity).Name() + ", " + arg(0) + "(" + list(1) + ")"; break;
    case Format::kTryCall:
    case Format::kTryCallIndirect: {
      const ExceptionTableData& et = f_.dfg.exception_table(ExceptionTable(d.entity2));
      size_t ncontext = 0;
      for (const ExceptionItem& it : et.items) ncontext += it.kind == ExceptionItem::kContext;
      size_t nargs = args.size() - ncontext;
      std::string call_args;
      size_t first = info.format == Format::kTryCall ? 0 : 1;
      for (size_t i = first; i < nargs; ++i) {
        if (i > first) call_args += ", ";
        call_args += args[i].Name();
      }
      if (info.format == Format::kTryCall) {
        s += " " + FuncRef(d.entity).Name() + "(" + call_args + "), " + SigRef(static_cast<uint32_t>(d.imm)).Name();
      } else {
        s += " " + arg(0) + "(" + call_args + "), " + SigRef(d.entity).Name();
      }
      s += ", " + BlockCall(calls[0]) + ", [";
      size_t next_call = 1, next_ctx = nargs;
      for (size_t i = 0; i < et.items.size(); ++i) {
        s += i ? ", " : " ";
        const ExceptionItem& it = et.items[i];
        if (it.kind == ExceptionItem::kContext) {
          s += "context " + arg(next_ctx++);
        } else {
          s += it.kind == ExceptionItem::kDefault ? std::string("default") : absl::StrCat("tag", it.tag);
          s += ": " + BlockCall(calls[next_call++]);
        }
      }
      s += et.items.empty() ? "]" : " ]";
      break;
    }
    case Format::kFuncAddr: s += " " + FuncRef(d.entity).Name(); break;
    case Format::kAtomicRmw:
      s += absl::StrCat(d.flags.ToString(), " ", Name(static_cast<AtomicRmwOp>(d.cond)), " ", arg(0), ", ", arg(1));
      break;
    case Format::kAtomicCas: s += d.flags.ToString() + " " + arg(0) + ", " + arg(1) + ", " + arg(2); break;
    case Format::kLoad: s += d.flags.ToString() + " " + arg(0) + OffsetText(d.imm); break;
    case Format::kLoadNoOffset: s += d.flags.ToString() + " " + arg(0); break;
    case Format::kStore: s += d.flags.ToString() + " " + arg(0) + ", " + arg(1) + OffsetText(d.imm); break;
    case Format::kStoreNoOffset: s += d.flags.ToString() + " " + arg(0) + ", " + arg(1); break;
    case Format::kStackAddr: s += " " + StackSlot(d.entity).Name() + OffsetText(d.imm); break;
    case Format::kDynamicStackAddr: s += " " + DynamicStackSlot(d.entity).Name(); break;
    case Format::kTrap: s += " " + d.trap.Name(); break;
    case Format::kCondTrap: s += " " + arg(0) + ", " + d.trap.Name(); break;
    case Format::kIntAddTrap: s += " " + arg(0) + ", " + arg(1) + ", " + d.trap.Name(); break;
    case Format::kExceptionHandlerAddress: s += absl::StrCat(" ", Block(d.entity).Name(), ", ", d.imm); break;
  }
  auto sm = f_.stack_maps.find(inst.index());
  if (sm != f_.stack_maps.end()) {
    s += ", stack_map=[";
    for (size_t i = 0; i < sm->second.size(); ++i) {
      const StackMapEntry& e = sm->second[i];
      if (i) s += ", ";
      s += absl::StrCat(Ty(e.type), " @ ", e.slot.Name(), "+", e.offset);
    }
    s += "]";
  }
  s += ConstantComment(inst);
  return s;
}

void Printer::Preamble(std::string* out) const {
  const ir::Function& f = f_;
  for (size_t i = 0; i < f.stack_slots.size(); ++i) {
    const StackSlotData& d = f.stack_slots[i];
    if (!d.declared) continue;
    absl::StrAppend(out, "    ss", i, " = explicit_slot ", d.size);
    if (d.align_shift != 0) absl::StrAppend(out, ", align = ", uint64_t{1} << d.align_shift);
    if (d.has_key) absl::StrAppend(out, ", key = ", d.key);
    *out += "\n";
  }
  for (size_t i = 0; i < f.global_values.size(); ++i) {
    const GlobalValueData& d = f.global_values[i];
    if (!d.declared) continue;
    absl::StrAppend(out, "    gv", i, " = ");
    switch (d.kind) {
      case GlobalValueData::kVMContext: *out += "vmctx"; break;
      case GlobalValueData::kLoad:
        absl::StrAppend(out, "load.", Ty(d.type), d.flags.ToString(), " ", d.base.Name(), OffsetText(d.offset));
        break;
      case GlobalValueData::kIAddImm:
        absl::StrAppend(out, "iadd_imm.", Ty(d.type), " ", d.base.Name(), ", ", Imm64Text(d.offset));
        break;
      case GlobalValueData::kSymbol:
        absl::StrAppend(out, "symbol ", d.colocated ? "colocated " : "", d.tls ? "tls " : "",
                        d.name.ToString(), OffsetText(d.offset));
        break;
      case GlobalValueData::kDynScaleTargetConst:
        absl::StrAppend(out, "dyn_scale_target_const.", Ty(d.type));
        break;
    }
    *out += "\n";
  }
  for (size_t i = 0; i < f.dynamic_types.size(); ++i) {
    const DynamicTypeData& d = f.dynamic_types[i];
    if (d.declared) absl::StrAppend(out, "    dt", i, " = ", d.base.Name(), "*", d.scale.Name(), "\n");
  }
  for (size_t i = 0; i < f.dynamic_stack_slots.size(); ++i) {
    const DynamicStackSlotData& d = f.dynamic_stack_slots[i];
    if (d.declared) absl::StrAppend(out, "    dss", i, " = explicit_dynamic_slot ", d.dyn_type.Name(), "\n");
  }
  for (size_t i = 0; i < f.signatures.size(); ++i) {
    if (i < f.signature_declared.size() && f.signature_declared[i]) {
      absl::StrAppend(out, "    sig", i, " = ", f.signatures[i].ToString(), "\n");
    }
  }
  for (size_t i = 0; i < f.ext_funcs.size(); ++i) {
    const ExtFuncData& d = f.ext_funcs[i];
    if (!d.declared) continue;
    absl::StrAppend(out, "    fn", i, " = ", d.colocated ? "colocated " : "", d.patchable ? "patchable " : "",
                    d.name.ToString(), " ", d.signature.Name(), "\n");
  }
  for (size_t i = 0; i < f.constants.size(); ++i) {
    if (f.constants[i].declared) absl::StrAppend(out, "    const", i, " = ", BytesHex(f.constants[i].bytes, 0), "\n");
  }
  for (size_t i = 0; i < f.memory_regions.size(); ++i) {
    const MemoryRegionData& d = f.memory_regions[i];
    if (d.declared) absl::StrAppend(out, "    region", i, " = ", d.user_id, " \"", d.description, "\"\n");
  }
  if (f.stack_limit.valid()) absl::StrAppend(out, "    stack_limit = ", f.stack_limit.Name(), "\n");
}

std::string Printer::Function() {
  std::string out = absl::StrCat("function ", f_.name.ToString(), f_.signature.ToString(), " {\n");
  size_t before = out.size();
  Preamble(&out);
  bool has_preamble = out.size() != before;
  bool first = true;
  const std::string block_indent(indent_ - 4, ' ');
  for (Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    if (!first || has_preamble) out += "\n";
    first = false;
    out += block_indent + b.Name();
    auto params = f_.dfg.block_params(b);
    if (!params.empty()) {
      out += "(";
      for (size_t i = 0; i < params.size(); ++i) {
        if (i) out += ", ";
        out += params[i].Name() + ": " + Ty(f_.dfg.value_type(params[i]));
      }
      out += ")";
    }
    if (f_.dfg.block(b).cold) out += " cold";
    out += ":\n";
    for (ir::Inst i = f_.layout.first_inst(b); i.valid(); i = f_.layout.next_inst(i)) {
      // Aliases used by this instruction come first, each resolved to its final value.
      std::vector<Value> used(f_.dfg.args(i).begin(), f_.dfg.args(i).end());
      for (uint32_t bc : f_.dfg.block_calls(i)) {
        for (BlockArg a : f_.dfg.block_call_args(bc)) {
          if (a.kind() == BlockArg::kValue) used.push_back(a.value());
        }
      }
      for (Value v : used) {
        if (f_.dfg.value_valid(v) && f_.dfg.value(v).kind == ValueData::kAlias) {
          out += std::string(indent_, ' ') + v.Name() + " -> " + f_.dfg.Resolve(v).Name() + "\n";
        }
      }
      std::string prefix;
      uint32_t loc = f_.srcloc(i);
      if (loc != Function::kNoSrcLoc) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "@%04x", loc);
        prefix = buf;
      }
      prefix.resize(indent_ > static_cast<int>(prefix.size()) ? indent_ : prefix.size() + 1, ' ');
      out += prefix;
      auto tags = f_.debug_tags.find(i.index());
      if (tags != f_.debug_tags.end()) {
        out += "<";
        for (size_t k = 0; k < tags->second.size(); ++k) {
          if (k) out += ", ";
          const DebugTag& t = tags->second[k];
          out += t.is_slot ? StackSlot(t.value).Name() : std::to_string(t.value);
        }
        out += "> ";
      }
      out += Inst(i) + "\n";
    }
  }
  out += "}\n";
  return out;
}

}  // namespace

std::string TypeName(const Function& f, Type t) {
  if (t.is_dynamic()) {
    for (size_t i = 0; i < f.dynamic_types.size(); ++i) {
      if (f.dynamic_types[i].declared && f.dynamic_types[i].base == t.dynamic_base()) {
        return DynamicType(static_cast<uint32_t>(i)).Name();
      }
    }
  }
  return t.Name();
}

std::string PrintFunction(const Function& f) { return Printer(f).Function(); }

std::string PrintInst(const Function& f, Inst inst) { return Printer(f).Inst(inst); }

std::string RunDirective::ToString() const {
  std::string s = kind == kRun ? "; run: %" : "; print: %";
  s += function + "(" + absl::StrJoin(args, ", ") + ")";
  if (!op.empty()) {
    s += " " + op + " ";
    if (bracketed) {
      s += "[" + absl::StrJoin(expected, ", ") + "]";
    } else if (!expected.empty()) {
      s += expected[0];
    }
  }
  return s;
}

std::string PrintTestFile(const TestFile& file) {
  std::string out;
  static constexpr const char* kKeywords[] = {"test", "set", "target", "feature"};
  for (const HeaderLine& h : file.headers) {
    out += kKeywords[h.kind];
    for (const std::string& w : h.words) out += " " + w;
    out += "\n";
  }
  for (size_t i = 0; i < file.functions.size(); ++i) {
    if (!out.empty()) out += "\n";
    const ParsedFunction& pf = file.functions[i];
    out += PrintFunction(*pf.function);
    for (const RunDirective& r : pf.run_directives) out += r.ToString() + "\n";
  }
  return out;
}

}  // namespace lathe::ir
