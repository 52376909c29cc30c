// Memory operands of the x86-64 lowering: address modes ([base + index << shift + disp] folded
// from iadd/ishl/iconst) and loads sunk into their single user (ALU ops, imul, icmp, SSE
// arithmetic, extensions).
// A load may be sunk only from the user's own block with no other effectful instruction between
// them (equal side-effect colours after the load), so moving the read to the user changes no
// observable order; its trap code moves with it.
#include <climits>
#include <utility>

#include "ir/opcode.h"
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {
namespace {

// The instruction of opcode `op` defining `v` as a 64-bit integer, else an invalid Inst.
ir::Inst Def64(const ir::DataFlowGraph& dfg, ir::Value v, ir::Opcode op) {
  v = dfg.Resolve(v);
  const ir::ValueData& d = dfg.value(v);
  if (d.kind != ir::ValueData::kResult || IntBytes(dfg.value_type(v)) != 8) return ir::Inst();
  ir::Inst i(d.owner);
  return dfg.inst(i).opcode == op ? i : ir::Inst();
}

// The iconst defining `v` (any integer width), else an invalid Inst.
ir::Inst ConstDef(const ir::DataFlowGraph& dfg, ir::Value v) {
  v = dfg.Resolve(v);
  const ir::ValueData& d = dfg.value(v);
  if (d.kind != ir::ValueData::kResult || IntBytes(dfg.value_type(v)) == 0) return ir::Inst();
  ir::Inst i(d.owner);
  return dfg.inst(i).opcode == ir::Opcode::kIconst ? i : ir::Inst();
}

bool FitsDisp(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

// The condition that holds for (b, a) exactly when `cc` holds for (a, b).
ir::IntCC Swapped(ir::IntCC cc) {
  switch (cc) {
    case ir::IntCC::kSlt: return ir::IntCC::kSgt;
    case ir::IntCC::kSgt: return ir::IntCC::kSlt;
    case ir::IntCC::kSge: return ir::IntCC::kSle;
    case ir::IntCC::kSle: return ir::IntCC::kSge;
    case ir::IntCC::kUlt: return ir::IntCC::kUgt;
    case ir::IntCC::kUgt: return ir::IntCC::kUlt;
    case ir::IntCC::kUge: return ir::IntCC::kUle;
    case ir::IntCC::kUle: return ir::IntCC::kUge;
    default: return cc;  // eq, ne
  }
}

}  // namespace

// The caller holds one use of `addr`; each fold passes it down: when the folded instruction
// loses its last use it is not lowered and its operands' uses pass to us (those we do not read
// are dropped), otherwise we take new uses of the operands we read.
Lowerer::Address Lowerer::AddressOf(ir::Value addr, int64_t offset, ir::TrapCode trap) {
  Address a;
  a.base = dfg_.Resolve(addr);
  a.disp = offset;
  a.trap = trap;
  // base = x + k: the constant joins the displacement. A few steps cover chains of small adds
  // while bounding the work per access.
  for (int step = 0; step < 4; ++step) {
    ir::Inst add = Def64(dfg_, a.base, ir::Opcode::kIadd);
    if (!add.valid()) break;
    auto args = dfg_.args(add);
    int c = ConstDef(dfg_, args[1]).valid() ? 1 : ConstDef(dfg_, args[0]).valid() ? 0 : -1;
    if (c < 0) break;
    int64_t k = dfg_.inst(ConstDef(dfg_, args[c])).imm;
    if (!FitsDisp(k) || !FitsDisp(a.disp + k)) break;
    if (Drop(a.base)) {
      Drop(args[c]);
    } else {
      Take(args[1 - c]);
    }
    a.base = dfg_.Resolve(args[1 - c]);
    a.disp += k;
  }
  // base = x + y or x + (y << s), s in 0..3: an indexed address.
  ir::Inst add = Def64(dfg_, a.base, ir::Opcode::kIadd);
  if (!add.valid()) return a;
  ir::Value base = dfg_.args(add)[0], index = dfg_.args(add)[1];
  auto scaled = [&](ir::Value v) {
    ir::Inst shl = Def64(dfg_, v, ir::Opcode::kIshl);
    if (!shl.valid()) return ir::Inst();
    ir::Inst amount = ConstDef(dfg_, dfg_.args(shl)[1]);
    return amount.valid() && (dfg_.inst(amount).imm & 63) <= 3 ? shl : ir::Inst();
  };
  ir::Inst shl = scaled(index);
  if (!shl.valid() && scaled(base).valid()) {
    std::swap(base, index);
    shl = scaled(index);
  }
  if (!Drop(a.base)) {
    Take(base);
    Take(index);
  }
  if (shl.valid()) {
    ir::Value amount = dfg_.args(shl)[1];
    a.aux |= static_cast<uint32_t>(dfg_.inst(ConstDef(dfg_, amount)).imm & 3);
    if (Drop(index)) {
      Drop(amount);
    } else {
      Take(dfg_.args(shl)[0]);
    }
    index = dfg_.args(shl)[0];
  }
  a.base = dfg_.Resolve(base);
  a.index = dfg_.Resolve(index);
  a.aux |= kAddrIndexed;
  return a;
}

ir::Inst Lowerer::SinkableLoad(ir::Inst user, ir::Value v, int bytes, bool is_float) const {
  v = dfg_.Resolve(v);
  if (dfg_.value(v).kind != ir::ValueData::kResult || uses_[v.index()] != 1) return ir::Inst();
  ir::Inst ld(dfg_.value(v).owner);
  const ir::InstData& d = dfg_.inst(ld);
  if (d.opcode != ir::Opcode::kLoad || colour_[ld.index()] == kSunk || d.flags.has(ir::MemFlags::kBig)) {
    return ir::Inst();
  }
  // Same block, and the load is the only effectful instruction from it up to the user.
  if (f_.layout.inst_block(ld) != f_.layout.inst_block(user) || colour_[user.index()] != colour_[ld.index()] + 1) {
    return ir::Inst();
  }
  ir::Type t = dfg_.value_type(v);
  if ((is_float ? FloatBytes(t) : IntBytes(t)) != bytes) return ir::Inst();
  if (IntBytes(dfg_.value_type(dfg_.Resolve(dfg_.args(ld)[0]))) != 8) return ir::Inst();
  return ld;
}

Lowerer::Address Lowerer::Sink(ir::Value v) {
  ir::Inst ld(dfg_.value(dfg_.Resolve(v)).owner);
  colour_[ld.index()] = kSunk;
  Drop(v);
  const ir::InstData& d = dfg_.inst(ld);
  return AddressOf(dfg_.args(ld)[0], d.imm, d.flags.trap);
}

MInst& Lowerer::BeginMem(MOp op, ir::Value a, const Address& mem) {
  MInst& m = Begin(op);
  SetAddress(&m, mem);
  Use(a);
  UseBase(mem);
  UseIndex(mem);
  return m;
}

bool Lowerer::inst_sink_load(const IrInst& i, uint8_t* out) {
  ir::Inst inst(i.index);
  const ir::InstData& d = dfg_.inst(inst);
  auto args = dfg_.args(inst);
  if (args.size() != 2) return false;
  bool is_float = false, commutes = false;
  switch (d.opcode) {
    case ir::Opcode::kIadd:
    case ir::Opcode::kBand:
    case ir::Opcode::kBor:
    case ir::Opcode::kBxor:
    case ir::Opcode::kImul:
    case ir::Opcode::kIcmp: commutes = true; break;  // icmp by swapping its condition
    case ir::Opcode::kIsub: break;
    // Float operands are not swapped: with two NaNs SSE returns the first one.
    case ir::Opcode::kFadd:
    case ir::Opcode::kFsub:
    case ir::Opcode::kFmul:
    case ir::Opcode::kFdiv: is_float = true; break;
    default: return false;
  }
  ir::Type t = dfg_.value_type(dfg_.Resolve(args[0]));
  int bytes = is_float ? FloatBytes(t) : IntBytes(t);
  if (bytes < 4) return false;  // 8- and 16-bit memory forms are not emitted
  int32_t imm = 0;
  if (!is_float && d.opcode != ir::Opcode::kIcmp && inst_imm32_rhs(i, &imm)) return false;
  if (SinkableLoad(inst, args[1], bytes, is_float).valid()) {
    *out = 1;
    return true;
  }
  if (commutes && SinkableLoad(inst, args[0], bytes, is_float).valid()) {
    *out = 0;
    return true;
  }
  return false;
}

Unit Lowerer::emit_alu_mem(rules::AluOp op, uint8_t k) {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  Address mem = Sink(Arg(k));
  MInst& m = BeginMem(MOp::kAluMem, Arg(1 - k), mem);
  m.sub = static_cast<uint8_t>(AluOf(op));
  m.size = static_cast<uint8_t>(bytes);
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::emit_imul_mem(uint8_t k) {
  int bytes = ResultBytes();
  if (bytes == 0) return {};
  Address mem = Sink(Arg(k));
  BeginMem(MOp::kImulMem, Arg(1 - k), mem).size = static_cast<uint8_t>(bytes);
  ReuseDef(Result(0), 0);
  return End();
}

Unit Lowerer::emit_icmp_mem(uint8_t k) {
  int bytes = ArgBytes(0);
  if (bytes == 0) return {};
  ir::IntCC cc = static_cast<ir::IntCC>(cur().cond);
  Address mem = Sink(Arg(k));
  MInst& m = BeginMem(MOp::kIcmpMem, Arg(1 - k), mem);
  m.sub = static_cast<uint8_t>(CondOf(k == 1 ? cc : Swapped(cc)));
  m.size = static_cast<uint8_t>(bytes);
  Def(Result(0));
  return End();
}

Unit Lowerer::emit_sse_mem(rules::SseOp op) {
  int bytes = CheckFloat(Result(0));
  if (bytes == 0) return {};
  Address mem = Sink(Arg(1));
  MInst& m = BeginMem(MOp::kSseMem, Arg(0), mem);
  m.sub = SseOpcode(op);
  m.size = static_cast<uint8_t>(bytes);
  ReuseDef(Result(0), 0);
  return End();
}

bool Lowerer::inst_sink_ext_load(const IrInst& i) {
  ir::Inst inst(i.index);
  auto args = dfg_.args(inst);
  auto results = dfg_.results(inst);
  if (args.size() != 1 || results.size() != 1) return false;
  int from = IntBytes(dfg_.value_type(dfg_.Resolve(args[0])));
  int to = IntBytes(dfg_.value_type(results[0]));
  return from != 0 && from < to && SinkableLoad(inst, args[0], from, false).valid();
}

Unit Lowerer::emit_ext_load(bool is_signed) {
  int from = ArgBytes(0);
  if (from == 0 || ResultBytes() == 0) return {};
  return LoadFrom(Sink(Arg(0)), static_cast<uint8_t>(from), is_signed);
}

Unit Lowerer::LoadFrom(const Address& a, uint8_t bytes, bool is_signed) {
  MInst& m = Begin(MOp::kLoad);
  m.size = bytes;
  m.sub = is_signed ? 1 : 0;
  SetAddress(&m, a);
  UseBase(a);
  Def(Result(0));
  UseIndex(a);
  return End();
}

}  // namespace lathe::x64::lowering
