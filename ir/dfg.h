// The data-flow graph: instructions, values and blocks of one function, in dense tables.
// Operand lists, results, block parameters and block-call arguments live in pooled vectors
// (a list is a start and a length), so creating an instruction allocates nothing per
// instruction. Program order is not kept here but in Layout.
//
// Values are numbered by the caller when parsing (value numbers survive a round trip), so the
// value table may contain unused slots; `MakeValueSlot` grows it.
#ifndef LATHE_IR_DFG_H_
#define LATHE_IR_DFG_H_

#include <cstdint>
#include <vector>

#include "absl/types/span.h"
#include "ir/entities.h"
#include "ir/mem_flags.h"
#include "ir/opcode.h"
#include "ir/types.h"

namespace lathe::ir {

// A block argument: an ordinary value, or (for try_call targets) the i-th return value of the
// call (`retN`) or the i-th exception payload (`exnN`).
class BlockArg {
 public:
  enum Kind : uint32_t { kValue = 0, kTryCallRet = 1, kTryCallExn = 2 };
  static BlockArg Of(Value v) { return BlockArg(kValue, v.index()); }
  static BlockArg Ret(uint32_t i) { return BlockArg(kTryCallRet, i); }
  static BlockArg Exn(uint32_t i) { return BlockArg(kTryCallExn, i); }
  Kind kind() const { return static_cast<Kind>(bits_ >> 30); }
  uint32_t index() const { return bits_ & 0x3fffffffu; }
  Value value() const { return kind() == kValue ? Value(index()) : Value(); }

 private:
  BlockArg(Kind k, uint32_t i) : bits_((static_cast<uint32_t>(k) << 30) | (i & 0x3fffffffu)) {}
  uint32_t bits_;
};

// A branch target with its arguments (an index into DataFlowGraph's block-call table).
struct BlockCallData {
  Block block;
  uint32_t args_start = 0;
  uint32_t args_len = 0;
};

// A list in one of the pools: [start, start + len).
struct ListRef {
  uint32_t start = 0;
  uint32_t len = 0;
};

// One instruction. Which fields are meaningful depends on the opcode's format.
struct InstData {
  Opcode opcode = Opcode::kNop;
  uint8_t cond = 0;  // IntCC, FloatCC or AtomicRmwOp
  TrapCode trap;     // Trap, CondTrap, IntAddTrap
  Type ctrl_type;    // the controlling type (invalid for monomorphic opcodes)
  MemFlags flags;    // memory formats
  ListRef args;      // value operands, in the value pool
  ListRef blocks;    // block calls (indexes into the block-call table)
  uint32_t entity = EntityRef<ValueTag>::kNone;   // FuncRef, SigRef, StackSlot, GlobalValue, ...
  uint32_t entity2 = EntityRef<ValueTag>::kNone;  // SigRef/ExceptionTable of try_call*
  int64_t imm = 0;   // Imm64, offset, lane index, float bits, handler index
};

struct ValueData {
  enum Kind : uint8_t { kUnused, kResult, kParam, kAlias };
  Kind kind = kUnused;
  Type type;
  uint32_t owner = 0;  // kResult: Inst; kParam: Block; kAlias: target Value
  uint32_t num = 0;    // result or parameter position
};

struct BlockData {
  bool created = false;
  bool cold = false;
  ListRef params;
  // Pool slots reserved for `params` (>= params.len): appending a parameter writes in place
  // until they run out, then the list moves to the pool's end with doubled room, so building a
  // block's parameters one by one stays linear.
  uint32_t params_cap = 0;
};

// An entry of a try_call's exception table: a tagged or default handler (consuming the next
// block call after the normal-return one) or a `context vN` item.
struct ExceptionItem {
  enum Kind : uint8_t { kTag, kDefault, kContext };
  Kind kind = kDefault;
  uint32_t tag = 0;
  Value context;
};

struct ExceptionTableData {
  std::vector<ExceptionItem> items;
};

class DataFlowGraph {
 public:
  // Instructions.
  Inst MakeInst(const InstData& data);
  size_t num_insts() const { return insts_.size(); }
  InstData& inst(Inst i) { return insts_[i.index()]; }
  const InstData& inst(Inst i) const { return insts_[i.index()]; }
  absl::Span<const Value> args(Inst i) const { return ListOf(insts_[i.index()].args); }
  absl::Span<Value> mutable_args(Inst i) { return MutableListOf(insts_[i.index()].args); }
  void SetArgs(Inst i, absl::Span<const Value> values) { insts_[i.index()].args = AddList(values); }
  absl::Span<const Value> results(Inst i) const { return ListOf(results_[i.index()]); }
  // Creates result values with the given numbers (or fresh numbers where invalid).
  void SetResults(Inst i, absl::Span<const Value> values);
  // Appends a result of `type` with a fresh number.
  Value AppendResult(Inst i, Type type);
  Value first_result(Inst i) const;

