#include "frontend/function_builder.h"

#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"
#include "ir/type_constraint.h"

namespace lathe::frontend {

using ir::Block;
using ir::Inst;
using ir::Type;
using ir::Value;

namespace {
uint64_t Key(Variable v, Block b) { return (uint64_t{v.index()} << 32) | b.index(); }
}  // namespace

FunctionBuilder::BlockState& FunctionBuilder::state(Block b) {
  if (b.index() >= blocks_.size()) blocks_.resize(b.index() + 1);
  return blocks_[b.index()];
}

Block FunctionBuilder::CreateBlock() {
  Block b = f_->dfg.MakeBlock();
  state(b);
  return b;
}

void FunctionBuilder::SwitchToBlock(Block b) {
  if (!f_->dfg.block_valid(b)) {
    Fail(absl::StrCat("SwitchToBlock: ", b.Name(), " was not created"));
    return;
  }
  if (!f_->layout.IsBlockInserted(b)) f_->layout.AppendBlock(b);
  cur_ = b;
}

void FunctionBuilder::AppendEntryParams(Block b) {
  for (const ir::AbiParam& p : f_->signature.params) AppendBlockParam(b, p.type);
}

Value FunctionBuilder::AppendBlockParam(Block b, Type t) {
  if (!f_->dfg.block_valid(b)) {
    Fail("AppendBlockParam: invalid block");
    return Value();
  }
  if (!state(b).preds.empty()) {
    Fail(absl::StrCat("AppendBlockParam: ", b.Name(), " already has predecessors"));
    return Value();
  }
  return f_->dfg.AppendBlockParam(b, t);
}

Variable FunctionBuilder::DeclareVar(Type t) {
  var_types_.push_back(t);
  return Variable(static_cast<uint32_t>(var_types_.size() - 1));
}

void FunctionBuilder::DefVar(Variable v, Value value) {
  if (!v.valid() || v.index() >= var_types_.size()) {
    Fail("DefVar: undeclared variable");
    return;
  }
  if (!cur_.valid()) {
    Fail("DefVar: no current block");
    return;
  }
  if (!f_->dfg.value_valid(value) || f_->dfg.value_type(value) != var_types_[v.index()]) {
    Fail(absl::StrCat("DefVar: ", v.Name(), " has type ", var_types_[v.index()].Name(),
                      " but the value does not"));
    return;
  }
  defs_[Key(v, cur_)] = value;
}

Value FunctionBuilder::UseVar(Variable v) {
  if (!v.valid() || v.index() >= var_types_.size()) {
    Fail("UseVar: undeclared variable");
    return Value();
  }
  if (!cur_.valid()) {
    Fail("UseVar: no current block");
    return Value();
  }
  return ReadVariable(v, cur_);
}

Value FunctionBuilder::ReadVariable(Variable v, Block b) { return RunReadMachine(v, b, Value()); }

// The recursive formulation (read in the single predecessor, or make a parameter and read in
// every predecessor) becomes a loop over an explicit stack of frames; values flow between
// frames on a separate results stack.
Value FunctionBuilder::RunReadMachine(Variable var, Block start, Value pending_param) {
  enum Kind : uint8_t { kRead, kWriteDef, kFinishParam };
  struct Frame {
    Kind kind;
    Block block;
    Value param;
    size_t next_pred;
  };
  std::vector<Frame> stack;
  std::vector<Value> results;
  const Type type = var_types_[var.index()];
  if (pending_param.valid()) {
    stack.push_back(Frame{kFinishParam, start, pending_param, 0});
  } else {
    stack.push_back(Frame{kRead, start, Value(), 0});
  }
  while (!stack.empty()) {
    Frame fr = stack.back();
    stack.pop_back();
    switch (fr.kind) {
      case kRead: {
        auto it = defs_.find(Key(var, fr.block));
        if (it != defs_.end()) {
          results.push_back(f_->dfg.Resolve(it->second));
          break;
        }
        BlockState& st = state(fr.block);
        if (!st.sealed) {
          Value p = f_->dfg.AppendBlockParam(fr.block, type);
          st.incomplete.push_back({var, p});
          st.var_params.push_back(p);
          defs_[Key(var, fr.block)] = p;
          results.push_back(p);
          break;
        }
        if (st.preds.size() == 1) {
          stack.push_back(Frame{kWriteDef, fr.block, Value(), 0});
          stack.push_back(Frame{kRead, st.preds[0].block, Value(), 0});
          break;
        }
        if (st.preds.empty()) {
          // The entry block (or an unreachable one) and no definition: a use before any def.
          Fail(absl::StrCat("UseVar: ", var.Name(), " is used before it is defined"));
          Value zero = Value();
          results.push_back(zero);
          break;
        }
        Value p = f_->dfg.AppendBlockParam(fr.block, type);
        st.var_params.push_back(p);
        defs_[Key(var, fr.block)] = p;  // breaks cycles through loops
        stack.push_back(Frame{kFinishParam, fr.block, p, 0});
        break;
      }
      case kWriteDef:
        defs_[Key(var, fr.block)] = results.back();
        break;
      case kFinishParam: {
        BlockState& st = state(fr.block);
        if (fr.next_pred > 0) {
          Value incoming = results.back();
          results.pop_back();
          AppendBranchArg(st.preds[fr.next_pred - 1], incoming.valid() ? incoming : fr.param);
        }
        if (fr.next_pred < st.preds.size()) {
          stack.push_back(Frame{kFinishParam, fr.block, fr.param, fr.next_pred + 1});
          stack.push_back(Frame{kRead, st.preds[fr.next_pred].block, Value(), 0});
          break;
        }
        TryRemoveTrivial(fr.block, fr.param);
        results.push_back(f_->dfg.Resolve(fr.param));
        break;
      }
    }
  }
  return results.empty() ? Value() : results.back();
}

void FunctionBuilder::AppendBranchArg(const PredEdge& e, Value v) {
  std::vector<ir::BlockArg> args(f_->dfg.block_call_args(e.call).begin(),
                                 f_->dfg.block_call_args(e.call).end());
  args.push_back(ir::BlockArg::Of(v));
  f_->dfg.SetBlockCallArgs(e.call, args);
}

// A parameter is trivial when every incoming value is the same value (or the parameter
// itself). It is then removed from the block and from every branch to it, and becomes an
// alias of that value.
bool FunctionBuilder::TryRemoveTrivial(Block b, Value param) {
  if (f_->dfg.value(param).kind != ir::ValueData::kParam) return false;
  BlockState& st = state(b);
  if (!st.sealed || st.preds.empty()) return false;
  const uint32_t pos = f_->dfg.value(param).num;
  Value same;
  for (const PredEdge& e : st.preds) {
    auto args = f_->dfg.block_call_args(e.call);
    if (pos >= args.size()) return false;  // not completed yet
    Value v = f_->dfg.Resolve(args[pos].value());
    if (v == param || v == same) continue;
    if (same.valid()) return false;
    same = v;
  }
  if (!same.valid()) return false;  // only self-references: unreachable cycle, keep it
  for (const PredEdge& e : st.preds) {
    std::vector<ir::BlockArg> args(f_->dfg.block_call_args(e.call).begin(),
                                   f_->dfg.block_call_args(e.call).end());
    args.erase(args.begin() + pos);
    f_->dfg.SetBlockCallArgs(e.call, args);
  }
  f_->dfg.RemoveBlockParam(b, pos);
  f_->dfg.MakeAlias(param, same);
  f_->dfg.mutable_value(param).type = f_->dfg.value_type(same);
  return true;
}

void FunctionBuilder::SealBlock(Block b) {
  if (!f_->dfg.block_valid(b)) {
    Fail("SealBlock: invalid block");
    return;
  }
  BlockState& st = state(b);
  if (st.sealed) return;
  st.sealed = true;
  std::vector<std::pair<Variable, Value>> pending;
  pending.swap(st.incomplete);
  for (const auto& [var, param] : pending) {
    if (state(b).preds.empty()) {
      Fail(absl::StrCat("UseVar: ", var.Name(), " is used before it is defined"));
      continue;
    }
    RunReadMachine(var, b, param);
  }
}

void FunctionBuilder::SealAllBlocks() {
  for (size_t i = 0; i < f_->dfg.num_blocks(); ++i) {
    Block b(static_cast<uint32_t>(i));
    if (f_->dfg.block_valid(b)) SealBlock(b);
  }
}

bool FunctionBuilder::CanEmit() {
  if (!cur_.valid()) {
    Fail("no current block: call SwitchToBlock first");
    return false;
  }
  if (state(cur_).filled) {
    Fail(absl::StrCat(cur_.Name(), " already ends in a terminator"));
    return false;
  }
  return true;
}

Inst FunctionBuilder::Emit(ir::InstData d, absl::Span<const Value> args, absl::Span<const Target> targets) {
  if (!CanEmit()) return Inst();
  const ir::OpcodeInfo& info = ir::Info(d.opcode);
  for (Value v : args) {
    if (!f_->dfg.value_valid(v)) {
      Fail(absl::StrCat(info.name, ": invalid operand ", v.Name()));
      return Inst();
    }
  }
  // Shape checks, so that a malformed request is an error here rather than a broken function.
  const size_t fixed = std::char_traits<char>::length(info.operands);
  const bool variadic = info.format == ir::Format::kMultiAry || (info.flags & ir::kCall) != 0 ||
                        info.format == ir::Format::kTryCall || info.format == ir::Format::kTryCallIndirect;
  if (args.size() < fixed || (!variadic && args.size() != fixed)) {
    Fail(absl::StrCat(info.name, ": expected ", fixed, " operands, got ", args.size()));
    return Inst();
  }
  size_t want_targets = 0;
  switch (info.format) {
    case ir::Format::kJump: want_targets = 1; break;
    case ir::Format::kBrif: want_targets = 2; break;
    default: break;
  }
  const bool many_targets = info.format == ir::Format::kBranchTable;
  if ((many_targets && targets.empty()) || (!many_targets && targets.size() != want_targets)) {
    Fail(absl::StrCat(info.name, ": wrong number of branch targets (", targets.size(), ")"));
    return Inst();
  }
  if (info.format == ir::Format::kTryCall || info.format == ir::Format::kTryCallIndirect) {
    Fail(absl::StrCat(info.name, ": not supported by FunctionBuilder::Emit yet"));
    return Inst();
  }
  if (info.format == ir::Format::kCall || info.format == ir::Format::kFuncAddr) {
    if (d.entity >= f_->ext_funcs.size() || !f_->ext_funcs[d.entity].declared ||
        f_->ext_funcs[d.entity].signature.index() >= f_->signatures.size()) {
      Fail(absl::StrCat(info.name, ": invalid function reference"));
      return Inst();
    }
  }
  if (info.format == ir::Format::kCallIndirect && d.entity >= f_->signatures.size()) {
    Fail(absl::StrCat(info.name, ": invalid signature reference"));
    return Inst();
  }
  if ((info.format == ir::Format::kStackAddr && d.entity >= f_->stack_slots.size()) ||
      (info.format == ir::Format::kUnaryGlobalValue && d.entity >= f_->global_values.size()) ||
      (info.format == ir::Format::kUnaryConst && d.entity >= f_->constants.size()) ||
      (info.format == ir::Format::kDynamicStackAddr && d.entity >= f_->dynamic_stack_slots.size()) ||
      (info.format == ir::Format::kShuffle && static_cast<uint64_t>(d.imm) >= f_->immediates.size())) {
    Fail(absl::StrCat(info.name, ": invalid entity reference"));
    return Inst();
  }
  if (info.ctrl >= 0 && !d.ctrl_type.valid()) {
    if (static_cast<size_t>(info.ctrl) >= args.size()) {
      Fail(absl::StrCat(info.name, ": missing operands"));
      return Inst();
    }
    d.ctrl_type = f_->dfg.value_type(args[info.ctrl]);
  }
  if (info.ctrl == ir::kSuffix && !d.ctrl_type.valid()) {
    Fail(absl::StrCat(info.name, ": needs a controlling type"));
    return Inst();
  }
  Inst inst = f_->dfg.MakeInst(d);
  f_->dfg.SetArgs(inst, args);
  std::vector<uint32_t> calls;
  for (const Target& t : targets) {
    if (!f_->dfg.block_valid(t.block)) {
      Fail(absl::StrCat(info.name, ": invalid target block"));
      return Inst();
    }
    std::vector<ir::BlockArg> bargs;
    for (Value v : t.args) bargs.push_back(ir::BlockArg::Of(v));
    uint32_t bc = f_->dfg.MakeBlockCall(t.block, bargs);
    calls.push_back(bc);
    BlockState& ts = state(t.block);
    if (ts.sealed) {
      Fail(absl::StrCat(info.name, ": ", t.block.Name(), " is sealed and cannot get a new predecessor"));
      return Inst();
    }
    ts.preds.push_back(PredEdge{cur_, bc});
  }
  if (!calls.empty()) f_->dfg.SetInstBlockCalls(inst, calls);
  // Results from the opcode's constraints, or from the callee's signature.
  std::vector<Type> types;
  if ((info.flags & ir::kCall) != 0) {
    ir::SigRef sig;
    if (info.format == ir::Format::kCall) sig = f_->ext_funcs[d.entity].signature;
    if (info.format == ir::Format::kCallIndirect) sig = ir::SigRef(d.entity);
    if (sig.valid() && (info.flags & ir::kReturn) == 0) {
      for (const ir::AbiParam& p : f_->signatures[sig.index()].returns) types.push_back(p.type);
    }
  } else {
    for (const char* c = info.results; *c; ++c) {
      types.push_back(*c == 'X' ? d.ctrl_type : ir::ConstraintType(*c, d.ctrl_type));
    }
  }
  f_->dfg.SetResults(inst, std::vector<Value>(types.size()));
  for (size_t k = 0; k < types.size(); ++k) f_->dfg.mutable_value(f_->dfg.results(inst)[k]).type = types[k];
  f_->layout.AppendInst(inst, cur_);
  if ((info.flags & ir::kTerm) != 0) state(cur_).filled = true;
  return inst;
}

Value FunctionBuilder::Iconst(Type t, int64_t imm) {
  ir::InstData d;
  d.opcode = ir::Opcode::kIconst;
  d.ctrl_type = t;
  uint32_t bits = t.bits_total();
  d.imm = bits < 64 ? static_cast<int64_t>(static_cast<uint64_t>(imm) & ((uint64_t{1} << bits) - 1)) : imm;
  Inst i = Emit(d, {}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

Value FunctionBuilder::Unary(ir::Opcode op, Value x) {
  ir::InstData d;
  d.opcode = op;
  Inst i = Emit(d, {x}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

Value FunctionBuilder::Convert(ir::Opcode op, Type to, Value x) {
  ir::InstData d;
  d.opcode = op;
  d.ctrl_type = to;
  Inst i = Emit(d, {x}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

Value FunctionBuilder::Binary(ir::Opcode op, Value x, Value y) {
  ir::InstData d;
  d.opcode = op;
  Inst i = Emit(d, {x, y}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

Value FunctionBuilder::Icmp(ir::IntCC cc, Value x, Value y) {
  ir::InstData d;
  d.opcode = ir::Opcode::kIcmp;
  d.cond = static_cast<uint8_t>(cc);
  Inst i = Emit(d, {x, y}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

Value FunctionBuilder::Select(Value c, Value x, Value y) {
  ir::InstData d;
  d.opcode = ir::Opcode::kSelect;
  Inst i = Emit(d, {c, x, y}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

Value FunctionBuilder::F32const(float v) {
  ir::InstData d;
  d.opcode = ir::Opcode::kF32const;
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  d.imm = bits;
  Inst i = Emit(d, {}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

Value FunctionBuilder::F64const(double v) {
  ir::InstData d;
  d.opcode = ir::Opcode::kF64const;
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  d.imm = static_cast<int64_t>(bits);
  Inst i = Emit(d, {}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

Value FunctionBuilder::Load(Type t, ir::MemFlags flags, Value addr, int32_t offset) {
  ir::InstData d;
  d.opcode = ir::Opcode::kLoad;
  d.ctrl_type = t;
  d.flags = flags;
  d.imm = offset;
  Inst i = Emit(d, {addr}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

void FunctionBuilder::Store(ir::MemFlags flags, Value x, Value addr, int32_t offset) {
  ir::InstData d;
  d.opcode = ir::Opcode::kStore;
  d.flags = flags;
  d.imm = offset;
  Emit(d, {x, addr}, {});
}

Value FunctionBuilder::StackAddr(Type pointer, ir::StackSlot slot, int32_t offset) {
  if (!slot.valid() || slot.index() >= f_->stack_slots.size()) {
    Fail("StackAddr: invalid stack slot");
    return Value();
  }
  ir::InstData d;
  d.opcode = ir::Opcode::kStackAddr;
  d.ctrl_type = pointer;
  d.entity = slot.index();
  d.imm = offset;
  Inst i = Emit(d, {}, {});
  return i.valid() ? f_->dfg.first_result(i) : Value();
}

absl::Span<const Value> FunctionBuilder::Call(ir::FuncRef callee, absl::Span<const Value> args) {
  if (!callee.valid() || callee.index() >= f_->ext_funcs.size() || !f_->ext_funcs[callee.index()].declared) {
    Fail("Call: invalid function reference");
    return {};
  }
  ir::InstData d;
  d.opcode = ir::Opcode::kCall;
  d.entity = callee.index();
  Inst i = Emit(d, args, {});
  return i.valid() ? f_->dfg.results(i) : absl::Span<const Value>();
}

absl::Span<const Value> FunctionBuilder::CallIndirect(ir::SigRef sig, Value callee, absl::Span<const Value> args) {
  if (!sig.valid() || sig.index() >= f_->signatures.size()) {
    Fail("CallIndirect: invalid signature reference");
    return {};
  }
  ir::InstData d;
  d.opcode = ir::Opcode::kCallIndirect;
  d.entity = sig.index();
  std::vector<Value> all;
  all.push_back(callee);
  all.insert(all.end(), args.begin(), args.end());
  Inst i = Emit(d, all, {});
  return i.valid() ? f_->dfg.results(i) : absl::Span<const Value>();
}

void FunctionBuilder::Jump(Block target, absl::Span<const Value> args) {
  ir::InstData d;
  d.opcode = ir::Opcode::kJump;
  Target t{target, std::vector<Value>(args.begin(), args.end())};
  Emit(d, {}, {t});
}

void FunctionBuilder::Brif(Value c, Block then_block, absl::Span<const Value> then_args, Block else_block,
                           absl::Span<const Value> else_args) {
  ir::InstData d;
  d.opcode = ir::Opcode::kBrif;
  Target t{then_block, std::vector<Value>(then_args.begin(), then_args.end())};
  Target e{else_block, std::vector<Value>(else_args.begin(), else_args.end())};
  Emit(d, {c}, {t, e});
}

void FunctionBuilder::BrTable(Value index, Block otherwise, absl::Span<const Block> table) {
  ir::InstData d;
  d.opcode = ir::Opcode::kBrTable;
  std::vector<Target> targets;
  targets.push_back(Target{otherwise, {}});
  for (Block b : table) targets.push_back(Target{b, {}});
  Emit(d, {index}, targets);
}

void FunctionBuilder::Return(absl::Span<const Value> values) {
  ir::InstData d;
  d.opcode = ir::Opcode::kReturn;
  Emit(d, values, {});
}

void FunctionBuilder::Trap(ir::TrapCode code) {
  ir::InstData d;
  d.opcode = ir::Opcode::kTrap;
  d.trap = code;
  Emit(d, {}, {});
}

absl::Status FunctionBuilder::Finalize() {
  for (Block b = f_->layout.first_block(); b.valid(); b = f_->layout.next_block(b)) {
    if (!state(b).sealed) Fail(absl::StrCat(b.Name(), " was never sealed"));
    if (!state(b).filled) Fail(absl::StrCat(b.Name(), " does not end in a terminator"));
  }
  if (!status_.ok()) return status_;
  // Removing one parameter can make another trivial (a loop parameter fed by one that just
  // became an alias), so iterate to a fixed point.
  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t i = 0; i < blocks_.size(); ++i) {
      Block b(static_cast<uint32_t>(i));
      for (Value p : blocks_[i].var_params) {
        if (f_->dfg.value(p).kind == ir::ValueData::kParam && TryRemoveTrivial(b, p)) changed = true;
      }
    }
  }
  // Rewrite every use of an alias to the value it stands for, so no alias is left in use.
  for (Block b = f_->layout.first_block(); b.valid(); b = f_->layout.next_block(b)) {
    for (Inst i = f_->layout.first_inst(b); i.valid(); i = f_->layout.next_inst(i)) {
      for (Value& v : f_->dfg.mutable_args(i)) v = f_->dfg.Resolve(v);
      for (uint32_t bc : f_->dfg.block_calls(i)) {
        std::vector<ir::BlockArg> args(f_->dfg.block_call_args(bc).begin(), f_->dfg.block_call_args(bc).end());
        bool any = false;
        for (ir::BlockArg& a : args) {
          if (a.kind() == ir::BlockArg::kValue && f_->dfg.Resolve(a.value()) != a.value()) {
            a = ir::BlockArg::Of(f_->dfg.Resolve(a.value()));
            any = true;
          }
        }
        if (any) f_->dfg.SetBlockCallArgs(bc, args);
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace lathe::frontend
