#include "ir/dfg.h"

#include <algorithm>
#include <cstdlib>

#include "absl/container/inlined_vector.h"

namespace lathe::ir {

Inst DataFlowGraph::MakeInst(const InstData& data) {
  insts_.push_back(data);
  results_.push_back(ListRef());
  return Inst(static_cast<uint32_t>(insts_.size() - 1));
}

ListRef DataFlowGraph::AddList(absl::Span<const Value> values) {
  ListRef r{static_cast<uint32_t>(value_pool_.size()), static_cast<uint32_t>(values.size())};
  value_pool_.insert(value_pool_.end(), values.begin(), values.end());
  return r;
}

void DataFlowGraph::SetResults(Inst i, absl::Span<const Value> values) {
  absl::InlinedVector<Value, 4> vs(values.begin(), values.end());
  for (size_t k = 0; k < vs.size(); ++k) {
    if (!vs[k].valid()) vs[k] = MakeFreshValue();
    MakeValueSlot(vs[k]);
    ValueData& d = values_[vs[k].index()];
    d.kind = ValueData::kResult;
    d.owner = i.index();
    d.num = static_cast<uint32_t>(k);
  }
  results_[i.index()] = AddList(vs);
}

Value DataFlowGraph::AppendResult(Inst i, Type type) {
  absl::InlinedVector<Value, 4> vs(results(i).begin(), results(i).end());
  Value v = MakeFreshValue();
  vs.push_back(v);
  SetResults(i, vs);
  values_[v.index()].type = type;
  return v;
}

Value DataFlowGraph::first_result(Inst i) const {
  auto r = results(i);
  return r.empty() ? Value() : r[0];
}

uint32_t DataFlowGraph::MakeBlockCall(Block b, absl::Span<const BlockArg> args) {
  BlockCallData d;
  d.block = b;
  d.args_start = static_cast<uint32_t>(block_args_.size());
  d.args_len = static_cast<uint32_t>(args.size());
  block_args_.insert(block_args_.end(), args.begin(), args.end());
  block_calls_.push_back(d);
  return static_cast<uint32_t>(block_calls_.size() - 1);
}

void DataFlowGraph::SetBlockCallArgs(uint32_t bc, absl::Span<const BlockArg> args) {
  BlockCallData& d = block_calls_[bc];
  std::vector<BlockArg> copy(args.begin(), args.end());
  d.args_start = static_cast<uint32_t>(block_args_.size());
  d.args_len = static_cast<uint32_t>(copy.size());
  block_args_.insert(block_args_.end(), copy.begin(), copy.end());
}

void DataFlowGraph::SetInstBlockCalls(Inst i, absl::Span<const uint32_t> calls) {
  ListRef r{static_cast<uint32_t>(inst_block_calls_.size()), static_cast<uint32_t>(calls.size())};
  inst_block_calls_.insert(inst_block_calls_.end(), calls.begin(), calls.end());
  insts_[i.index()].blocks = r;
}

void DataFlowGraph::MakeValueSlot(Value v) {
  if (v.index() >= values_.size()) values_.resize(v.index() + 1);
}

Value DataFlowGraph::Resolve(Value v) const {
  for (size_t steps = 0; steps <= values_.size(); ++steps) {
    if (!v.valid() || v.index() >= values_.size()) return v;
    const ValueData& d = values_[v.index()];
    if (d.kind != ValueData::kAlias) return v;
    v = Value(d.owner);
  }
  return Value();  // an alias cycle: no value
}

void DataFlowGraph::MakeAlias(Value alias, Value target) {
  MakeValueSlot(alias);
  ValueData& d = values_[alias.index()];
  d.kind = ValueData::kAlias;
  d.owner = target.index();
  d.num = 0;
}

Block DataFlowGraph::MakeBlock() {
  blocks_.push_back(BlockData());
  blocks_.back().created = true;
  return Block(static_cast<uint32_t>(blocks_.size() - 1));
}

void DataFlowGraph::MakeBlockSlot(Block b) {
  if (b.index() >= blocks_.size()) blocks_.resize(b.index() + 1);
  blocks_[b.index()].created = true;
}

Value DataFlowGraph::AppendBlockParam(Block b, Type type, Value v) {
  if (!v.valid()) v = MakeFreshValue();
  MakeValueSlot(v);
  BlockData& bd = blocks_[b.index()];
  ValueData& d = values_[v.index()];
  d.kind = ValueData::kParam;
  d.type = type;
  d.owner = b.index();
  d.num = bd.params.len;
  if (bd.params.len == bd.params_cap) {
    const uint32_t start = static_cast<uint32_t>(value_pool_.size());
    const uint32_t cap = bd.params_cap < 4 ? 4 : 2 * bd.params_cap;
    value_pool_.resize(start + cap);
    std::copy_n(value_pool_.begin() + bd.params.start, bd.params.len, value_pool_.begin() + start);
    bd.params.start = start;
    bd.params_cap = cap;
  }
  value_pool_[bd.params.start + bd.params.len++] = v;
  return v;
}

void DataFlowGraph::RemoveBlockParam(Block b, uint32_t pos) {
  ListRef& r = blocks_[b.index()].params;
  absl::Span<Value> ps = MutableListOf(r);
  values_[ps[pos].index()].kind = ValueData::kUnused;
  for (uint32_t k = pos; k + 1 < r.len; ++k) {
    ps[k] = ps[k + 1];
    values_[ps[k].index()].num = k;
  }
  --r.len;  // the freed slot stays reserved (params_cap)
}

ExceptionTable DataFlowGraph::MakeExceptionTable(ExceptionTableData data) {
  exception_tables_.push_back(std::move(data));
  return ExceptionTable(static_cast<uint32_t>(exception_tables_.size() - 1));
}

}  // namespace lathe::ir