  // Block calls of branch instructions.
  uint32_t MakeBlockCall(Block b, absl::Span<const BlockArg> args);
  const BlockCallData& block_call(uint32_t bc) const { return block_calls_[bc]; }
  void SetBlockCallArgs(uint32_t bc, absl::Span<const BlockArg> args);
  absl::Span<const BlockArg> block_call_args(uint32_t bc) const {
    const BlockCallData& d = block_calls_[bc];
    return absl::MakeConstSpan(block_args_).subspan(d.args_start, d.args_len);
  }
  void SetInstBlockCalls(Inst i, absl::Span<const uint32_t> calls);
  absl::Span<const uint32_t> block_calls(Inst i) const {
    const ListRef& r = insts_[i.index()].blocks;
    return absl::MakeConstSpan(inst_block_calls_).subspan(r.start, r.len);
  }

  // Values.
  size_t num_values() const { return values_.size(); }
  // Slots of the pool holding every value list (for memory accounting and tests).
  size_t value_pool_size() const { return value_pool_.size(); }
  void MakeValueSlot(Value v);  // grows the table so that `v` exists (as kUnused)
  Value MakeFreshValue() {
    values_.push_back(ValueData());
    return Value(static_cast<uint32_t>(values_.size() - 1));
  }
  const ValueData& value(Value v) const { return values_[v.index()]; }
  ValueData& mutable_value(Value v) { return values_[v.index()]; }
  bool value_valid(Value v) const {
    return v.valid() && v.index() < values_.size() && values_[v.index()].kind != ValueData::kUnused;
  }
  Type value_type(Value v) const { return values_[v.index()].type; }
  // Follows alias chains (bounded by the table size, so a cycle cannot hang).
  Value Resolve(Value v) const;
  void MakeAlias(Value alias, Value target);

  // Blocks.
  Block MakeBlock();
  void MakeBlockSlot(Block b);
  size_t num_blocks() const { return blocks_.size(); }
  bool block_valid(Block b) const {
    return b.valid() && b.index() < blocks_.size() && blocks_[b.index()].created;
  }
  BlockData& block(Block b) { return blocks_[b.index()]; }
  const BlockData& block(Block b) const { return blocks_[b.index()]; }
  absl::Span<const Value> block_params(Block b) const { return ListOf(blocks_[b.index()].params); }
  Value AppendBlockParam(Block b, Type type, Value v = Value());
  // Removes the parameter at `pos`; the value becomes unused.
  void RemoveBlockParam(Block b, uint32_t pos);

  // Exception tables of try_call.
  ExceptionTable MakeExceptionTable(ExceptionTableData data);
  const ExceptionTableData& exception_table(ExceptionTable t) const { return exception_tables_[t.index()]; }
  size_t num_exception_tables() const { return exception_tables_.size(); }

  // Pooled lists of values (also used by the parser for call arguments).
  ListRef AddList(absl::Span<const Value> values);
  absl::Span<const Value> ListOf(ListRef r) const {
    return absl::MakeConstSpan(value_pool_).subspan(r.start, r.len);
  }
  absl::Span<Value> MutableListOf(ListRef r) {
    return absl::MakeSpan(value_pool_).subspan(r.start, r.len);
  }

 private:
  std::vector<InstData> insts_;
  std::vector<ListRef> results_;
  std::vector<ValueData> values_;
  std::vector<BlockData> blocks_;
  std::vector<Value> value_pool_;
  std::vector<BlockCallData> block_calls_;
  std::vector<BlockArg> block_args_;
  std::vector<uint32_t> inst_block_calls_;
  std::vector<ExceptionTableData> exception_tables_;
};

}  // namespace lathe::ir

#endif  // LATHE_IR_DFG_H_
