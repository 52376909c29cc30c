#include "wasm-frontend/translator.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "frontend/function_builder.h"
#include "ir/condcodes.h"
#include "wasm-frontend/operator_reader.h"

namespace lathe::wasm {

using frontend::FunctionBuilder;
using frontend::Variable;
using ir::Block;
using ir::Value;

ir::Type IrType(ValType t) {
  switch (t) {
    case ValType::kI32:
      return ir::kI32;
    case ValType::kI64:
      return ir::kI64;
    case ValType::kF32:
      return ir::kF32;
    case ValType::kF64:
      return ir::kF64;
    default:
      return ir::kI64;  // references are pointers; v128 never gets here (rejected by validation)
  }
}

static ir::AbiParam Param(ir::Type t) {
  ir::AbiParam p;
  p.type = t;
  return p;
}

ir::Signature IrSignature(const FuncType& t) {
  ir::Signature s;
  ir::AbiParam vm = Param(ir::kI64);
  vm.purpose = ir::AbiParam::kVmctx;
  s.params.push_back(vm);
  for (ValType p : t.params) s.params.push_back(Param(IrType(p)));
  for (ValType r : t.results) s.returns.push_back(Param(IrType(r)));
  return s;
}

ir::Signature RuntimeSignature(RuntimeFn fn) {
  ir::Signature s;
  ir::AbiParam vm = Param(ir::kI64);
  vm.purpose = ir::AbiParam::kVmctx;
  s.params.push_back(vm);
  auto add = [&](std::initializer_list<ir::Type> ps) {
    for (ir::Type t : ps) s.params.push_back(Param(t));
  };
  const ir::Type i32 = ir::kI32, i64 = ir::kI64;
  switch (fn) {
    case RuntimeFn::kMemoryGrow: add({i32}); break;
    case RuntimeFn::kMemoryFill: add({i32, i32, i32}); break;
    case RuntimeFn::kMemoryCopy: add({i32, i32, i32}); break;
    case RuntimeFn::kMemoryInit: add({i32, i32, i32, i32}); break;
    case RuntimeFn::kDataDrop: add({i32}); break;
    case RuntimeFn::kTableGrow: add({i32, i64, i32}); break;
    case RuntimeFn::kTableFill: add({i32, i32, i64, i32}); break;
    case RuntimeFn::kTableCopy: add({i32, i32, i32, i32, i32}); break;
    case RuntimeFn::kTableInit: add({i32, i32, i32, i32, i32}); break;
    case RuntimeFn::kElemDrop: add({i32}); break;
    case RuntimeFn::kCount: break;
  }
  if (fn != RuntimeFn::kDataDrop && fn != RuntimeFn::kElemDrop) s.returns.push_back(Param(i32));
  return s;
}

namespace {

// Metadata loads from vmctx and its arrays: never trap, always aligned.
ir::MemFlags VmFlags() {
  ir::MemFlags f;
  f.trap = ir::TrapCode();
  f.set(ir::MemFlags::kAligned);
  return f;
}

ir::MemFlags HeapFlags() {
  ir::MemFlags f;
  f.set(ir::MemFlags::kLittle);
  return f;
}

class FunctionTranslator {
 public:
  FunctionTranslator(const Module& m, uint32_t func_index, const TranslateOptions& opt, ir::Function* f)
      : m_(m), func_index_(func_index), opt_(opt), f_(f), b_(f) {}

  absl::Status Run();

 private:
  enum class Kind : uint8_t { kFunc, kBlock, kLoop, kIf, kElse };
  struct Frame {
    Kind kind;
    Block header;  // kLoop: the branch target
    Block cont;    // the continuation after `end` (branch target of non-loops)
    Block else_block;
    std::vector<ValType> params, results;
    size_t height = 0;  // value stack height below the params
    std::vector<Value> if_params;
    bool cont_used = false;
  };

  absl::Status Error(uint32_t offset, std::string msg) const {
    return absl::InvalidArgumentError(
        absl::StrCat("byte offset 0x", absl::Hex(offset), ": function ", func_index_, ": ", msg));
  }
  Value Pop() {
    if (stack_.empty()) return Value();
    Value v = stack_.back();
    stack_.pop_back();
    return v;
  }
  std::vector<Value> PopN(size_t n) {
    n = std::min(n, stack_.size());
    std::vector<Value> out(stack_.end() - n, stack_.end());
    stack_.resize(stack_.size() - n);
    return out;
  }
  std::vector<Value> TopN(size_t n) const {
    n = std::min(n, stack_.size());
    return std::vector<Value>(stack_.end() - n, stack_.end());
  }
  void Push(Value v) { stack_.push_back(v); }

  void BlockTypeOf(const BlockType& bt, std::vector<ValType>* params, std::vector<ValType>* results) {
    params->clear();
    results->clear();
    if (bt.kind == BlockType::Kind::kValue) results->push_back(bt.value);
    if (bt.kind == BlockType::Kind::kTypeIndex && bt.type_index < m_.types.size()) {
      *params = m_.types[bt.type_index].params;
      *results = m_.types[bt.type_index].results;
    }
  }
  Block NewBlockWithParams(const std::vector<ValType>& types) {
    Block blk = b_.CreateBlock();
    for (ValType t : types) b_.AppendBlockParam(blk, IrType(t));
    return blk;
  }
  // Branch to the label `depth` levels out, passing the top values.
  FunctionBuilder::Target LabelTarget(uint32_t depth) {
    Frame& fr = frames_[frames_.size() - 1 - depth];
    if (fr.kind == Kind::kLoop) return {fr.header, TopN(fr.params.size())};
    fr.cont_used = true;
    return {fr.cont, TopN(fr.results.size())};
  }

