#include "ir/verifier.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ir/cfg.h"
#include "ir/dominator_tree.h"
#include "ir/printer.h"
#include "ir/type_constraint.h"

namespace lathe::ir {
namespace {

// Which controlling types an opcode accepts, beyond what its constraint letters say.
enum class TypeSet { kAny, kInt, kFloat, kIntVector, kVector, kScalarInt };

TypeSet CtrlTypeSet(Opcode op) {
  switch (op) {
    case Opcode::kIadd: case Opcode::kIsub: case Opcode::kIneg: case Opcode::kIabs:
    case Opcode::kImul: case Opcode::kUmulhi: case Opcode::kSmulhi: case Opcode::kUdiv:
    case Opcode::kSdiv: case Opcode::kUrem: case Opcode::kSrem: case Opcode::kSmin:
    case Opcode::kUmin: case Opcode::kSmax: case Opcode::kUmax: case Opcode::kAvgRound:
    case Opcode::kUaddSat: case Opcode::kSaddSat: case Opcode::kUsubSat: case Opcode::kSsubSat:
    case Opcode::kUaddOverflowTrap: case Opcode::kUaddOverflow: case Opcode::kSaddOverflow:
    case Opcode::kUsubOverflow: case Opcode::kSsubOverflow: case Opcode::kUmulOverflow:
    case Opcode::kSmulOverflow: case Opcode::kUaddOverflowCin: case Opcode::kSaddOverflowCin:
    case Opcode::kUsubOverflowBin: case Opcode::kSsubOverflowBin: case Opcode::kRotl:
    case Opcode::kRotr: case Opcode::kIshl: case Opcode::kUshr: case Opcode::kSshr:
    case Opcode::kBitrev: case Opcode::kClz: case Opcode::kCls: case Opcode::kCtz:
    case Opcode::kBswap: case Opcode::kPopcnt: case Opcode::kIcmp: case Opcode::kIconcat:
    case Opcode::kIsplit:
      return TypeSet::kInt;
    case Opcode::kFadd: case Opcode::kFsub: case Opcode::kFmul: case Opcode::kFdiv:
    case Opcode::kSqrt: case Opcode::kFma: case Opcode::kFneg: case Opcode::kFabs:
    case Opcode::kFcopysign: case Opcode::kFmin: case Opcode::kFmax: case Opcode::kCeil:
    case Opcode::kFloor: case Opcode::kTrunc: case Opcode::kNearest: case Opcode::kFcmp:
      return TypeSet::kFloat;
    case Opcode::kSnarrow: case Opcode::kUnarrow: case Opcode::kUunarrow: case Opcode::kSwidenLow:
    case Opcode::kSwidenHigh: case Opcode::kUwidenLow: case Opcode::kUwidenHigh:
    case Opcode::kIaddPairwise: case Opcode::kSqmulRoundSat:
      return TypeSet::kIntVector;
    case Opcode::kVanyTrue: case Opcode::kVallTrue: case Opcode::kExtractlane:
    case Opcode::kInsertlane:
      return TypeSet::kVector;
    case Opcode::kBrif: case Opcode::kTrapz: case Opcode::kTrapnz:
      return TypeSet::kScalarInt;
    default:
      return TypeSet::kAny;
  }
}

bool InTypeSet(TypeSet s, Type t, Opcode op) {
  Type base = t.is_dynamic() ? t.dynamic_base() : t;
  switch (s) {
    case TypeSet::kAny: return true;
    case TypeSet::kInt:
      if (!base.is_int()) return false;
      // Splitting and concatenation work on the widest scalar integers only.
      if (op == Opcode::kIsplit) return !base.is_vector() && base.half_width().valid();
      if (op == Opcode::kIconcat) return !base.is_vector() && base.double_width().valid();
      return true;
    case TypeSet::kFloat: return base.is_float();
    case TypeSet::kIntVector: return base.is_int() && base.is_vector();
    case TypeSet::kVector: return base.is_vector();
    case TypeSet::kScalarInt: return base.is_int() && !base.is_vector();
  }
  return true;
}

class Verifier {
 public:
  Verifier(const Function& f, const VerifierOptions& o) : f_(f), opts_(o) {
    pointer_ = o.pointer_type.valid() ? o.pointer_type : kI64;
  }

  std::vector<VerifierError> Run();

 private:
  void Err(Inst i, std::string msg) { errors_.push_back(VerifierError{i, Block(), std::move(msg)}); }
  void ErrBlock(Block b, std::string msg) { errors_.push_back(VerifierError{Inst(), b, std::move(msg)}); }
  void ErrFn(std::string msg) { errors_.push_back(VerifierError{Inst(), Block(), std::move(msg)}); }
  std::string Ty(Type t) const { return TypeName(f_, t); }

  void CheckSignatures();
  void CheckPreamble();
  void CheckEntryBlock();
  void CheckLayout();
  void CheckInst(Inst i);
  void CheckUse(Inst i, Value v);
  void CheckBranches(Inst i);
  void CheckCall(Inst i);
  void CheckMemory(Inst i);
  void CheckSpecific(Inst i);
  Type GlobalValueType(GlobalValue gv) const;
  const Signature* CalleeSignature(Inst i) const;
  std::string InstText(Inst i) const;

  const Function& f_;
  const VerifierOptions& opts_;
  Type pointer_;
  ControlFlowGraph cfg_;
  DominatorTree domtree_;
  std::vector<VerifierError> errors_;
};

std::string Verifier::InstText(Inst i) const {
  std::string s = PrintInst(f_, i);
  size_t c = s.find("  ; ");
  if (c != std::string::npos) s.resize(c);
  size_t eq = s.find(" = ");
  if (eq != std::string::npos && s[0] == 'v') s = s.substr(eq + 3);
  return s;
}

Type Verifier::GlobalValueType(GlobalValue gv) const {
  if (!gv.valid() || gv.index() >= f_.global_values.size()) return Type();
  const GlobalValueData& d = f_.global_values[gv.index()];
  switch (d.kind) {
    case GlobalValueData::kVMContext:
    case GlobalValueData::kSymbol:
      return pointer_;
    default:
      return d.type;
  }
}

void Verifier::CheckSignatures() {
  auto check = [&](const Signature& sig, bool report_ext) {
    if (sig.call_conv == CallConv::kPreserveAll && !sig.returns.empty()) {
      ErrFn("Signature with `preserve_all` ABI cannot have return values");
    }
    if (!report_ext) return;
    auto ext_name = [](AbiParam::Extension e) { return e == AbiParam::kSext ? "Sext" : "Uext"; };
    for (size_t k = 0; k < sig.params.size(); ++k) {
      const AbiParam& p = sig.params[k];
      if (p.ext != AbiParam::kNoExt && (!p.type.is_int() || p.type.is_vector())) {
        ErrFn(absl::StrCat("Parameter at position ", k, " has invalid extension ", ext_name(p.ext)));
      }
    }
    for (size_t k = 0; k < sig.returns.size(); ++k) {
      const AbiParam& p = sig.returns[k];
      if (p.ext != AbiParam::kNoExt && (!p.type.is_int() || p.type.is_vector())) {
        ErrFn(absl::StrCat("Return value at position ", k, " has invalid extension ", ext_name(p.ext)));
      }
    }
  };
  check(f_.signature, true);
  for (size_t i = 0; i < f_.signatures.size(); ++i) {
    if (i < f_.signature_declared.size() && f_.signature_declared[i]) check(f_.signatures[i], false);
  }
}

void Verifier::CheckPreamble() {
  // Global values: base references, cycles (walked iteratively), base types, vmctx.
  const size_t n = f_.global_values.size();
  std::vector<char> done(n, 0), in_cycle(n, 0);
  for (size_t start = 0; start < n; ++start) {
    if (!f_.global_values[start].declared || done[start]) continue;
    std::vector<uint32_t> path;
    std::vector<char> on_path(n, 0);
    uint32_t cur = static_cast<uint32_t>(start);
    for (;;) {
      if (cur >= n || !f_.global_values[cur].declared || done[cur]) break;
      if (on_path[cur]) {
        auto it = std::find(path.begin(), path.end(), cur);
        std::vector<uint32_t> cycle(it, path.end());
        std::sort(cycle.begin(), cycle.end());
        for (uint32_t c : cycle) in_cycle[c] = 1;
        std::string list;
        for (size_t k = 0; k < cycle.size(); ++k) absl::StrAppend(&list, k ? ", " : "", "gv", cycle[k]);
        ErrFn("global value cycle: [" + list + "]");
        break;
      }
      on_path[cur] = 1;
      path.push_back(cur);
      const GlobalValueData& d = f_.global_values[cur];
      if (d.kind != GlobalValueData::kLoad && d.kind != GlobalValueData::kIAddImm) break;
      cur = d.base.index();
    }
    for (uint32_t p : path) done[p] = 1;
  }
  bool has_vmctx_param = false;
  for (const AbiParam& p : f_.signature.params) has_vmctx_param |= p.purpose == AbiParam::kVmctx;
  for (size_t i = 0; i < n; ++i) {
    const GlobalValueData& d = f_.global_values[i];
    if (!d.declared) continue;
    if (d.kind == GlobalValueData::kVMContext && !has_vmctx_param) {
      ErrFn(absl::StrCat("gv", i, ": undeclared vmctx reference"));
    }
    if ((d.kind == GlobalValueData::kLoad || d.kind == GlobalValueData::kIAddImm) && !in_cycle[i]) {
      if (d.base.index() >= n || !f_.global_values[d.base.index()].declared) {
        ErrFn(absl::StrCat("gv", i, ": invalid base global value ", d.base.Name()));
        continue;
      }
      Type bt = GlobalValueType(d.base);
      if (d.kind == GlobalValueData::kLoad && bt != pointer_) {
        ErrFn(absl::StrCat("gv", i, ": base ", d.base.Name(), " has type ", Ty(bt),
                           ", which is not the pointer type ", Ty(pointer_)));
      }
      if (d.kind == GlobalValueData::kIAddImm && bt != d.type) {
        ErrFn(absl::StrCat("gv", i, ": iadd_imm type ", Ty(d.type), " differs from its base type ", Ty(bt)));
      }
    }
  }
  for (size_t a = 0; a < f_.memory_regions.size(); ++a) {
    if (!f_.memory_regions[a].declared) continue;
    for (size_t b = a + 1; b < f_.memory_regions.size(); ++b) {
      if (f_.memory_regions[b].declared && f_.memory_regions[b].user_id == f_.memory_regions[a].user_id) {
        ErrFn(absl::StrCat("duplicate alias region user_id ", f_.memory_regions[a].user_id));
      }
    }
  }
  if (f_.stack_limit.valid() &&
      (f_.stack_limit.index() >= n || !f_.global_values[f_.stack_limit.index()].declared)) {
    ErrFn("stack_limit names an undeclared global value");
  }
}

void Verifier::CheckEntryBlock() {
  Block entry = f_.layout.entry_block();
  if (!entry.valid()) {
    ErrFn("function has no blocks");
    return;
  }
  auto params = f_.dfg.block_params(entry);
  const auto& sig = f_.signature.params;
  if (params.size() != sig.size()) {
    ErrBlock(entry, absl::StrCat("entry block parameters (", params.size(),
                                 ") must match function signature (", sig.size(), ")"));
  } else {
    for (size_t k = 0; k < params.size(); ++k) {
      Type t = f_.dfg.value_type(params[k]);
      if (t != sig[k].type) {
        ErrBlock(entry, absl::StrCat("entry block parameter ", k, " expected to have type ",
                                     Ty(sig[k].type), ", got ", Ty(t)));
      }
    }
  }
  if (f_.dfg.block(entry).cold) ErrBlock(entry, "entry block cannot be marked as cold");
}

void Verifier::CheckLayout() {
  for (Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    Inst last = f_.layout.last_inst(b);
    if (!last.valid()) {
      ErrBlock(b, absl::StrCat(b.Name(), " is empty; every block needs a terminator"));
      continue;
    }
    for (Inst i = f_.layout.first_inst(b); i.valid(); i = f_.layout.next_inst(i)) {
      bool term = (Info(f_.dfg.inst(i).opcode).flags & kTerm) != 0;
      if (term && i != last) {
        Err(i, absl::StrCat("a terminator instruction was encountered before the end of ", b.Name()));
      }
    }
    if ((Info(f_.dfg.inst(last).opcode).flags & kTerm) == 0) {
      Err(last, absl::StrCat(b.Name(), " does not end in a terminator"));
    }
  }
}

void Verifier::CheckUse(Inst i, Value arg) {
  if (!f_.dfg.value_valid(arg)) {
    Err(i, absl::StrCat("invalid value reference ", arg.Name()));
    return;
  }
  Value v = f_.dfg.Resolve(arg);
  if (!f_.dfg.value_valid(v)) {
    Err(i, absl::StrCat("value ", arg.Name(), " is an alias of nothing"));
    return;
  }
  Block use_block = f_.layout.inst_block(i);
  if (!domtree_.IsReachable(use_block)) return;  // dominance is vacuous in unreachable code
  const ValueData& d = f_.dfg.value(v);
  if (d.kind == ValueData::kParam) {
    Block def(d.owner);
    if (!f_.layout.IsBlockInserted(def)) {
      Err(i, absl::StrCat("uses value ", v.Name(), " from a block that is not in the layout"));
    } else if (!domtree_.Dominates(def, use_block)) {
      Err(i, absl::StrCat("uses value arg from non-dominating ", def.Name()));
    }
  } else if (d.kind == ValueData::kResult) {
    Inst def(d.owner);
    if (def == i) {
      Err(i, absl::StrCat("uses value ", v.Name(), " from itself"));
    } else if (!f_.layout.IsInstInserted(def)) {
      Err(i, absl::StrCat("uses value ", v.Name(), " from an instruction that is not in the layout"));
    } else if (!domtree_.InstDominates(f_, def, i)) {
      Err(i, absl::StrCat("uses value ", v.Name(), " from non-dominating inst", def.index()));
    }
  }
}

const Signature* Verifier::CalleeSignature(Inst i) const {
  const InstData& d = f_.dfg.inst(i);
  switch (Info(d.opcode).format) {
    case Format::kTryCall:
      return static_cast<uint64_t>(d.imm) < f_.signatures.size() ? &f_.signatures[d.imm] : nullptr;
    case Format::kCall: {
      if (d.entity >= f_.ext_funcs.size()) return nullptr;
      SigRef s = f_.ext_funcs[d.entity].signature;
      return s.index() < f_.signatures.size() ? &f_.signatures[s.index()] : nullptr;
    }
    case Format::kCallIndirect:
    case Format::kTryCallIndirect:
      return d.entity < f_.signatures.size() ? &f_.signatures[d.entity] : nullptr;
    default:
      return nullptr;
  }
}

void Verifier::CheckBranches(Inst i) {
  const InstData& d = f_.dfg.inst(i);
  const bool is_try = Info(d.opcode).format == Format::kTryCall ||
                      Info(d.opcode).format == Format::kTryCallIndirect;
  const Signature* callee = is_try ? CalleeSignature(i) : nullptr;
  auto calls = f_.dfg.block_calls(i);
  for (size_t k = 0; k < calls.size(); ++k) {
    const BlockCallData& bc = f_.dfg.block_call(calls[k]);
    if (!f_.dfg.block_valid(bc.block) || !f_.layout.IsBlockInserted(bc.block)) {
      Err(i, absl::StrCat("invalid block reference ", bc.block.Name()));
      continue;
    }
    if (bc.block == f_.layout.entry_block()) Err(i, "the entry block cannot be a branch target");
    auto args = f_.dfg.block_call_args(calls[k]);
    auto params = f_.dfg.block_params(bc.block);
    if (args.size() != params.size()) {
      Err(i, absl::StrCat("mismatched argument count for `", InstText(i), "`: got ", args.size(),
                          ", expected ", params.size(), " for ", bc.block.Name()));
      continue;
    }
    for (size_t a = 0; a < args.size(); ++a) {
      Type want = f_.dfg.value_type(params[a]);
      Type got;
      std::string name;
      switch (args[a].kind()) {
        case BlockArg::kValue: {
          Value v = args[a].value();
          CheckUse(i, v);
          if (!f_.dfg.value_valid(v)) continue;
          got = f_.dfg.value_type(v);
          name = v.Name();
          break;
        }
        case BlockArg::kTryCallRet: {
          name = absl::StrCat("ret", args[a].index());
          if (!is_try || k != 0) {
            Err(i, "`retN` block argument used outside normal-return target of `try_call`");
            continue;
          }
          if (callee == nullptr || args[a].index() >= callee->returns.size()) {
            Err(i, "out-of-bounds `retN` block argument");
            continue;
          }
          got = callee->returns[args[a].index()].type;
          break;
        }
        case BlockArg::kTryCallExn: {
          name = absl::StrCat("exn", args[a].index());
          if (!is_try || k == 0) {
            Err(i, "`exnN` block argument used outside normal-return target of `try_call`");
            continue;
          }
          // Exception payloads arrive in two pointer-sized registers.
          if (args[a].index() >= 2) {
            Err(i, "out-of-bounds `exnN` block argument");
            continue;
          }
          got = pointer_;
          break;
        }
      }
      if (got != want) {
        Err(i, absl::StrCat("arg ", name, " has type ", Ty(got), ", expected ", Ty(want)));
      }
    }
  }
}

void Verifier::CheckCall(Inst i) {
  const InstData& d = f_.dfg.inst(i);
  const OpcodeInfo& info = Info(d.opcode);
  auto args = f_.dfg.args(i);
  const Signature* sig = CalleeSignature(i);
  if (sig == nullptr) {
    Err(i, "call through an invalid function or signature reference");
    return;
  }
  size_t first = (info.format == Format::kCallIndirect || info.format == Format::kTryCallIndirect) ? 1 : 0;
  size_t nargs = args.size() - first;
  if (info.format == Format::kTryCall || info.format == Format::kTryCallIndirect) {
    const ExceptionTableData& et = f_.dfg.exception_table(ExceptionTable(d.entity2));
    for (const ExceptionItem& it : et.items) nargs -= it.kind == ExceptionItem::kContext;
  }
  if (nargs != sig->params.size()) {
    Err(i, absl::StrCat("mismatched argument count for `", InstText(i), "`: got ", nargs,
                        ", expected ", sig->params.size()));
  } else {
    for (size_t k = 0; k < nargs; ++k) {
      Value v = args[first + k];
      if (!f_.dfg.value_valid(v)) continue;
      Type got = f_.dfg.value_type(v), want = sig->params[k].type;
      if (got != want) {
        Err(i, absl::StrCat("arg ", k, " (", v.Name(), ") has type ", Ty(got), ", expected ", Ty(want)));
      }
    }
  }
  if (info.format == Format::kCall || info.format == Format::kTryCall) {
    const ExtFuncData& ef = f_.ext_funcs[d.entity];
    if (ef.patchable && !ef.colocated) Err(i, "patchable call to non-colocated function");
    if (ef.patchable && !sig->returns.empty()) {
      Err(i, "patchable call cannot occur to a function with return values");
    }
  }
  if ((info.flags & kReturn) != 0) {
    // Tail calls: only the `tail` convention supports them, and caller and callee must agree.
    if (sig->call_conv != CallConv::kTail) {
      Err(i, absl::StrCat("calling convention `", Name(sig->call_conv), "` does not support tail calls"));
    }
    if (sig->call_conv != f_.signature.call_conv) Err(i, "callee's calling convention must match caller");
    if (sig->returns.size() != f_.signature.returns.size()) {
      Err(i, "results of callee must match caller");
    } else {
      for (size_t k = 0; k < sig->returns.size(); ++k) {
        if (sig->returns[k].type != f_.signature.returns[k].type) {
          Err(i, absl::StrCat("result ", k, " has type ", Ty(sig->returns[k].type),
                              ", must match function signature of ", Ty(f_.signature.returns[k].type)));
        }
      }
    }
  }
  if (info.format == Format::kTryCall || info.format == Format::kTryCallIndirect) {
    uint32_t table_sig = info.format == Format::kTryCall ? static_cast<uint32_t>(d.imm) : d.entity;
    if (info.format == Format::kTryCall) {
      SigRef fs = f_.ext_funcs[d.entity].signature;
      if (fs.index() != table_sig && !(f_.signatures[fs.index()] == f_.signatures[table_sig])) {
        Err(i, absl::StrCat("exception table signature sig", table_sig, " did not match function fn",
                            d.entity, "'s signature ", fs.Name()));
      }
    }
    if (sig->call_conv == CallConv::kWindowsFastcall) {
      Err(i, "calling convention `windows_fastcall` of callee does not support exceptions");
    }
  }
}

void Verifier::CheckMemory(Inst i) {
  const InstData& d = f_.dfg.inst(i);
  const Format fmt = Info(d.opcode).format;
  auto args = f_.dfg.args(i);
  if (d.flags.region.valid() && (d.flags.region.index() >= f_.memory_regions.size() ||
                                 !f_.memory_regions[d.flags.region.index()].declared)) {
    Err(i, absl::StrCat("undefined alias region ", d.flags.region.Name()));
  }
  if ((Info(d.opcode).flags & kStore) != 0 && d.flags.has(MemFlags::kReadonly) &&
      (fmt == Format::kStore || fmt == Format::kStoreNoOffset)) {
    Err(i, "A store instruction cannot have the `readonly` MemFlag");
  }
  int addr = -1;
  switch (fmt) {
    case Format::kLoad: addr = 0; break;
    case Format::kStore: addr = 1; break;
    case Format::kLoadNoOffset: addr = d.opcode == Opcode::kBitcast ? -1 : 0; break;
    case Format::kStoreNoOffset: addr = 1; break;
    case Format::kAtomicRmw: addr = 0; break;
    case Format::kAtomicCas: addr = 0; break;
    default: break;
  }
  if (addr >= 0 && opts_.pointer_type.valid() && static_cast<size_t>(addr) < args.size() &&
      f_.dfg.value_valid(args[addr])) {
    Type t = f_.dfg.value_type(args[addr]);
    if (t != opts_.pointer_type) {
      Err(i, absl::StrCat("invalid pointer width (got ", t.bits_total(), ", expected ",
                          opts_.pointer_type.bits_total(), ") encountered ", args[addr].Name()));
    }
  }
}

void Verifier::CheckSpecific(Inst i) {
  const InstData& d = f_.dfg.inst(i);
  auto args = f_.dfg.args(i);
  Type ctrl = d.ctrl_type;
  switch (d.opcode) {
    case Opcode::kExtractlane:
    case Opcode::kInsertlane:
      if (ctrl.is_vector() && !ctrl.is_dynamic() && static_cast<uint64_t>(d.imm) >= ctrl.lane_count()) {
        Err(i, absl::StrCat("The lane ", d.imm, " does not index into the type ", Ty(ctrl)));
      }
      break;
    case Opcode::kShuffle:
      if (d.imm >= 0 && static_cast<size_t>(d.imm) < f_.immediates.size()) {
        for (uint8_t b : f_.immediates[d.imm]) {
          if (b > 31) {
            Err(i, absl::StrCat("shuffle immediate index ", b, " is larger than the maximum 31"));
            break;
          }
        }
      }
      break;
    case Opcode::kVconst:
    case Opcode::kF128const: {
      Type t = d.opcode == Opcode::kF128const ? kF128 : ctrl;
      if (d.entity >= f_.constants.size() || !f_.constants[d.entity].declared) {
        Err(i, absl::StrCat("invalid constant reference const", d.entity));
      } else if (f_.constants[d.entity].bytes.size() != t.bytes()) {
        Err(i, absl::StrCat("The instruction expects const", d.entity, " to have a size of ", t.bytes(),
                            " bytes but it has ", f_.constants[d.entity].bytes.size()));
      }
      break;
    }
    case Opcode::kBitcast: {
      MemFlags endian_only;
      endian_only.bits = d.flags.bits & (MemFlags::kBig | MemFlags::kLittle);
      if (!(endian_only == d.flags)) {
        Err(i, "The bitcast instruction only accepts the `big` or `little` memory flags");
      }
      if (!args.empty() && f_.dfg.value_valid(args[0])) {
        Type from = f_.dfg.value_type(args[0]);
        if (from.bits_total() != ctrl.bits_total()) {
          Err(i, absl::StrCat("The bitcast argument ", args[0].Name(), " has a type of ", from.bits_total(),
                              " bits, which doesn't match an expected type of ", ctrl.bits_total(), " bits"));
        } else if (from.lane_count() != ctrl.lane_count() &&
                   (d.flags.bits & (MemFlags::kBig | MemFlags::kLittle)) == 0) {
          Err(i, "Byte order specifier required for bitcast instruction changing lane count");
        }
      }
      break;
    }
    case Opcode::kSymbolValue:
    case Opcode::kTlsValue: {
      GlobalValue gv(d.entity);
      if (gv.index() >= f_.global_values.size() || !f_.global_values[gv.index()].declared) {
        Err(i, absl::StrCat("invalid global value reference ", gv.Name()));
        break;
      }
      Type t = GlobalValueType(gv);
      if (t != ctrl) {
        Err(i, absl::StrCat("global_value instruction with type ", Ty(ctrl),
                            " references global value with type ", Ty(t)));
      }
      break;
    }
    case Opcode::kGetExceptionHandlerAddress: {
      Block b(d.entity);
      if (!f_.dfg.block_valid(b) || !f_.layout.IsBlockInserted(b)) {
        Err(i, absl::StrCat("invalid block reference ", b.Name()));
        break;
      }
      if (d.imm < 0) {
        Err(i, absl::StrCat("exception handler index ", d.imm, " cannot be negative"));
        break;
      }
      Inst last = f_.layout.last_inst(b);
      Format lf = last.valid() ? Info(f_.dfg.inst(last).opcode).format : Format::kNullAry;
      if (lf != Format::kTryCall && lf != Format::kTryCallIndirect) {
        Err(i, absl::StrCat("referenced block ", b.Name(), " does not end in a try_call"));
        break;
      }
      size_t handlers = f_.dfg.block_calls(last).size() - 1;
      if (static_cast<uint64_t>(d.imm) >= handlers) {
        Err(i, absl::StrCat("exception handler index ", d.imm, " is out-of-range"));
      }
      break;
    }
    case Opcode::kStackAddr:
      if (d.entity >= f_.stack_slots.size() || !f_.stack_slots[d.entity].declared) {
        Err(i, absl::StrCat("invalid stack slot ss", d.entity));
      }
      break;
    default:
      break;
  }
}

void Verifier::CheckInst(Inst i) {
  const InstData& d = f_.dfg.inst(i);
  const OpcodeInfo& info = Info(d.opcode);
  auto args = f_.dfg.args(i);
  auto results = f_.dfg.results(i);
  if (f_.debug_tags.count(i.index()) != 0 && (info.flags & kCall) == 0 &&
      d.opcode != Opcode::kSequencePoint) {
    Err(i, "debug tags present on non-call, non-sequence point instruction");
  }
  for (Value v : args) CheckUse(i, v);
  // Operand and result types against the opcode's constraints.
  const size_t nfixed = std::char_traits<char>::length(info.operands);
  if (args.size() < nfixed) {
    Err(i, absl::StrCat("expected at least ", nfixed, " operands, got ", args.size()));
    return;
  }
  if (info.ctrl != kMono && !d.ctrl_type.valid()) {
    Err(i, "polymorphic instruction without a controlling type");
    return;
  }
  if (info.ctrl >= 0) {
    Value cv = args[info.ctrl];
    if (f_.dfg.value_valid(cv) && !InTypeSet(CtrlTypeSet(d.opcode), d.ctrl_type, d.opcode)) {
      Err(i, absl::StrCat("arg ", static_cast<int>(info.ctrl), " (", cv.Name(), ") with type ",
                          Ty(f_.dfg.value_type(cv)), " failed to satisfy type set"));
      return;
    }
  } else if (info.ctrl == kSuffix && !InTypeSet(CtrlTypeSet(d.opcode), d.ctrl_type, d.opcode)) {
    Err(i, absl::StrCat("type ", Ty(d.ctrl_type), " is not allowed for ", info.name));
    return;
  }
  if (!args.empty() && f_.dfg.value_valid(args[0])) {
    Type from = f_.dfg.value_type(args[0]), to = d.ctrl_type;
    bool ok = true;
    switch (d.opcode) {
      case Opcode::kUextend: case Opcode::kSextend:
        ok = from.is_int() && to.is_int() && from.lane_count() == to.lane_count() && from.lane_bits() < to.lane_bits();
        break;
      case Opcode::kIreduce:
        ok = from.is_int() && to.is_int() && from.lane_count() == to.lane_count() && from.lane_bits() > to.lane_bits();
        break;
      case Opcode::kFpromote:
        ok = from.is_float() && to.is_float() && from.lane_count() == to.lane_count() && from.lane_bits() < to.lane_bits();
        break;
      case Opcode::kFdemote:
        ok = from.is_float() && to.is_float() && from.lane_count() == to.lane_count() && from.lane_bits() > to.lane_bits();
        break;
      default:
        break;
    }
    if (!ok) {
      Err(i, absl::StrCat("arg 0 (", args[0].Name(), ") with type ", Ty(from), " failed to satisfy type set"));
      return;
    }
  }
  for (size_t k = 0; k < nfixed; ++k) {
    char c = info.operands[k];
    if (c == 'X' || !f_.dfg.value_valid(args[k])) continue;
    Type want = ConstraintType(c, d.ctrl_type);
    Type got = f_.dfg.value_type(args[k]);
    if (!want.valid()) {
      Err(i, absl::StrCat("type ", Ty(d.ctrl_type), " has no derived operand type for arg ", k));
    } else if (got != want) {
      Err(i, absl::StrCat("arg ", k, " (", args[k].Name(), ") has type ", Ty(got), ", expected ", Ty(want)));
    }
  }
  if ((info.flags & kCall) == 0) {
    const size_t nres = std::char_traits<char>::length(info.results);
    if (results.size() != nres) {
      Err(i, absl::StrCat("has ", results.size(), " results, expected ", nres));
    } else {
      for (size_t k = 0; k < nres; ++k) {
        char c = info.results[k];
        Type want = c == 'X' ? d.ctrl_type : ConstraintType(c, d.ctrl_type);
        Type got = f_.dfg.value_type(results[k]);
        if (got != want) {
          Err(i, absl::StrCat("result ", k, " (", results[k].Name(), ") has type ", Ty(got), ", expected ", Ty(want)));
        }
      }
    }
  } else if ((info.flags & kReturn) == 0 && info.format != Format::kTryCall &&
             info.format != Format::kTryCallIndirect) {
    const Signature* sig = CalleeSignature(i);
    if (sig != nullptr) {
      if (results.size() != sig->returns.size()) {
        Err(i, absl::StrCat("has ", results.size(), " results, but the callee returns ", sig->returns.size()));
      } else {
        for (size_t k = 0; k < results.size(); ++k) {
          if (f_.dfg.value_type(results[k]) != sig->returns[k].type) {
            Err(i, absl::StrCat("result ", k, " (", results[k].Name(), ") has type ",
                                Ty(f_.dfg.value_type(results[k])), ", but the callee returns ",
                                Ty(sig->returns[k].type)));
          }
        }
      }
    }
  }
  if (d.opcode == Opcode::kReturn) {
    const auto& rets = f_.signature.returns;
    if (args.size() != rets.size()) {
      Err(i, "arguments of return must match function signature");
    } else {
      for (size_t k = 0; k < args.size(); ++k) {
        if (!f_.dfg.value_valid(args[k])) continue;
        Type t = f_.dfg.value_type(args[k]);
        if (t != rets[k].type) {
          Err(i, absl::StrCat("result ", k, " has type ", Ty(t), ", must match function signature of ",
                              Ty(rets[k].type)));
        }
      }
    }
  }
  if ((info.flags & kCall) != 0) CheckCall(i);
  if ((info.flags & kBranch) != 0) CheckBranches(i);
  if ((info.flags & (kLoad | kStore)) != 0 || d.opcode == Opcode::kBitcast) CheckMemory(i);
  CheckSpecific(i);
}

std::vector<VerifierError> Verifier::Run() {
  CheckSignatures();
  CheckPreamble();
  CheckEntryBlock();
  CheckLayout();
  cfg_.Compute(f_);
  domtree_.Compute(f_, cfg_);
  for (Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    for (Inst i = f_.layout.first_inst(b); i.valid(); i = f_.layout.next_inst(i)) CheckInst(i);
  }
  return std::move(errors_);
}

}  // namespace

std::vector<VerifierError> Verify(const Function& f, const VerifierOptions& options) {
  return Verifier(f, options).Run();
}

std::string FormatVerifierError(const Function& f, const VerifierError& e) {
  if (e.inst.valid()) {
    std::string text = PrintInst(f, e.inst);
    size_t c = text.find("  ; ");
    if (c != std::string::npos) text.resize(c);
    return absl::StrCat("inst", e.inst.index(), " (", text, "): ", e.message);
  }
  if (e.block.valid()) return absl::StrCat(e.block.Name(), ": ", e.message);
  return e.message;
}

absl::Status VerifyFunction(const Function& f, const VerifierOptions& options) {
  std::vector<VerifierError> errors = Verify(f, options);
  if (errors.empty()) return absl::OkStatus();
  std::string msg = absl::StrCat(f.name.ToString(), ": ", errors.size(), " verifier error(s)");
  for (const VerifierError& e : errors) absl::StrAppend(&msg, "\n  ", FormatVerifierError(f, e));
  return absl::InvalidArgumentError(msg);
}

}  // namespace lathe::ir