  // vmctx is never reassigned and the entry parameter dominates every block, so it needs no
  // SSA variable (a variable would add block parameters at every merge, removed only later).
  Value Vm() const { return vmctx_; }
  Value VmLoad(ir::Type t, Value base, int32_t off) { return b_.Load(t, VmFlags(), base, off); }
  Value Iconst(ir::Type t, int64_t v) { return b_.Iconst(t, v); }
  Value Bool(Value i8) { return b_.Convert(ir::Opcode::kUextend, ir::kI32, i8); }
  void TrapIf(Value cond, ir::TrapCode code) {
    ir::InstData d;
    d.opcode = ir::Opcode::kTrapnz;
    d.trap = code;
    b_.Emit(d, {cond}, {});
  }
  void TrapIfZero(Value cond, ir::TrapCode code) {
    ir::InstData d;
    d.opcode = ir::Opcode::kTrapz;
    d.trap = code;
    b_.Emit(d, {cond}, {});
  }
  Value FloatConst(bool is64, uint64_t bits) {
    ir::InstData d;
    d.opcode = is64 ? ir::Opcode::kF64const : ir::Opcode::kF32const;
    d.imm = static_cast<int64_t>(bits);
    ir::Inst i = b_.Emit(d, {}, {});
    return i.valid() ? f_->dfg.first_result(i) : Value();
  }
  Value Fcmp(ir::FloatCC cc, Value x, Value y) {
    ir::InstData d;
    d.opcode = ir::Opcode::kFcmp;
    d.cond = static_cast<uint8_t>(cc);
    ir::Inst i = b_.Emit(d, {x, y}, {});
    return i.valid() ? f_->dfg.first_result(i) : Value();
  }
  Value ZeroOf(ValType t) {
    switch (t) {
      case ValType::kF32:
        return FloatConst(false, 0);
      case ValType::kF64:
        return FloatConst(true, 0);
      default:
        return Iconst(IrType(t), 0);
    }
  }

  ir::FuncRef FuncRefFor(uint32_t func_index);
  ir::SigRef SigFor(uint32_t type_index);
  ir::FuncRef RuntimeRef(RuntimeFn fn);
  std::vector<Value> CallRuntime(RuntimeFn fn, std::vector<Value> args) {
    args.insert(args.begin(), Vm());
    auto r = b_.Call(RuntimeRef(fn), args);
    return std::vector<Value>(r.begin(), r.end());
  }
  // Address of the storage of global `g`.
  Value GlobalAddr(uint32_t g) {
    Value arr = VmLoad(ir::kI64, Vm(), opt_.vmctx.globals);
    return VmLoad(ir::kI64, arr, static_cast<int32_t>(8 * g));
  }
  // The descriptor address of table `t`.
  Value TableDesc(uint32_t t) {
    Value arr = VmLoad(ir::kI64, Vm(), opt_.vmctx.tables);
    return b_.Binary(ir::Opcode::kIadd, arr, Iconst(ir::kI64, int64_t{16} * t));
  }
  // Address of element `index` (i32) of table `t`, trapping with `code` when out of bounds.
  Value TableElemAddr(uint32_t t, Value index, ir::TrapCode code) {
    Value desc = TableDesc(t);
    Value len = VmLoad(ir::kI64, desc, 8);
    Value idx = b_.Convert(ir::Opcode::kUextend, ir::kI64, index);
    TrapIf(b_.Icmp(ir::IntCC::kUge, idx, len), code);
    Value elems = VmLoad(ir::kI64, desc, 0);
    Value scaled = b_.Binary(ir::Opcode::kIshl, idx, Iconst(ir::kI64, 3));
    return b_.Binary(ir::Opcode::kIadd, elems, scaled);
  }
  // The host address of a `size`-byte access at i32 `index` + `offset`, bounds-checked.
  Value HeapAddr(Value index, uint32_t offset, uint32_t size) {
    Value idx = b_.Convert(ir::Opcode::kUextend, ir::kI64, index);
    if (uint64_t{offset} + size > opt_.heap_guard_bytes) {
      Value end = b_.Binary(ir::Opcode::kIadd, idx, Iconst(ir::kI64, int64_t{offset} + size));
      Value bound = VmLoad(ir::kI64, Vm(), opt_.vmctx.memory_size);
      TrapIf(b_.Icmp(ir::IntCC::kUgt, end, bound), ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
    }
    Value base = VmLoad(ir::kI64, Vm(), opt_.vmctx.memory_base);
    Value addr = b_.Binary(ir::Opcode::kIadd, base, idx);
    if (offset != 0) addr = b_.Binary(ir::Opcode::kIadd, addr, Iconst(ir::kI64, offset));
    return addr;
  }
  void HeapLoad(ir::Opcode op, ir::Type t, uint32_t size, const Operator& o) {
    Value addr = HeapAddr(Pop(), o.mem_offset, size);
    ir::InstData d;
    d.opcode = op;
    d.ctrl_type = t;
    d.flags = HeapFlags();
    ir::Inst i = b_.Emit(d, {addr}, {});
    Push(i.valid() ? f_->dfg.first_result(i) : Value());
  }
  void HeapStore(ir::Opcode op, uint32_t size, const Operator& o) {
    Value x = Pop();
    Value addr = HeapAddr(Pop(), o.mem_offset, size);
    ir::InstData d;
    d.opcode = op;
    d.flags = HeapFlags();
    b_.Emit(d, {x, addr}, {});
  }
  void DoCall(uint32_t func_index);
  void DoCallIndirect(uint32_t type_index, uint32_t table);
  absl::Status Numeric(const Operator& o, bool* handled);
  absl::Status Control(const Operator& o);
  absl::Status Translate(const Operator& o);
  void EndFrame();

  const Module& m_;
  uint32_t func_index_;
  const TranslateOptions& opt_;
  ir::Function* f_;
  FunctionBuilder b_;
  Value vmctx_;
  std::vector<Variable> locals_;
  std::vector<ValType> local_types_;
  std::vector<Value> stack_;
  std::vector<Frame> frames_;
  bool reachable_ = true;
  uint32_t dead_depth_ = 0;  // blocks opened inside unreachable code
  absl::flat_hash_map<uint32_t, ir::FuncRef> func_refs_;
  absl::flat_hash_map<uint32_t, ir::SigRef> sig_refs_;
  absl::flat_hash_map<uint32_t, ir::FuncRef> runtime_refs_;
};

ir::SigRef FunctionTranslator::SigFor(uint32_t type_index) {
  auto it = sig_refs_.find(type_index);
  if (it != sig_refs_.end()) return it->second;
  ir::SigRef s = f_->AddSignature(IrSignature(m_.types[type_index]), true);
  sig_refs_[type_index] = s;
  return s;
}

ir::FuncRef FunctionTranslator::FuncRefFor(uint32_t func_index) {
  auto it = func_refs_.find(func_index);
  if (it != func_refs_.end()) return it->second;
  ir::SigRef s = SigFor(m_.func_types[func_index]);
  ir::FuncRef r = f_->ImportFunction(ir::ExternalName::User(opt_.func_namespace, func_index), s, true);
  func_refs_[func_index] = r;
  return r;
}

ir::FuncRef FunctionTranslator::RuntimeRef(RuntimeFn fn) {
  const uint32_t id = static_cast<uint32_t>(fn);
  auto it = runtime_refs_.find(id);
  if (it != runtime_refs_.end()) return it->second;
  ir::SigRef s = f_->AddSignature(RuntimeSignature(fn), true);
  ir::FuncRef r = f_->ImportFunction(ir::ExternalName::User(opt_.runtime_namespace, id), s, false);
  runtime_refs_[id] = r;
  return r;
}

void FunctionTranslator::DoCall(uint32_t func_index) {
  const FuncType& t = m_.TypeOfFunction(func_index);
  std::vector<Value> args = PopN(t.params.size());
  std::vector<Value> results;
  if (func_index >= m_.num_imported_funcs) {
    args.insert(args.begin(), Vm());
    auto r = b_.Call(FuncRefFor(func_index), args);
    results.assign(r.begin(), r.end());
  } else {
    // Imports go through their function record, which carries the callee's own vmctx.
    Value arr = VmLoad(ir::kI64, Vm(), opt_.vmctx.funcs);
    Value rec = VmLoad(ir::kI64, arr, static_cast<int32_t>(8 * func_index));
    Value code = VmLoad(ir::kI64, rec, kFuncRecordCode);
    args.insert(args.begin(), VmLoad(ir::kI64, rec, kFuncRecordVmctx));
    auto r = b_.CallIndirect(SigFor(m_.func_types[func_index]), code, args);
    results.assign(r.begin(), r.end());
  }
  for (Value v : results) Push(v);
}

void FunctionTranslator::DoCallIndirect(uint32_t type_index, uint32_t table) {
  Value index = Pop();
  std::vector<Value> args = PopN(m_.types[type_index].params.size());
  Value slot = TableElemAddr(table, index, kTrapUndefinedElement);
  Value rec = VmLoad(ir::kI64, slot, 0);
  TrapIfZero(rec, kTrapNullFuncRef);
  Value got = VmLoad(ir::kI32, rec, kFuncRecordTypeId);
  Value ids = VmLoad(ir::kI64, Vm(), opt_.vmctx.type_ids);
  Value want = VmLoad(ir::kI32, ids, static_cast<int32_t>(4 * type_index));
  TrapIf(b_.Icmp(ir::IntCC::kNe, got, want), kTrapBadSignature);
  Value code = VmLoad(ir::kI64, rec, kFuncRecordCode);
  args.insert(args.begin(), VmLoad(ir::kI64, rec, kFuncRecordVmctx));
  auto r = b_.CallIndirect(SigFor(type_index), code, args);
  std::vector<Value> results(r.begin(), r.end());
  for (Value v : results) Push(v);
}

void FunctionTranslator::EndFrame() {
  Frame fr = std::move(frames_.back());
  frames_.pop_back();
  if (fr.kind == Kind::kLoop) {
    b_.SealBlock(fr.header);
    if (!reachable_) stack_.resize(std::min(stack_.size(), fr.height));
    return;  // the results are already on the stack of the fall-through path
  }
  if (reachable_) {
    b_.Jump(fr.cont, TopN(fr.results.size()));
    fr.cont_used = true;
  }
  if (fr.kind == Kind::kIf) {
    // No else arm: the implicit one passes the parameters through as results.
    b_.SwitchToBlock(fr.else_block);
    b_.SealBlock(fr.else_block);
    b_.Jump(fr.cont, fr.if_params);
    fr.cont_used = true;
  }
  stack_.resize(std::min(stack_.size(), fr.height));
  b_.SealBlock(fr.cont);
  if (fr.cont_used) {
    b_.SwitchToBlock(fr.cont);
    for (Value v : f_->dfg.block_params(fr.cont)) Push(v);
    reachable_ = true;
  } else {
    reachable_ = false;
  }
  if (fr.kind == Kind::kFunc && reachable_) {
    b_.Return(TopN(fr.results.size()));
    reachable_ = false;
  }
}

absl::Status FunctionTranslator::Control(const Operator& o) {
  switch (o.opcode) {
    case Opcode::kBlock:
    case Opcode::kLoop:
    case Opcode::kIf: {
      Frame fr;
      BlockTypeOf(o.block, &fr.params, &fr.results);
      Value cond;
      if (o.opcode == Opcode::kIf) cond = Pop();
      fr.height = stack_.size() >= fr.params.size() ? stack_.size() - fr.params.size() : 0;
      fr.cont = NewBlockWithParams(fr.results);
      if (o.opcode == Opcode::kBlock) {
        fr.kind = Kind::kBlock;
      } else if (o.opcode == Opcode::kLoop) {
        fr.kind = Kind::kLoop;
        fr.header = NewBlockWithParams(fr.params);
        b_.Jump(fr.header, TopN(fr.params.size()));
        stack_.resize(fr.height);
        b_.SwitchToBlock(fr.header);
        for (Value v : f_->dfg.block_params(fr.header)) Push(v);
      } else {
        fr.kind = Kind::kIf;
        fr.if_params = TopN(fr.params.size());
        Block then_block = b_.CreateBlock();
        fr.else_block = b_.CreateBlock();
        b_.Brif(cond, then_block, {}, fr.else_block, {});
        b_.SwitchToBlock(then_block);
        b_.SealBlock(then_block);
      }
      frames_.push_back(std::move(fr));
      return absl::OkStatus();
    }
    case Opcode::kElse: {
      Frame& fr = frames_.back();
      if (fr.kind != Kind::kIf) return Error(o.offset, "else without if");
      if (reachable_) {
        b_.Jump(fr.cont, TopN(fr.results.size()));
        fr.cont_used = true;
      }
      stack_.resize(std::min(stack_.size(), fr.height));
      for (Value v : fr.if_params) Push(v);
      b_.SwitchToBlock(fr.else_block);
      b_.SealBlock(fr.else_block);
      fr.kind = Kind::kElse;
      reachable_ = true;
      return absl::OkStatus();
    }
    case Opcode::kEnd:
      EndFrame();
      return absl::OkStatus();
    case Opcode::kBr: {
      FunctionBuilder::Target t = LabelTarget(o.index);
      b_.Jump(t.block, t.args);
      reachable_ = false;
      return absl::OkStatus();
    }
    case Opcode::kBrIf: {
      Value c = Pop();
      FunctionBuilder::Target t = LabelTarget(o.index);
      Block fall = b_.CreateBlock();
      b_.Brif(c, t.block, t.args, fall, {});
      b_.SwitchToBlock(fall);
      b_.SealBlock(fall);
      return absl::OkStatus();
    }
    case Opcode::kBrTable: {
      Value index = Pop();
      // One edge block per distinct depth carries that label's arguments (br_table entries
      // take none).
      absl::flat_hash_map<uint32_t, Block> edges;
      std::vector<std::pair<uint32_t, Block>> order;
      auto edge = [&](uint32_t depth) {
        auto it = edges.find(depth);
        if (it != edges.end()) return it->second;
        Block e = b_.CreateBlock();
        edges[depth] = e;
        order.push_back({depth, e});
        return e;
      };
      std::vector<Block> table;
      table.reserve(o.br_targets.size());
      for (uint32_t d : o.br_targets) table.push_back(edge(d));
      Block dflt = edge(o.br_default);
      b_.BrTable(index, dflt, table);
      for (auto& [depth, e] : order) {
        b_.SwitchToBlock(e);
        b_.SealBlock(e);
        FunctionBuilder::Target t = LabelTarget(depth);
        b_.Jump(t.block, t.args);
      }
      reachable_ = false;
      return absl::OkStatus();
    }
    case Opcode::kReturn:
      b_.Return(TopN(frames_.front().results.size()));
      reachable_ = false;
      return absl::OkStatus();
    case Opcode::kUnreachable:
      b_.Trap(kTrapUnreachable);
      reachable_ = false;
      return absl::OkStatus();
    default:
      return Error(o.offset, "not a control operator");
  }
}

struct NumOp {
  ir::Opcode op;
  ir::Type type;  // result type for conversions
};

absl::Status FunctionTranslator::Numeric(const Operator& o, bool* handled) {
  using ir::Opcode;
  using ir::kI32;
  using ir::kI64;
  using ir::kF32;
  using ir::kF64;
  *handled = true;
  auto bin = [&](Opcode op) {
    Value y = Pop(), x = Pop();
    Push(b_.Binary(op, x, y));
  };
  auto un = [&](Opcode op) { Push(b_.Unary(op, Pop())); };
  auto conv = [&](Opcode op, ir::Type to) { Push(b_.Convert(op, to, Pop())); };
  auto icmp = [&](ir::IntCC cc) {
    Value y = Pop(), x = Pop();
    Push(Bool(b_.Icmp(cc, x, y)));
  };
  auto fcmp = [&](ir::FloatCC cc) {
    Value y = Pop(), x = Pop();
    Push(Bool(Fcmp(cc, x, y)));
  };
  auto eqz = [&](ir::Type t) { Push(Bool(b_.Icmp(ir::IntCC::kEq, Pop(), Iconst(t, 0)))); };
  auto sext_from = [&](ir::Type narrow, ir::Type t) {
    Value n = b_.Convert(Opcode::kIreduce, narrow, Pop());
    Push(b_.Convert(Opcode::kSextend, t, n));
  };
  auto bitcast = [&](ir::Type to) {
    ir::InstData d;
    d.opcode = Opcode::kBitcast;
    d.ctrl_type = to;
    ir::Inst i = b_.Emit(d, {Pop()}, {});
    Push(i.valid() ? f_->dfg.first_result(i) : Value());
  };
  switch (o.opcode) {
    case wasm::Opcode::kI32Const: Push(Iconst(kI32, static_cast<int32_t>(o.bits))); break;
    case wasm::Opcode::kI64Const: Push(Iconst(kI64, static_cast<int64_t>(o.bits))); break;
    case wasm::Opcode::kF32Const: Push(FloatConst(false, o.bits)); break;
    case wasm::Opcode::kF64Const: Push(FloatConst(true, o.bits)); break;

    case wasm::Opcode::kI32Eqz: eqz(kI32); break;
    case wasm::Opcode::kI64Eqz: eqz(kI64); break;
    case wasm::Opcode::kI32Eq: case wasm::Opcode::kI64Eq: icmp(ir::IntCC::kEq); break;
    case wasm::Opcode::kI32Ne: case wasm::Opcode::kI64Ne: icmp(ir::IntCC::kNe); break;
    case wasm::Opcode::kI32LtS: case wasm::Opcode::kI64LtS: icmp(ir::IntCC::kSlt); break;
    case wasm::Opcode::kI32LtU: case wasm::Opcode::kI64LtU: icmp(ir::IntCC::kUlt); break;
    case wasm::Opcode::kI32GtS: case wasm::Opcode::kI64GtS: icmp(ir::IntCC::kSgt); break;
    case wasm::Opcode::kI32GtU: case wasm::Opcode::kI64GtU: icmp(ir::IntCC::kUgt); break;
    case wasm::Opcode::kI32LeS: case wasm::Opcode::kI64LeS: icmp(ir::IntCC::kSle); break;
    case wasm::Opcode::kI32LeU: case wasm::Opcode::kI64LeU: icmp(ir::IntCC::kUle); break;
    case wasm::Opcode::kI32GeS: case wasm::Opcode::kI64GeS: icmp(ir::IntCC::kSge); break;
    case wasm::Opcode::kI32GeU: case wasm::Opcode::kI64GeU: icmp(ir::IntCC::kUge); break;
    case wasm::Opcode::kF32Eq: case wasm::Opcode::kF64Eq: fcmp(ir::FloatCC::kEq); break;
    case wasm::Opcode::kF32Ne: case wasm::Opcode::kF64Ne: fcmp(ir::FloatCC::kNe); break;
    case wasm::Opcode::kF32Lt: case wasm::Opcode::kF64Lt: fcmp(ir::FloatCC::kLt); break;
    case wasm::Opcode::kF32Gt: case wasm::Opcode::kF64Gt: fcmp(ir::FloatCC::kGt); break;
    case wasm::Opcode::kF32Le: case wasm::Opcode::kF64Le: fcmp(ir::FloatCC::kLe); break;
    case wasm::Opcode::kF32Ge: case wasm::Opcode::kF64Ge: fcmp(ir::FloatCC::kGe); break;

    case wasm::Opcode::kI32Clz: case wasm::Opcode::kI64Clz: un(Opcode::kClz); break;
    case wasm::Opcode::kI32Ctz: case wasm::Opcode::kI64Ctz: un(Opcode::kCtz); break;
    case wasm::Opcode::kI32Popcnt: case wasm::Opcode::kI64Popcnt: un(Opcode::kPopcnt); break;
    case wasm::Opcode::kI32Add: case wasm::Opcode::kI64Add: bin(Opcode::kIadd); break;
    case wasm::Opcode::kI32Sub: case wasm::Opcode::kI64Sub: bin(Opcode::kIsub); break;
    case wasm::Opcode::kI32Mul: case wasm::Opcode::kI64Mul: bin(Opcode::kImul); break;
    // sdiv traps on zero (int_divz) and on MIN / -1 (int_ovf), udiv/urem on zero, and srem
    // of MIN by -1 is 0: exactly wasm's rules.
    case wasm::Opcode::kI32DivS: case wasm::Opcode::kI64DivS: bin(Opcode::kSdiv); break;
    case wasm::Opcode::kI32DivU: case wasm::Opcode::kI64DivU: bin(Opcode::kUdiv); break;
    case wasm::Opcode::kI32RemS: case wasm::Opcode::kI64RemS: bin(Opcode::kSrem); break;
    case wasm::Opcode::kI32RemU: case wasm::Opcode::kI64RemU: bin(Opcode::kUrem); break;
    case wasm::Opcode::kI32And: case wasm::Opcode::kI64And: bin(Opcode::kBand); break;
    case wasm::Opcode::kI32Or: case wasm::Opcode::kI64Or: bin(Opcode::kBor); break;
    case wasm::Opcode::kI32Xor: case wasm::Opcode::kI64Xor: bin(Opcode::kBxor); break;
    // IR shifts and rotates take the amount modulo the width, as wasm does.
    case wasm::Opcode::kI32Shl: case wasm::Opcode::kI64Shl: bin(Opcode::kIshl); break;
    case wasm::Opcode::kI32ShrS: case wasm::Opcode::kI64ShrS: bin(Opcode::kSshr); break;
    case wasm::Opcode::kI32ShrU: case wasm::Opcode::kI64ShrU: bin(Opcode::kUshr); break;
    case wasm::Opcode::kI32Rotl: case wasm::Opcode::kI64Rotl: bin(Opcode::kRotl); break;
    case wasm::Opcode::kI32Rotr: case wasm::Opcode::kI64Rotr: bin(Opcode::kRotr); break;

    case wasm::Opcode::kF32Abs: case wasm::Opcode::kF64Abs: un(Opcode::kFabs); break;
    case wasm::Opcode::kF32Neg: case wasm::Opcode::kF64Neg: un(Opcode::kFneg); break;
    case wasm::Opcode::kF32Ceil: case wasm::Opcode::kF64Ceil: un(Opcode::kCeil); break;
    case wasm::Opcode::kF32Floor: case wasm::Opcode::kF64Floor: un(Opcode::kFloor); break;
    case wasm::Opcode::kF32Trunc: case wasm::Opcode::kF64Trunc: un(Opcode::kTrunc); break;
    case wasm::Opcode::kF32Nearest: case wasm::Opcode::kF64Nearest: un(Opcode::kNearest); break;
    case wasm::Opcode::kF32Sqrt: case wasm::Opcode::kF64Sqrt: un(Opcode::kSqrt); break;
    case wasm::Opcode::kF32Add: case wasm::Opcode::kF64Add: bin(Opcode::kFadd); break;
    case wasm::Opcode::kF32Sub: case wasm::Opcode::kF64Sub: bin(Opcode::kFsub); break;
    case wasm::Opcode::kF32Mul: case wasm::Opcode::kF64Mul: bin(Opcode::kFmul); break;
    case wasm::Opcode::kF32Div: case wasm::Opcode::kF64Div: bin(Opcode::kFdiv); break;
    case wasm::Opcode::kF32Min: case wasm::Opcode::kF64Min: bin(Opcode::kFmin); break;
    case wasm::Opcode::kF32Max: case wasm::Opcode::kF64Max: bin(Opcode::kFmax); break;
    case wasm::Opcode::kF32Copysign: case wasm::Opcode::kF64Copysign: bin(Opcode::kFcopysign); break;

    case wasm::Opcode::kI32WrapI64: conv(Opcode::kIreduce, kI32); break;
    // fcvt_to_* trap bad_toint on NaN and int_ovf when out of range, as wasm requires.
    case wasm::Opcode::kI32TruncF32S: case wasm::Opcode::kI32TruncF64S: conv(Opcode::kFcvtToSint, kI32); break;
    case wasm::Opcode::kI32TruncF32U: case wasm::Opcode::kI32TruncF64U: conv(Opcode::kFcvtToUint, kI32); break;
    case wasm::Opcode::kI64TruncF32S: case wasm::Opcode::kI64TruncF64S: conv(Opcode::kFcvtToSint, kI64); break;
    case wasm::Opcode::kI64TruncF32U: case wasm::Opcode::kI64TruncF64U: conv(Opcode::kFcvtToUint, kI64); break;
    case wasm::Opcode::kI32TruncSatF32S: case wasm::Opcode::kI32TruncSatF64S: conv(Opcode::kFcvtToSintSat, kI32); break;
    case wasm::Opcode::kI32TruncSatF32U: case wasm::Opcode::kI32TruncSatF64U: conv(Opcode::kFcvtToUintSat, kI32); break;
    case wasm::Opcode::kI64TruncSatF32S: case wasm::Opcode::kI64TruncSatF64S: conv(Opcode::kFcvtToSintSat, kI64); break;
    case wasm::Opcode::kI64TruncSatF32U: case wasm::Opcode::kI64TruncSatF64U: conv(Opcode::kFcvtToUintSat, kI64); break;
    case wasm::Opcode::kI64ExtendI32S: conv(Opcode::kSextend, kI64); break;
    case wasm::Opcode::kI64ExtendI32U: conv(Opcode::kUextend, kI64); break;
    case wasm::Opcode::kF32ConvertI32S: case wasm::Opcode::kF32ConvertI64S: conv(Opcode::kFcvtFromSint, kF32); break;
    case wasm::Opcode::kF32ConvertI32U: case wasm::Opcode::kF32ConvertI64U: conv(Opcode::kFcvtFromUint, kF32); break;
    case wasm::Opcode::kF64ConvertI32S: case wasm::Opcode::kF64ConvertI64S: conv(Opcode::kFcvtFromSint, kF64); break;
    case wasm::Opcode::kF64ConvertI32U: case wasm::Opcode::kF64ConvertI64U: conv(Opcode::kFcvtFromUint, kF64); break;
    case wasm::Opcode::kF32DemoteF64: conv(Opcode::kFdemote, kF32); break;
    case wasm::Opcode::kF64PromoteF32: conv(Opcode::kFpromote, kF64); break;
    case wasm::Opcode::kI32ReinterpretF32: bitcast(kI32); break;
    case wasm::Opcode::kI64ReinterpretF64: bitcast(kI64); break;
    case wasm::Opcode::kF32ReinterpretI32: bitcast(kF32); break;
    case wasm::Opcode::kF64ReinterpretI64: bitcast(kF64); break;
    case wasm::Opcode::kI32Extend8S: sext_from(ir::kI8, kI32); break;
    case wasm::Opcode::kI32Extend16S: sext_from(ir::kI16, kI32); break;
    case wasm::Opcode::kI64Extend8S: sext_from(ir::kI8, kI64); break;
    case wasm::Opcode::kI64Extend16S: sext_from(ir::kI16, kI64); break;
    case wasm::Opcode::kI64Extend32S: sext_from(kI32, kI64); break;
    default:
      *handled = false;
  }
  return absl::OkStatus();
}

absl::Status FunctionTranslator::Translate(const Operator& o) {
  using ir::Opcode;
  bool handled = false;
  if (absl::Status s = Numeric(o, &handled); !s.ok() || handled) return s;
  auto local = [&](uint32_t i) -> absl::StatusOr<Variable> {
    if (i >= locals_.size()) return Error(o.offset, "local index out of range");
    return locals_[i];
  };
  auto trap_on = [&](Value status, ir::TrapCode code) { TrapIf(status, code); };
  switch (o.opcode) {
    case wasm::Opcode::kBlock: case wasm::Opcode::kLoop: case wasm::Opcode::kIf:
    case wasm::Opcode::kElse: case wasm::Opcode::kEnd: case wasm::Opcode::kBr:
    case wasm::Opcode::kBrIf: case wasm::Opcode::kBrTable: case wasm::Opcode::kReturn:
    case wasm::Opcode::kUnreachable:
      return Control(o);
    case wasm::Opcode::kNop:
      return absl::OkStatus();
    case wasm::Opcode::kDrop:
      Pop();
      return absl::OkStatus();
    case wasm::Opcode::kSelect:
    case wasm::Opcode::kSelectTyped: {
      Value c = Pop(), y = Pop(), x = Pop();
      Push(b_.Select(c, x, y));
      return absl::OkStatus();
    }
    case wasm::Opcode::kLocalGet: {
      auto v = local(o.index);
      if (!v.ok()) return v.status();
      Push(b_.UseVar(*v));
      return absl::OkStatus();
    }
    case wasm::Opcode::kLocalSet:
    case wasm::Opcode::kLocalTee: {
      auto v = local(o.index);
      if (!v.ok()) return v.status();
      Value x = o.opcode == wasm::Opcode::kLocalSet ? Pop() : (stack_.empty() ? Value() : stack_.back());
      b_.DefVar(*v, x);
      return absl::OkStatus();
    }
    case wasm::Opcode::kGlobalGet: {
      if (o.index >= m_.global_types.size()) return Error(o.offset, "global index out of range");
      Value addr = GlobalAddr(o.index);
      Push(VmLoad(IrType(m_.global_types[o.index].type), addr, 0));
      return absl::OkStatus();
    }
    case wasm::Opcode::kGlobalSet: {
      if (o.index >= m_.global_types.size()) return Error(o.offset, "global index out of range");
      Value x = Pop();
      b_.Store(VmFlags(), x, GlobalAddr(o.index), 0);
      return absl::OkStatus();
    }
    case wasm::Opcode::kCall:
      if (o.index >= m_.func_types.size()) return Error(o.offset, "function index out of range");
      DoCall(o.index);
      return absl::OkStatus();
    case wasm::Opcode::kCallIndirect:
      if (o.index >= m_.types.size() || o.index2 >= m_.tables.size())
        return Error(o.offset, "call_indirect type or table index out of range");
      DoCallIndirect(o.index, o.index2);
      return absl::OkStatus();

    case wasm::Opcode::kI32Load: HeapLoad(Opcode::kLoad, ir::kI32, 4, o); break;
    case wasm::Opcode::kI64Load: HeapLoad(Opcode::kLoad, ir::kI64, 8, o); break;
    case wasm::Opcode::kF32Load: HeapLoad(Opcode::kLoad, ir::kF32, 4, o); break;
    case wasm::Opcode::kF64Load: HeapLoad(Opcode::kLoad, ir::kF64, 8, o); break;
    case wasm::Opcode::kI32Load8S: HeapLoad(Opcode::kSload8, ir::kI32, 1, o); break;
    case wasm::Opcode::kI32Load8U: HeapLoad(Opcode::kUload8, ir::kI32, 1, o); break;
    case wasm::Opcode::kI32Load16S: HeapLoad(Opcode::kSload16, ir::kI32, 2, o); break;
    case wasm::Opcode::kI32Load16U: HeapLoad(Opcode::kUload16, ir::kI32, 2, o); break;
    case wasm::Opcode::kI64Load8S: HeapLoad(Opcode::kSload8, ir::kI64, 1, o); break;
    case wasm::Opcode::kI64Load8U: HeapLoad(Opcode::kUload8, ir::kI64, 1, o); break;
    case wasm::Opcode::kI64Load16S: HeapLoad(Opcode::kSload16, ir::kI64, 2, o); break;
    case wasm::Opcode::kI64Load16U: HeapLoad(Opcode::kUload16, ir::kI64, 2, o); break;
    case wasm::Opcode::kI64Load32S: HeapLoad(Opcode::kSload32, ir::kI64, 4, o); break;
    case wasm::Opcode::kI64Load32U: HeapLoad(Opcode::kUload32, ir::kI64, 4, o); break;
    case wasm::Opcode::kI32Store: case wasm::Opcode::kF32Store: HeapStore(Opcode::kStore, 4, o); break;
    case wasm::Opcode::kI64Store: case wasm::Opcode::kF64Store: HeapStore(Opcode::kStore, 8, o); break;
    case wasm::Opcode::kI32Store8: case wasm::Opcode::kI64Store8: HeapStore(Opcode::kIstore8, 1, o); break;
    case wasm::Opcode::kI32Store16: case wasm::Opcode::kI64Store16: HeapStore(Opcode::kIstore16, 2, o); break;
    case wasm::Opcode::kI64Store32: HeapStore(Opcode::kIstore32, 4, o); break;

    case wasm::Opcode::kMemorySize: {
      Value bytes = VmLoad(ir::kI64, Vm(), opt_.vmctx.memory_size);
      Value pages = b_.Binary(Opcode::kUshr, bytes, Iconst(ir::kI64, 16));
      Push(b_.Convert(Opcode::kIreduce, ir::kI32, pages));
      break;
    }
    case wasm::Opcode::kMemoryGrow:
      Push(CallRuntime(RuntimeFn::kMemoryGrow, {Pop()}).at(0));
      break;
    case wasm::Opcode::kMemoryFill:
    case wasm::Opcode::kMemoryCopy: {
      std::vector<Value> a = PopN(3);
      RuntimeFn fn = o.opcode == wasm::Opcode::kMemoryFill ? RuntimeFn::kMemoryFill : RuntimeFn::kMemoryCopy;
      trap_on(CallRuntime(fn, a).at(0), ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
      break;
    }
    case wasm::Opcode::kMemoryInit: {
      std::vector<Value> a = PopN(3);
      a.insert(a.begin(), Iconst(ir::kI32, o.index));
      trap_on(CallRuntime(RuntimeFn::kMemoryInit, a).at(0), ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
      break;
    }
    case wasm::Opcode::kDataDrop:
      CallRuntime(RuntimeFn::kDataDrop, {Iconst(ir::kI32, o.index)});
      break;

    case wasm::Opcode::kRefNull:
      Push(Iconst(ir::kI64, 0));
      break;
    case wasm::Opcode::kRefIsNull:
      Push(Bool(b_.Icmp(ir::IntCC::kEq, Pop(), Iconst(ir::kI64, 0))));
      break;
    case wasm::Opcode::kRefFunc: {
      if (o.index >= m_.func_types.size()) return Error(o.offset, "function index out of range");
      Value arr = VmLoad(ir::kI64, Vm(), opt_.vmctx.funcs);
      Push(VmLoad(ir::kI64, arr, static_cast<int32_t>(8 * o.index)));
      break;
    }
    case wasm::Opcode::kTableGet: {
      if (o.index >= m_.tables.size()) return Error(o.offset, "table index out of range");
      Value slot = TableElemAddr(o.index, Pop(), kTrapTableOutOfBounds);
      Push(VmLoad(ir::kI64, slot, 0));
      break;
    }
    case wasm::Opcode::kTableSet: {
      if (o.index >= m_.tables.size()) return Error(o.offset, "table index out of range");
      Value x = Pop();
      Value slot = TableElemAddr(o.index, Pop(), kTrapTableOutOfBounds);
      b_.Store(VmFlags(), x, slot, 0);
      break;
    }
    case wasm::Opcode::kTableSize: {
      if (o.index >= m_.tables.size()) return Error(o.offset, "table index out of range");
      Value len = VmLoad(ir::kI64, TableDesc(o.index), 8);
      Push(b_.Convert(Opcode::kIreduce, ir::kI32, len));
      break;
    }
    case wasm::Opcode::kTableGrow: {
      std::vector<Value> a = PopN(2);  // init, delta
      a.insert(a.begin(), Iconst(ir::kI32, o.index));
      Push(CallRuntime(RuntimeFn::kTableGrow, a).at(0));
      break;
    }
    case wasm::Opcode::kTableFill: {
      std::vector<Value> a = PopN(3);  // dst, value, n
      a.insert(a.begin(), Iconst(ir::kI32, o.index));
      trap_on(CallRuntime(RuntimeFn::kTableFill, a).at(0), kTrapTableOutOfBounds);
      break;
    }
    case wasm::Opcode::kTableCopy: {
      std::vector<Value> a = PopN(3);
      a.insert(a.begin(), {Iconst(ir::kI32, o.index), Iconst(ir::kI32, o.index2)});
      trap_on(CallRuntime(RuntimeFn::kTableCopy, a).at(0), kTrapTableOutOfBounds);
      break;
    }
    case wasm::Opcode::kTableInit: {
      // Immediates: element segment (index), then table (index2).
      std::vector<Value> a = PopN(3);
      a.insert(a.begin(), {Iconst(ir::kI32, o.index2), Iconst(ir::kI32, o.index)});
      trap_on(CallRuntime(RuntimeFn::kTableInit, a).at(0), kTrapTableOutOfBounds);
      break;
    }
    case wasm::Opcode::kElemDrop:
      CallRuntime(RuntimeFn::kElemDrop, {Iconst(ir::kI32, o.index)});
      break;
    default:
      return Error(o.offset, absl::StrCat("cannot translate ", GetOpcodeInfo(o.opcode).name));
  }
  return absl::OkStatus();
}

absl::Status FunctionTranslator::Run() {
  const uint32_t defined = func_index_ - m_.num_imported_funcs;
  const FuncType& type = m_.TypeOfFunction(func_index_);
  const FunctionBody& body = m_.bodies[defined];
  f_->name = ir::ExternalName::User(opt_.func_namespace, func_index_);
  f_->signature = IrSignature(type);

  Block entry = b_.CreateBlock();
  b_.SwitchToBlock(entry);
  b_.AppendEntryParams(entry);
  b_.SealBlock(entry);
  auto params = f_->dfg.block_params(entry);
  std::vector<Value> pv(params.begin(), params.end());
  vmctx_ = pv[0];
  for (size_t i = 0; i < type.params.size(); ++i) {
    Variable v = b_.DeclareVar(IrType(type.params[i]));
    b_.DefVar(v, pv[i + 1]);
    locals_.push_back(v);
    local_types_.push_back(type.params[i]);
  }
  // Validation bounds the local count, but guard against absurd counts anyway.
  if (body.num_locals > 50000) return Error(body.body.begin, "too many locals to translate");
  for (const LocalDecl& d : body.locals) {
    for (uint32_t k = 0; k < d.count; ++k) {
      Variable v = b_.DeclareVar(IrType(d.type));
      b_.DefVar(v, ZeroOf(d.type));
      locals_.push_back(v);
      local_types_.push_back(d.type);
    }
  }
  Frame top;
  top.kind = Kind::kFunc;
  top.results = type.results;
  top.cont = NewBlockWithParams(type.results);
  frames_.push_back(std::move(top));

  OperatorReader reader(m_.bytes, body.code.begin, body.code.end);
  Operator o;
  while (!reader.AtEnd()) {
    if (absl::Status s = reader.Next(&o); !s.ok()) return s;
    if (frames_.empty()) return Error(o.offset, "operators after the function's end");
    if (!reachable_) {
      // Dead code is skipped, but nesting must still be tracked to find the matching end.
      if (o.opcode == Opcode::kBlock || o.opcode == Opcode::kLoop || o.opcode == Opcode::kIf) {
        ++dead_depth_;
        continue;
      }
      if (o.opcode == Opcode::kEnd && dead_depth_ > 0) {
        --dead_depth_;
        continue;
      }
      if (!(o.opcode == Opcode::kEnd || (o.opcode == Opcode::kElse && dead_depth_ == 0))) continue;
    }
    const size_t before = f_->dfg.num_insts();
    if (absl::Status s = Translate(o); !s.ok()) return s;
    for (size_t i = before; i < f_->dfg.num_insts(); ++i) f_->set_srcloc(ir::Inst(static_cast<uint32_t>(i)), o.offset);
  }
  if (!frames_.empty()) return Error(body.code.end, "function body ends inside a block");
  if (absl::Status s = b_.Finalize(); !s.ok()) {
    // Only input the validator would have rejected gets here (an operand stack underflow).
    return Error(body.body.begin, absl::StrCat("cannot build IR: ", s.message()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ir::Function> TranslateFunction(const Module& module, uint32_t defined_index,
                                               const TranslateOptions& options) {
  if (defined_index >= module.bodies.size() ||
      module.num_imported_funcs + uint64_t{defined_index} >= module.func_types.size()) {
    return absl::InvalidArgumentError(absl::StrCat("no defined function ", defined_index));
  }
  ir::Function f;
  FunctionTranslator t(module, module.num_imported_funcs + defined_index, options, &f);
  if (absl::Status s = t.Run(); !s.ok()) return s;
  return f;
}

absl::StatusOr<std::vector<ir::Function>> TranslateModule(const Module& module,
                                                         const TranslateOptions& options) {
  std::vector<ir::Function> out;
  out.reserve(module.bodies.size());
  for (uint32_t i = 0; i < module.bodies.size(); ++i) {
    auto f = TranslateFunction(module, i, options);
    if (!f.ok()) return f.status();
    out.push_back(std::move(*f));
  }
  return out;
}

}  // namespace lathe::wasm
