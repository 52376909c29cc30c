#include "isa/x64/lower.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "ir/condcodes.h"
#include "ir/opcode.h"
#include "isa/x64/abi.h"
#include "isa/x64/assembler.h"
#include "isa/x64/host_features.h"
#include "isa/x64/lower_rules.h"

namespace lathe::x64 {
namespace {

using regalloc::Constraint;
using regalloc::Operand;
using regalloc::OperandPos;
using regalloc::RegClass;
namespace rules = lathe::x64::rules;

constexpr RegClass kInt = RegClass::kInt;
constexpr RegClass kFloat = RegClass::kFloat;

bool IsI128(ir::Type t) { return t.is_int() && !t.is_vector() && t.lane_bits() == 128; }

// Bytes of a scalar float type the backend handles (f32, f64), or 0.
int FloatBytes(ir::Type t) {
  if (t.is_vector() || t.is_int()) return 0;
  uint32_t bits = t.lane_bits();
  return bits == 32 || bits == 64 ? static_cast<int>(bits / 8) : 0;
}

// Bytes of a scalar integer type the backend handles (i8..i64), or 0.
int IntBytes(ir::Type t) {
  if (!t.is_int() || t.is_vector() || t.lane_bits() > 64) return 0;
  return static_cast<int>(t.lane_bits() / 8);
}

Cond CondOf(ir::IntCC cc) {
  switch (cc) {
    case ir::IntCC::kEq: return Cond::kE;
    case ir::IntCC::kNe: return Cond::kNe;
    case ir::IntCC::kSlt: return Cond::kL;
    case ir::IntCC::kSge: return Cond::kGe;
    case ir::IntCC::kSgt: return Cond::kG;
    case ir::IntCC::kSle: return Cond::kLe;
    case ir::IntCC::kUlt: return Cond::kB;
    case ir::IntCC::kUge: return Cond::kAe;
    case ir::IntCC::kUgt: return Cond::kA;
    case ir::IntCC::kUle: return Cond::kBe;
  }
  return Cond::kE;
}

std::optional<rules::Op> RuleOp(ir::Opcode op) {
  switch (op) {
#define MAP(X) case ir::Opcode::k##X: return rules::Op::X;
    MAP(Iconst) MAP(Iadd) MAP(Isub) MAP(Imul) MAP(Band) MAP(Bor) MAP(Bxor) MAP(Bnot) MAP(Ineg)
    MAP(Ishl) MAP(Ushr) MAP(Sshr) MAP(Rotl) MAP(Rotr) MAP(Icmp) MAP(Select) MAP(Udiv) MAP(Sdiv)
    MAP(Urem) MAP(Srem) MAP(Smin) MAP(Umin) MAP(Smax) MAP(Umax) MAP(Uextend) MAP(Sextend)
    MAP(Ireduce) MAP(Load) MAP(Uload8) MAP(Sload8) MAP(Uload16) MAP(Sload16) MAP(Uload32)
    MAP(Sload32) MAP(Store) MAP(Istore8) MAP(Istore16) MAP(Istore32) MAP(StackAddr) MAP(Jump)
    MAP(Brif) MAP(BrTable) MAP(Return) MAP(Call) MAP(Trap) MAP(Trapz) MAP(Trapnz) MAP(Nop)
    MAP(F32const) MAP(F64const) MAP(Fadd) MAP(Fsub) MAP(Fmul) MAP(Fdiv) MAP(Sqrt) MAP(Fneg)
    MAP(Fabs) MAP(Fcopysign) MAP(Fcmp) MAP(Ceil) MAP(Floor) MAP(Trunc) MAP(Nearest) MAP(Fpromote)
    MAP(Fdemote) MAP(Bitcast) MAP(FcvtFromSint) MAP(FcvtFromUint)
    MAP(Bmask) MAP(UaddOverflow) MAP(SaddOverflow) MAP(UsubOverflow) MAP(SsubOverflow)
    MAP(UmulOverflow) MAP(SmulOverflow) MAP(Popcnt) MAP(Clz) MAP(Ctz) MAP(UaddOverflowTrap)
    MAP(Iconcat) MAP(Isplit) MAP(Fma) MAP(FcvtToSint) MAP(FcvtToUint) MAP(FcvtToSintSat)
    MAP(FcvtToUintSat) MAP(AtomicCas) MAP(Cls) MAP(Fmin) MAP(Fmax) MAP(AtomicRmw) MAP(AtomicLoad)
    MAP(AtomicStore) MAP(FuncAddr) MAP(CallIndirect)
    MAP(ReturnCall) MAP(ReturnCallIndirect)
#undef MAP
    default: return std::nullopt;
  }
}

class Lowerer : public rules::Context {
 public:
  Lowerer(const ir::Function& f, VCode* out, const IsaFlags& isa)
      : f_(f), dfg_(f.dfg), vc_(out), rf_(out->alloc_fn), isa_(isa) {}

  absl::Status Run();

  // --- DSL hooks: looking at the IR.
  void inst_op(const IrInst& i, rules::Op* out) override {
    *out = RuleOp(dfg_.inst(ir::Inst(i.index)).opcode).value_or(rules::Op::Other);
  }
  bool inst_imm32_rhs(const IrInst& i, int32_t* out) override {
    auto args = dfg_.args(ir::Inst(i.index));
    if (args.size() != 2) return false;
    ir::Value v = dfg_.Resolve(args[1]);
    if (dfg_.value(v).kind != ir::ValueData::kResult) return false;
    const ir::InstData& d = dfg_.inst(ir::Inst(dfg_.value(v).owner));
    if (d.opcode != ir::Opcode::kIconst) return false;
    int bytes = IntBytes(dfg_.value_type(v));
    if (bytes == 0) return false;
    // The immediate is sign-extended from 32 bits; for narrower types only the low bits matter.
    int64_t k = d.imm;
    if (bytes < 8) k = static_cast<int32_t>(static_cast<uint32_t>(k));
    if (k < INT32_MIN || k > INT32_MAX) return false;
    *out = static_cast<int32_t>(k);
    return true;
  }
  bool inst_cond_is_icmp(const IrInst& i) override {
    ir::Value c = dfg_.args(ir::Inst(i.index))[0];
    if (IcmpOf(c) == nullptr) return false;
    ir::Inst ci(dfg_.value(dfg_.Resolve(c)).owner);
    return !Wide(dfg_.args(ci)[0]);  // i128 compares are materialized by their own rule
  }

  // --- DSL hooks: emitting.
  Unit emit_nothing() override { return {}; }

  // --- i128 pairs.
  bool inst_is_i128(const IrInst& i) override {
    ir::Inst in(i.index);
    for (ir::Value r : dfg_.results(in)) {
      if (Wide(r)) return true;
    }
    auto args = dfg_.args(in);
    return !args.empty() && Wide(args[0]);
  }
  Unit emit_iconcat() override {
    if (!Wide(Result(0)) || ArgBytes(0) != 8 || ArgBytes(1) != 8) return Unsupported(dfg_.value_type(Result(0)));
    Begin(MOp::kCopy);
    Use(Arg(0));
    Def(Result(0));
    End();
    Begin(MOp::kCopy);
    Use(Arg(1));
    DefH(Result(0));
    return End();
  }
  Unit emit_isplit() override {
    if (!Wide(Arg(0)) || dfg_.results(cur_).size() != 2) return Unsupported(dfg_.value_type(Arg(0)));
    Begin(MOp::kCopy);
    Use(Arg(0));
    Def(Result(0));
    End();
    Begin(MOp::kCopy);
    UseH(Arg(0));
    Def(Result(1));
    return End();
  }
  Unit emit_wide_alu(rules::AluOp op) override {
    if (!Wide(Arg(0)) || !Wide(Arg(1)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Result(0)));
    Begin(MOp::kAlu128).sub = static_cast<uint8_t>(AluOf(op));
    Use(Arg(0));
    UseH(Arg(0));
    Use(Arg(1));
    UseH(Arg(1));
    ReuseDef(Result(0), 0);
    Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
    return End();
  }
  Unit emit_wide_icmp() override {
    if (!Wide(Arg(0)) || !Wide(Arg(1)) || ResultBytes() == 0) return {};
    Begin(MOp::kIcmp128).sub = cur().cond;
    Use(Arg(0));
    UseH(Arg(0));
    Use(Arg(1));
    UseH(Arg(1));
    TempDefEarly();
    TempDefEarly();
    Def(Result(0));
    return End();
  }
  Unit emit_wide_select() override {
    if (!Wide(Result(0))) return Unsupported(dfg_.value_type(Result(0)));
    int cbytes = ArgBytes(0);
    if (cbytes == 0) return {};
    Begin(MOp::kSelect128).size = static_cast<uint8_t>(cbytes);
    Use(Arg(0));
    Use(Arg(1));
    UseH(Arg(1));
    Use(Arg(2));
    UseH(Arg(2));
    ReuseDef(Result(0), 3);
    Emit(Operand::ReuseDef(H(Result(0)), kInt, 4));
    return End();
  }
  Unit emit_wide_extend(bool is_signed) override {
    if (!Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
    int from = ArgBytes(0);
    if (from == 0) return {};
    MInst& m = Begin(from == 8 ? MOp::kCopy : MOp::kExt);
    m.sub = is_signed ? 1 : 0;
    m.size = static_cast<uint8_t>(from);
    Use(Arg(0));
    Def(Result(0));
    End();
    if (is_signed) {
      Begin(MOp::kSarImm).imm = 63;
      Use(Result(0));
      Emit(Operand::ReuseDef(H(Result(0)), kInt, 0));
      return End();
    }
    Begin(MOp::kMovImm).imm = 0;
    DefH(Result(0));
    return End();
  }
  Unit emit_wide_reduce() override {
    if (!Wide(Arg(0)) || ResultBytes() == 0) return {};
    Begin(MOp::kCopy);
    Use(Arg(0));
    Def(Result(0));
    return End();
  }
  Unit emit_wide_load() override {
    if (!Wide(Result(0)) || ArgBytes(0) != 8) return Unsupported(dfg_.value_type(Result(0)));
    Begin(MOp::kLoad128).imm = cur().imm;
    Use(Arg(0));
    Emit(Operand::Def(V(Result(0)), kInt, Constraint::kReg, OperandPos::kEarly));
    DefH(Result(0));
    return End();
  }
  Unit emit_wide_store() override {
    if (!Wide(Arg(0)) || ArgBytes(1) != 8) return Unsupported(dfg_.value_type(Arg(0)));
    Begin(MOp::kStore128).imm = cur().imm;
    Use(Arg(0));
    UseH(Arg(0));
    Use(Arg(1));
    return End();
  }

  Unit emit_wide_shift(rules::ShiftOp op) override {
    if (!Wide(Arg(0)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
    if (!Wide(Arg(1)) && !CheckInt(Arg(1))) return {};
    static constexpr Shift kShifts[] = {Shift::kShl, Shift::kShr, Shift::kSar, Shift::kRol, Shift::kRor};
    Begin(MOp::kShift128).sub = static_cast<uint8_t>(kShifts[static_cast<int>(op)]);
    Use(Arg(0));
    UseH(Arg(0));
    Use(Arg(1));  // an i128 amount: its low half
    FixedDefEarly(rf_.num_vregs++, kRcx);
    rf_.vreg_class.push_back(kInt);
    ReuseDef(Result(0), 0);
    Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
    return End();
  }
  Unit emit_wide_overflow(rules::OvfOp op) override {
    if (op == rules::OvfOp::Umul || op == rules::OvfOp::Smul) return Unsupported(dfg_.value_type(Arg(0)));
    if (!Wide(Arg(0)) || !Wide(Arg(1)) || dfg_.results(cur_).size() != 2 || !CheckInt(Result(1))) {
      return Unsupported(dfg_.value_type(Arg(0)));
    }
    Begin(MOp::kOverflow128).sub = static_cast<uint8_t>(op);
    Use(Arg(0));
    UseH(Arg(0));
    Use(Arg(1));
    UseH(Arg(1));
    ReuseDef(Result(0), 0);
    Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
    Def(Result(1));
    return End();
  }
  Unit emit_wide_unary(rules::UnOp op) override {
    if (!Wide(Arg(0)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
    Begin(MOp::kUnary128).sub = op == rules::UnOp::Neg ? 0 : 1;
    Use(Arg(0));
    UseH(Arg(0));
    ReuseDef(Result(0), 0);
    Emit(Operand::ReuseDef(H(Result(0)), kInt, 1));
    return End();
  }
  Unit emit_to_int(bool is_signed, bool saturating) override {
    int from = CheckFloat(Arg(0)), to = ResultBytes();
    if (from == 0 || to == 0) return {};
    if (to < 4) return Unsupported(dfg_.value_type(Result(0)));
    MInst& m = Begin(MOp::kToInt);
    m.sub = static_cast<uint8_t>((is_signed ? 1 : 0) | (saturating ? 2 : 0));
    m.size = static_cast<uint8_t>(from);
    m.imm = to;
    Use(Arg(0));
    TempDefEarly();
    for (int k = 0; k < 2; ++k) {
      uint32_t v = rf_.num_vregs++;
      rf_.vreg_class.push_back(kFloat);
      Emit(Operand::Def(v, kFloat, Constraint::kReg, OperandPos::kEarly));
    }
    Def(Result(0));
    return End();
  }
  Unit emit_wide_imul() override {
    if (!Wide(Arg(0)) || !Wide(Arg(1)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
    Begin(MOp::kImul128);
    Use(Arg(0));
    UseH(Arg(0));
    Emit(Operand::Use(V(Arg(1)), kInt, Constraint::kReg, OperandPos::kLate));  // read by mul after rax is set
    UseH(Arg(1));
    TempDefEarly();
    TempDefEarly();
    Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax)));
    Emit(Operand::FixedDef(H(Result(0)), IntReg(kRdx)));
    return End();
  }
  Unit emit_wide_bitcount(rules::CountOp op) override {
    if (!Wide(Arg(0)) || !Wide(Result(0))) return Unsupported(dfg_.value_type(Arg(0)));
    const bool fallback = !HasCountExtension(op);  // emitted with baseline instructions
    MInst& m = Begin(MOp::kBitCount128);
    m.sub = static_cast<uint8_t>(op);
    m.imm = fallback;
    Use(Arg(0));
    UseH(Arg(0));
    TempDefEarly();
    if (fallback && op == rules::CountOp::Popcnt) TempDefEarly();
    Def(Result(0));
    DefH(Result(0));
    return End();
  }
  Unit emit_fminmax(bool is_max) override {
    int bytes = CheckFloat(Result(0));
    if (bytes == 0) return {};
    MInst& m = Begin(MOp::kFminMax);
    m.sub = is_max ? 1 : 0;
    m.size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
    Use(Arg(1));
    TempDefEarly();
    ReuseDef(Result(0), 0);
    return End();
  }
  Unit emit_fence() override {
    Begin(MOp::kFence);
    return End();
  }
  Unit emit_atomic_rmw() override {
    int bytes = ResultBytes();
    if (bytes == 0 || ArgBytes(0) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(0)));
    if (ArgBytes(1) == 0) return {};
    MInst& m = Begin(MOp::kAtomicRmw);
    m.sub = cur().cond;
    m.size = static_cast<uint8_t>(bytes);
    // Late uses: rax (the result) is loaded before the operands are last read.
    Emit(Operand::Use(V(Arg(0)), kInt, Constraint::kReg, OperandPos::kLate));
    Emit(Operand::Use(V(Arg(1)), kInt, Constraint::kReg, OperandPos::kLate));
    TempDefEarly();
    Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax)));
    return End();
  }
  Unit emit_atomic_cas() override {
    int bytes = ResultBytes();
    if (bytes == 0 || ArgBytes(0) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(0)));
    Begin(MOp::kCas).size = static_cast<uint8_t>(bytes);
    Emit(Operand::FixedUse(V(Arg(1)), IntReg(kRax)));
    Use(Arg(0));
    Use(Arg(2));
    Emit(Operand::FixedDef(V(Result(0)), IntReg(kRax)));
    return End();
  }
  Unit emit_cls() override {
    int bytes = ResultBytes();
    if (bytes == 0) return {};
    MInst& m = Begin(MOp::kCls);
    m.size = static_cast<uint8_t>(bytes);
    m.imm = !isa_.has_lzcnt;  // clz through bsr when lzcnt is missing
    Use(Arg(0));
    TempDefEarly();
    Def(Result(0));
    return End();
  }
  Unit emit_fma() override {
    int bytes = CheckFloat(Result(0));
    if (bytes == 0) return {};
    if (!isa_.has_fma) return Fail("fma without the FMA3 extension on this target");
    Begin(MOp::kFma).size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
    Use(Arg(1));
    Use(Arg(2));
    ReuseDef(Result(0), 2);
    return End();
  }
  Unit emit_bmask() override {
    int from = ArgBytes(0);
    if (from == 0 || ResultBytes() == 0) return {};
    Begin(MOp::kBmask).size = static_cast<uint8_t>(from);
    Use(Arg(0));
    Def(Result(0));
    return End();
  }
  Unit emit_overflow(rules::OvfOp op) override {
    int bytes = ResultBytes();
    if (bytes == 0) return {};
    if (op == rules::OvfOp::Umul && bytes == 8) return Fail("umul_overflow.i64");
    if (dfg_.results(cur_).size() != 2) return Fail("an overflow op without its flag result");
    MInst& m = Begin(MOp::kOverflow);
    m.sub = static_cast<uint8_t>(op);
    m.size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
    Use(Arg(1));
    TempDefEarly();
    ReuseDef(Result(0), 0);
    Def(Result(1));
    return End();
  }
  Unit emit_add_trap_on_carry() override {
    int bytes = ResultBytes();
    if (bytes == 0) return {};
    MInst& m = Begin(MOp::kAddTrapC);
    m.size = static_cast<uint8_t>(bytes);
    m.trap = cur().trap;
    Use(Arg(0));
    Use(Arg(1));
    ReuseDef(Result(0), 0);
    return End();
  }
  Unit emit_bitcount(rules::CountOp op) override {
    int bytes = ResultBytes();
    if (bytes == 0) return {};
    const bool fallback = !HasCountExtension(op);  // emitted with baseline instructions
    MInst& m = Begin(MOp::kBitCount);
    m.sub = static_cast<uint8_t>(op);
    m.size = static_cast<uint8_t>(bytes);
    m.imm = fallback;
    Use(Arg(0));
    if (fallback && op == rules::CountOp::Popcnt) TempDefEarly();
    Def(Result(0));
    return End();
  }

  // --- Scalar floats.
  Unit emit_fconst() override {
    int bytes = CheckFloat(Result(0));
    if (bytes == 0) return {};
    uint64_t bits = static_cast<uint64_t>(cur().imm);
    if (bytes == 4) bits &= 0xffffffffu;
    MInst& m = Begin(MOp::kLoadConst);  // from the constant pool
    m.size = static_cast<uint8_t>(bytes);
    m.imm = static_cast<int64_t>(bits);
    Def(Result(0));
    return End();
  }
  Unit emit_sse(rules::SseOp op) override {
    int bytes = CheckFloat(Result(0));
    if (bytes == 0) return {};
    static constexpr uint8_t kOps[] = {0x58, 0x5C, 0x59, 0x5E};
    MInst& m = Begin(MOp::kSse);
    m.sub = kOps[static_cast<int>(op)];
    m.size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
    Use(Arg(1));
    ReuseDef(Result(0), 0);
    return End();
  }
  Unit SseUnary(uint8_t prefix, uint8_t op) {
    MInst& m = Begin(MOp::kSseUnary);
    m.sub = op;
    m.imm = prefix;
    Use(Arg(0));
    Def(Result(0));
    return End();
  }
  Unit emit_sqrt() override {
    int bytes = CheckFloat(Result(0));
    if (bytes == 0) return {};
    return SseUnary(bytes == 4 ? 0xF3 : 0xF2, 0x51);
  }
  Unit emit_fconvert() override {
    int to = CheckFloat(Result(0)), from = CheckFloat(Arg(0));
    if (to == 0 || from == 0) return {};
    if (to == from) return Unsupported(dfg_.value_type(Result(0)));
    return SseUnary(from == 4 ? 0xF3 : 0xF2, 0x5A);
  }
  Unit emit_round(rules::RoundMode mode) override {
    int bytes = CheckFloat(Result(0));
    if (bytes == 0) return {};
    if (!isa_.has_sse41) return Fail("rounding without SSE4.1 on this target");
    MInst& m = Begin(MOp::kRound);
    m.sub = static_cast<uint8_t>(mode);
    m.size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
    Def(Result(0));
    return End();
  }
  Unit emit_fsign(rules::SignOp op) override {
    int bytes = CheckFloat(Result(0));
    if (bytes == 0) return {};
    MInst& m = Begin(MOp::kFsign);
    m.sub = static_cast<uint8_t>(op);
    m.size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
    if (op == rules::SignOp::Copysign) {  // sign masks come from the constant pool
      Use(Arg(1));
      uint32_t t = rf_.num_vregs++;
      rf_.vreg_class.push_back(kFloat);
      Emit(Operand::Def(t, kFloat, Constraint::kReg, OperandPos::kEarly));
    }
    Def(Result(0));
    return End();
  }
  Unit emit_fcmp() override {
    int bytes = CheckFloat(Arg(0));
    if (bytes == 0 || ResultBytes() == 0) return {};
    MInst& m = Begin(MOp::kFcmp);
    m.sub = cur().cond;
    m.size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
    Use(Arg(1));
    TempDefEarly();
    Def(Result(0));
    return End();
  }
  Unit emit_bitcast() override {
    ir::Value a = Arg(0), r = Result(0);
    int to = CheckScalar(r), from = CheckScalar(a);
    if (to == 0 || from == 0) return {};
    if (to != from) return Unsupported(dfg_.value_type(r));
    if (IsFloat(a) == IsFloat(r)) {
      if (IsFloat(a)) return SseUnary(0, 0x28);  // movaps
      Begin(MOp::kCopy);
      Use(a);
      Def(r);
      return End();
    }
    Begin(IsFloat(r) ? MOp::kGprToXmm : MOp::kXmmToGpr).size = static_cast<uint8_t>(to);
    Use(a);
    Def(r);
    return End();
  }
  Unit emit_from_int(bool is_signed) override {
    int to = CheckFloat(Result(0)), from = CheckInt(Arg(0));
    if (to == 0 || from == 0) return {};
    if (!is_signed && from == 8) return Fail("fcvt_from_uint from i64");
    MInst& m = Begin(MOp::kCvtFromInt);
    m.sub = is_signed ? 1 : 0;
    m.size = static_cast<uint8_t>(from);
    m.imm = to;
    Use(Arg(0));
    TempDefEarly();
    Def(Result(0));
    return End();
  }
  Unit emit_iconst() override {
    int bytes = ResultBytes();
    if (bytes == 0) return {};
    uint64_t k = static_cast<uint64_t>(cur().imm);
    if (bytes < 8) k &= (uint64_t{1} << (8 * bytes)) - 1;
    Begin(MOp::kMovImm).imm = static_cast<int64_t>(k);
    Def(Result(0));
    return End();
  }
  Unit emit_alu(rules::AluOp op) override { return Binary(MOp::kAlu, static_cast<uint8_t>(AluOf(op))); }
  Unit emit_alu_imm(rules::AluOp op, int32_t k) override {
    int bytes = ResultBytes();
    if (bytes == 0) return {};
    MInst& m = Begin(MOp::kAluImm);
    m.sub = static_cast<uint8_t>(AluOf(op));
    m.size = OpSize(bytes);
    m.imm = k;
    Use(Arg(0));
    ReuseDef(Result(0), 0);
    return End();
  }
  Unit emit_imul() override { return Binary(MOp::kImul, 0); }
  Unit emit_unary(rules::UnOp op) override {
    int bytes = ResultBytes();
    if (bytes == 0) return {};
    MInst& m = Begin(MOp::kUnary);
    m.sub = op == rules::UnOp::Neg ? 0 : 1;
    m.size = OpSize(bytes);
    Use(Arg(0));
    ReuseDef(Result(0), 0);
    return End();
  }
  Unit emit_shift(rules::ShiftOp op) override {
    int bytes = ResultBytes();
    if (bytes == 0 || (!Wide(Arg(1)) && !CheckInt(Arg(1)))) return {};  // an i128 amount: its low half
    static constexpr Shift kShifts[] = {Shift::kShl, Shift::kShr, Shift::kSar, Shift::kRol, Shift::kRor};
    MInst& m = Begin(MOp::kShift);
    m.sub = static_cast<uint8_t>(kShifts[static_cast<int>(op)]);
    m.size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
    Use(Arg(1));
    FixedDefEarly(rf_.num_vregs++, kRcx);
    rf_.vreg_class.push_back(kInt);
    ReuseDef(Result(0), 0);
    return End();
  }
  Unit emit_div(rules::DivOp op) override {
    int bytes = ResultBytes();
    if (bytes == 0) return {};
    MInst& m = Begin(MOp::kDiv);
    m.sub = static_cast<uint8_t>(op);
    m.size = static_cast<uint8_t>(bytes);
    bool rem = op == rules::DivOp::Urem || op == rules::DivOp::Srem;
    Emit(Operand::FixedUse(V(Arg(0)), IntReg(kRax)));
    Use(Arg(1));
    FixedDefEarly(rf_.num_vregs++, kRcx);
    rf_.vreg_class.push_back(kInt);
    Emit(Operand::FixedDef(V(Result(0)), IntReg(rem ? kRdx : kRax)));
    regalloc::PRegSet clobber;
    clobber.Add(IntReg(rem ? kRax : kRdx));
    return End(ClobberSet(clobber));
  }
  Unit emit_minmax(rules::MinMax op) override {
    // Keep a, and take b when the condition says a is on the wrong side of b.
    static constexpr Cond kTakeB[] = {Cond::kG, Cond::kA, Cond::kL, Cond::kB};
    return Binary(MOp::kMinMax, static_cast<uint8_t>(kTakeB[static_cast<int>(op)]));
  }
  Unit emit_icmp() override {
    int bytes = ArgBytes(0);
    if (bytes == 0) return {};
    MInst& m = Begin(MOp::kIcmp);
    m.sub = static_cast<uint8_t>(CondOf(static_cast<ir::IntCC>(cur().cond)));
    m.size = static_cast<uint8_t>(bytes);
    Use(Arg(0));
    Use(Arg(1));
    Def(Result(0));
    return End();
  }
  Unit emit_select(bool fused) override {
    if (!dfg_.results(cur_).empty() && IsFloat(Result(0))) {
      int cbytes = ArgBytes(0);
      if (cbytes == 0) return {};
      MInst& m = Begin(MOp::kSelectF);
      m.size = static_cast<uint8_t>(cbytes);
      Use(Arg(0));
      Use(Arg(1));
      Use(Arg(2));
      ReuseDef(Result(0), 2);
      return End();
    }
    if (ResultBytes() == 0) return {};
    if (fused) {
      if (!BeginFusedIcmp(MOp::kSelectIcmp)) return {};
      Use(Arg(1));
      Use(Arg(2));
      ReuseDef(Result(0), 3);
      return End();
    }
    int cbytes = ArgBytes(0);
    if (cbytes == 0) return {};
    MInst& m = Begin(MOp::kSelect);
    m.size = static_cast<uint8_t>(cbytes);
    Use(Arg(0));
    Use(Arg(1));
    Use(Arg(2));
    ReuseDef(Result(0), 2);
    return End();
  }
  Unit emit_extend(bool is_signed) override {
    int to = ResultBytes(), from = ArgBytes(0);
    if (to == 0 || from == 0) return {};
    MInst& m = Begin(from == 8 ? MOp::kCopy : MOp::kExt);
    m.sub = is_signed ? 1 : 0;
    m.size = static_cast<uint8_t>(from);
    Use(Arg(0));
    Def(Result(0));
    return End();
  }
  Unit emit_ireduce() override {
    if (ResultBytes() == 0 || ArgBytes(0) == 0) return {};
    Begin(MOp::kCopy);
    Use(Arg(0));
    Def(Result(0));
    return End();
  }
  Unit emit_load(uint8_t mem_bytes, bool is_signed) override {
    if (!dfg_.results(cur_).empty() && IsFloat(Result(0)) && mem_bytes == 0) {
      if (ArgBytes(0) != 8) return {};
      MInst& m = Begin(MOp::kFload);
      m.size = static_cast<uint8_t>(CheckFloat(Result(0)));
      m.imm = cur().imm;
      Use(Arg(0));
      Def(Result(0));
      return End();
    }
    int bytes = ResultBytes();
    if (bytes == 0 || ArgBytes(0) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(0)));
    MInst& m = Begin(MOp::kLoad);
    m.size = mem_bytes == 0 ? static_cast<uint8_t>(bytes) : mem_bytes;
    m.sub = is_signed ? 1 : 0;
    m.imm = cur().imm;
    Use(Arg(0));
    Def(Result(0));
    return End();
  }
  Unit emit_store(uint8_t mem_bytes) override {
    if (dfg_.args(cur_).size() == 2 && IsFloat(Arg(0)) && mem_bytes == 0) {
      if (ArgBytes(1) != 8) return {};
      MInst& m = Begin(MOp::kFstore);
      m.size = static_cast<uint8_t>(CheckFloat(Arg(0)));
      m.imm = cur().imm;
      Use(Arg(0));
      Use(Arg(1));
      return End();
    }
    int bytes = ArgBytes(0);
    if (bytes == 0 || ArgBytes(1) != 8) return bytes == 0 ? Unit{} : Unsupported(dfg_.value_type(Arg(1)));
    MInst& m = Begin(MOp::kStore);
    m.size = mem_bytes == 0 ? static_cast<uint8_t>(bytes) : mem_bytes;
    m.imm = cur().imm;
    Use(Arg(0));  // the value
    Use(Arg(1));  // the address
    return End();
  }
  Unit emit_stack_addr() override {
    if (ResultBytes() != 8) return Unsupported(dfg_.value_type(Result(0)));
    MInst& m = Begin(MOp::kStackAddr);
    m.aux = cur().entity;
    m.imm = cur().imm;
    Def(Result(0));
    return End();
  }
  Unit emit_jump() override {
    Begin(MOp::kJump);
    End(0, regalloc::kInstBranch);
    AddEdge(dfg_.block_calls(cur_)[0]);
    return {};
  }
  Unit emit_brif(bool fused) override {
    if (fused) {
      if (!BeginFusedIcmp(MOp::kBrIcmp)) return {};
    } else if (Wide(Arg(0))) {
      Begin(MOp::kBrif128);
      Use(Arg(0));
      UseH(Arg(0));
    } else {
      int bytes = ArgBytes(0);
      if (bytes == 0) return {};
      Begin(MOp::kBrif).size = static_cast<uint8_t>(bytes);
      Use(Arg(0));
    }
    End(0, regalloc::kInstBranch);
    for (uint32_t bc : dfg_.block_calls(cur_)) AddEdgeViaEdgeBlock(bc);
    return {};
  }
  Unit emit_br_table() override {
    if (ArgBytes(0) == 0) return {};
    if (ArgBytes(0) > 4) return Unsupported(dfg_.value_type(Arg(0)));
    // A terminator may not define values, so the zero-extended index is a separate vreg that
    // dies at the branch; the branch reuses its register for the loaded table entry.
    uint32_t idx = rf_.num_vregs++;
    rf_.vreg_class.push_back(kInt);
    MInst& ext = Begin(MOp::kExt);
    ext.sub = 0;
    ext.size = static_cast<uint8_t>(ArgBytes(0));
    Use(Arg(0));
    Emit(Operand::Def(idx, kInt, Constraint::kReg));
    End();
    Begin(MOp::kBrTable).size = 4;
    Emit(Operand::Use(idx, kInt, Constraint::kReg));
    End(0, regalloc::kInstBranch);
    for (uint32_t bc : dfg_.block_calls(cur_)) AddEdgeViaEdgeBlock(bc);
    return {};
  }
  Unit emit_return() override {
    auto args = dfg_.args(cur_);
    if (ret_area_) {
      for (size_t i = 0; i < args.size(); ++i) {
        bool wide = Wide(args[i]), fl = IsFloat(args[i]);
        if (!wide && !CheckScalar(args[i])) return {};
        MInst& m = Begin(wide ? MOp::kStore128 : fl ? MOp::kFstore : MOp::kStore);
        m.size = fl ? static_cast<uint8_t>(CheckFloat(args[i])) : 8;
        m.imm = static_cast<int64_t>(16 * i);
        Use(args[i]);
        if (wide) UseH(args[i]);
        Emit(Operand::Use(ret_ptr_, kInt, Constraint::kReg));
        End();
      }
      Begin(MOp::kReturn);
      return End(0, regalloc::kInstReturn);
    }
    Begin(MOp::kReturn);
    int ni = 0, nf = 0;
    for (size_t i = 0; i < args.size(); ++i) {
      if (Wide(args[i])) {
        if (ni != 0) return Fail("returning an i128 with other integer values");
        Emit(Operand::FixedUse(V(args[i]), IntReg(kRetRegs[ni++])));
        Emit(Operand::FixedUse(H(args[i]), IntReg(kRetRegs[ni++])));
        continue;
      }
      if (!CheckScalar(args[i])) return {};
      bool fl = IsFloat(args[i]);
      if ((fl ? nf : ni) >= kMaxRegReturns) return Fail("returning more than 2 integer or 2 float values");
      Emit(Operand::FixedUse(V(args[i]), fl ? XmmReg(static_cast<uint8_t>(nf++)) : IntReg(kRetRegs[ni++])));
    }
    return End(0, regalloc::kInstReturn);
  }
  Unit emit_call() override {
    const ir::ExtFuncData& callee = f_.ext_funcs[cur().entity];
    return LowerCall(MOp::kCall, cur().entity, callee.signature.index(), 0);
  }
  Unit emit_call_indirect() override {
    if (dfg_.args(cur_).empty() || ArgBytes(0) != 8) return Fail("call_indirect needs an i64 callee address");
    return LowerCall(MOp::kCallIndirect, 0, cur().entity, 1);
  }
  // Tail calls: arguments in registers only; the emitter tears the frame down (which touches
  // no argument register) and jumps instead of calling.
  Unit emit_return_call() override {
    if (ret_area_) return Fail("tail calls from functions returning values in memory");
    const ir::ExtFuncData& callee = f_.ext_funcs[cur().entity];
    return LowerCall(MOp::kTailCall, cur().entity, callee.signature.index(), 0);
  }
  Unit emit_return_call_indirect() override {
    if (ret_area_) return Fail("tail calls from functions returning values in memory");
    if (dfg_.args(cur_).empty() || ArgBytes(0) != 8) return Fail("return_call_indirect needs an i64 callee address");
    return LowerCall(MOp::kTailCallIndirect, 0, cur().entity, 1);
  }
  Unit emit_func_addr() override {
    if (ResultBytes() != 8) return Unsupported(dfg_.value_type(Result(0)));
    MInst& m = Begin(MOp::kFuncAddr);
    m.aux = cur().entity;
    Def(Result(0));
    return End();
  }
  // A call whose arguments start at args[first]; for an indirect call args[0] is the callee
  // address, pinned to r10 because that register carries no argument and is caller-saved.
  Unit LowerCall(MOp op, uint32_t aux, size_t sig, size_t first) {
    auto all_args = dfg_.args(cur_);
    auto args = all_args.subspan(first);
    auto results = dfg_.results(cur_);
    if (sig < f_.signatures.size() && ReturnsInMemory(f_.signatures[sig])) {
      return Fail("calls to functions returning values in memory");
    }
    MInst& m = Begin(op);
    m.aux = aux;
    regalloc::PRegSet clobbers = CallerSavedSet();
    if (first == 1) Emit(Operand::FixedUse(V(all_args[0]), IntReg(kR10)));
    int ni = 0, nf = 0;
    for (size_t i = 0; i < args.size(); ++i) {
      if (Wide(args[i])) {
        if (ni + 1 >= kMaxRegArgs) return Fail("a call with stack arguments");
        Emit(Operand::FixedUse(V(args[i]), IntReg(kArgRegs[ni++])));
        Emit(Operand::FixedUse(H(args[i]), IntReg(kArgRegs[ni++])));
        continue;
      }
      if (!CheckScalar(args[i])) return {};
      bool fl = IsFloat(args[i]);
      if (fl ? nf >= kMaxFloatArgs : ni >= kMaxRegArgs) return Fail("a call with stack arguments");
      Emit(Operand::FixedUse(V(args[i]), fl ? XmmReg(static_cast<uint8_t>(nf++)) : IntReg(kArgRegs[ni++])));
    }
    ni = nf = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      if (Wide(results[i])) {
        if (ni != 0) return Fail("a call returning an i128 with other integer values");
        Emit(Operand::FixedDef(V(results[i]), IntReg(kRetRegs[0])));
        Emit(Operand::FixedDef(H(results[i]), IntReg(kRetRegs[1])));
        clobbers.Remove(IntReg(kRetRegs[0]));
        clobbers.Remove(IntReg(kRetRegs[1]));
        ni = 2;
        continue;
      }
      if (!CheckScalar(results[i])) return {};
      bool fl = IsFloat(results[i]);
      if ((fl ? nf : ni) >= kMaxRegReturns) return Fail("a call returning more than 2 integer or 2 float values");
      regalloc::PReg r = fl ? XmmReg(static_cast<uint8_t>(nf++)) : IntReg(kRetRegs[ni++]);
      Emit(Operand::FixedDef(V(results[i]), r));
      clobbers.Remove(r);
    }
    if (op == MOp::kTailCall || op == MOp::kTailCallIndirect) return End(0, regalloc::kInstReturn);
    return End(ClobberSet(clobbers));
  }
  Unit emit_trap() override {
    Begin(MOp::kTrap).trap = cur().trap;
    // A trap ends its block without successors; the allocator treats it as a return.
    return End(0, regalloc::kInstReturn);
  }
  Unit emit_trap_if(bool if_nonzero) override {
    int bytes = ArgBytes(0);
    if (bytes == 0) return {};
    MInst& m = Begin(MOp::kTrapIf);
    m.sub = if_nonzero ? 1 : 0;
    m.size = static_cast<uint8_t>(bytes);
    m.trap = cur().trap;
    Use(Arg(0));
    return End();
  }

 private:
  const ir::InstData& cur() const { return dfg_.inst(cur_); }
  ir::Value Arg(size_t i) const { return dfg_.args(cur_)[i]; }
  ir::Value Result(size_t i) const { return dfg_.results(cur_)[i]; }
  int ArgBytes(size_t i) {
    if (i >= dfg_.args(cur_).size()) return Fail("a missing operand"), 0;
    return CheckInt(Arg(i));
  }
  int ResultBytes() {
    if (dfg_.results(cur_).empty()) return Fail("a missing result"), 0;
    return CheckInt(Result(0));
  }
  int CheckInt(ir::Value v) {
    int b = IntBytes(dfg_.value_type(dfg_.Resolve(v)));
    if (b == 0) Unsupported(dfg_.value_type(dfg_.Resolve(v)));
    return b;
  }
  static uint8_t OpSize(int bytes) { return bytes == 8 ? 8 : 4; }
  static Alu AluOf(rules::AluOp op) {
    static constexpr Alu kAlus[] = {Alu::kAdd, Alu::kSub, Alu::kAnd, Alu::kOr, Alu::kXor};
    return kAlus[static_cast<int>(op)];
  }
  // Begins `op` fused with the icmp that defines Arg(0): its condition, width and both compare
  // operands become the instruction's first uses. False (failure recorded) for an
  // unsupported compared type.
  bool BeginFusedIcmp(MOp op) {
    const ir::InstData* cmp = IcmpOf(Arg(0));
    ir::Inst ci(dfg_.value(dfg_.Resolve(Arg(0))).owner);
    ir::Type t = dfg_.value_type(dfg_.args(ci)[0]);
    int bytes = IntBytes(t);
    if (bytes == 0) {
      Unsupported(t);
      return false;
    }
    MInst& m = Begin(op);
    m.sub = static_cast<uint8_t>(CondOf(static_cast<ir::IntCC>(cmp->cond)));
    m.size = static_cast<uint8_t>(bytes);
    Use(dfg_.args(ci)[0]);
    Use(dfg_.args(ci)[1]);
    return true;
  }
  Unit Unsupported(ir::Type t) {
    return Fail(absl::StrCat("type ", t.Name(), " in ", ir::Name(cur().opcode)));
  }
  Unit Fail(const std::string& what) {
    if (status_.ok()) {
      uint32_t line = f_.text_line(cur_);
      status_ = absl::UnimplementedError(absl::StrCat(line ? absl::StrCat("line ", line, ": ") : "", "x64 backend does not support ",
                                                      what, " (function ", f_.name.ToString(), ")"));
    }
    return {};
  }
  // The icmp producing `v`, if any.
  const ir::InstData* IcmpOf(ir::Value v) const {
    v = dfg_.Resolve(v);
    if (dfg_.value(v).kind != ir::ValueData::kResult) return nullptr;
    const ir::InstData& d = dfg_.inst(ir::Inst(dfg_.value(v).owner));
    return d.opcode == ir::Opcode::kIcmp ? &d : nullptr;
  }
  Unit Binary(MOp op, uint8_t sub) {
    int bytes = ResultBytes();
    if (bytes == 0) return {};
    MInst& m = Begin(op);
    m.sub = sub;
    m.size = op == MOp::kMinMax ? static_cast<uint8_t>(bytes) : OpSize(bytes);
    Use(Arg(0));
    Use(Arg(1));
    ReuseDef(Result(0), 0);
    return End();
  }

  uint32_t V(ir::Value v) const { return vreg_[dfg_.Resolve(v).index()]; }
  // The high half of an i128 value.
  uint32_t H(ir::Value v) const { return hi_[dfg_.Resolve(v).index()]; }
  bool Wide(ir::Value v) const { return IsI128(dfg_.value_type(dfg_.Resolve(v))); }
  void UseH(ir::Value v) { Emit(Operand::Use(H(v), kInt, Constraint::kReg)); }
  void DefH(ir::Value v) { Emit(Operand::Def(H(v), kInt, Constraint::kReg)); }
  MInst& Begin(MOp op) {
    vc_->insts.push_back(MInst());
    vc_->insts.back().op = op;
    regalloc::Inst ri;
    ri.operands_begin = ri.operands_end = static_cast<uint32_t>(rf_.operands.size());
    rf_.insts.push_back(ri);
    return vc_->insts.back();
  }
  void Emit(Operand o) { rf_.operands.push_back(o); }
  RegClass Cls(ir::Value v) const { return rf_.vreg_class[V(v)]; }
  void Use(ir::Value v) { Emit(Operand::Use(V(v), Cls(v), Constraint::kReg)); }
  void Def(ir::Value v) { Emit(Operand::Def(V(v), Cls(v), Constraint::kReg)); }
  void ReuseDef(ir::Value v, uint8_t input) { Emit(Operand::ReuseDef(V(v), Cls(v), input)); }
  void FixedDefEarly(uint32_t vreg, uint8_t r) { Emit(Operand::FixedDef(vreg, IntReg(r), OperandPos::kEarly)); }
  // A fresh integer temporary, defined early (so it overlaps no operand of the instruction).
  void TempDefEarly() {
    uint32_t v = rf_.num_vregs++;
    rf_.vreg_class.push_back(kInt);
    Emit(Operand::Def(v, kInt, Constraint::kReg, OperandPos::kEarly));
  }
  bool HasCountExtension(rules::CountOp op) const {
    return op == rules::CountOp::Popcnt ? isa_.has_popcnt : op == rules::CountOp::Clz ? isa_.has_lzcnt : isa_.has_bmi1;
  }
  int CheckFloat(ir::Value v) {
    int b = FloatBytes(dfg_.value_type(dfg_.Resolve(v)));
    if (b == 0) Unsupported(dfg_.value_type(dfg_.Resolve(v)));
    return b;
  }
  bool IsFloat(ir::Value v) const { return FloatBytes(dfg_.value_type(dfg_.Resolve(v))) != 0; }
  // Int or float scalar: bytes, or 0 after recording an error.
  int CheckScalar(ir::Value v) { return IsFloat(v) ? FloatBytes(dfg_.value_type(dfg_.Resolve(v))) : CheckInt(v); }
  Unit End(uint32_t clobbers = 0, uint8_t flags = 0) {
    rf_.insts.back().operands_end = static_cast<uint32_t>(rf_.operands.size());
    rf_.insts.back().clobbers = clobbers;
    rf_.insts.back().flags = flags;
    return {};
  }
  // Clobber sets are pooled; a function uses only a handful of distinct ones.
  uint32_t ClobberSet(const regalloc::PRegSet& set) {
    for (uint32_t k = 1; k < rf_.clobber_sets.size(); ++k) {
      const regalloc::PRegSet& c = rf_.clobber_sets[k];
      bool same = true;
      for (int cls = 0; cls < regalloc::kNumRegClasses; ++cls) {
        same = same && c.class_bits(static_cast<RegClass>(cls)) == set.class_bits(static_cast<RegClass>(cls));
      }
      if (same) return k;
    }
    rf_.clobber_sets.push_back(set);
    return static_cast<uint32_t>(rf_.clobber_sets.size() - 1);
  }

  void StartBlock(uint32_t id) {
    (void)id;
    regalloc::Block b;
    b.insts_begin = static_cast<uint32_t>(rf_.insts.size());
    b.succs_begin = b.succs_end = static_cast<uint32_t>(rf_.succs.size());
    b.params_begin = b.params_end = static_cast<uint32_t>(rf_.params.size());
    rf_.blocks.push_back(b);
  }
  void EndBlock() { rf_.blocks.back().insts_end = static_cast<uint32_t>(rf_.insts.size()); }
  // Adds a successor edge (with its arguments) to the block being built.
  void AddSucc(uint32_t target, const std::vector<uint32_t>& args) {
    rf_.succs.push_back(target);
    rf_.blocks.back().succs_end = static_cast<uint32_t>(rf_.succs.size());
    rf_.edge_args.insert(rf_.edge_args.end(), args.begin(), args.end());
    rf_.edge_args_begin.push_back(static_cast<uint32_t>(rf_.edge_args.size()));
  }
  std::vector<uint32_t> EdgeArgs(uint32_t bc) {
    std::vector<uint32_t> out;
    for (const ir::BlockArg& a : dfg_.block_call_args(bc)) {
      if (a.kind() != ir::BlockArg::kValue) {
        Fail("try_call block arguments");
        continue;
      }
      if (Wide(a.value())) {
        out.push_back(V(a.value()));
        out.push_back(H(a.value()));
        continue;
      }
      CheckScalar(a.value());
      out.push_back(V(a.value()));
    }
    return out;
  }
  void AddEdge(uint32_t bc) { AddSucc(block_id_[dfg_.block_call(bc).block.index()], EdgeArgs(bc)); }
  void AddEdgeViaEdgeBlock(uint32_t bc) {
    AddSucc(next_edge_block_, {});
    pending_edges_.push_back({next_edge_block_++, bc});
  }

  const ir::Function& f_;
  const ir::DataFlowGraph& dfg_;
  VCode* vc_;
  regalloc::Function& rf_;
  const IsaFlags& isa_;
  ir::Inst cur_;
  absl::Status status_;
  std::vector<uint32_t> vreg_;      // by IR value (the low half of an i128)
  std::vector<uint32_t> hi_;        // by IR value: the high half of an i128
  bool ret_area_ = false;           // returns go through memory (see ReturnsInMemory)
  uint32_t ret_ptr_ = 0;            // the vreg holding the return area pointer
  std::vector<uint32_t> block_id_;  // by IR block
  uint32_t next_edge_block_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> pending_edges_;  // (edge block id, block call)
};

absl::Status Lowerer::Run() {
  const ir::Signature& sig = f_.signature;
  int int_params = 0, float_params = 0, int_rets = 0, float_rets = 0;
  for (const ir::AbiParam& p : sig.params) (FloatBytes(p.type) ? float_params : int_params) += IsI128(p.type) ? 2 : 1;
  for (const ir::AbiParam& p : sig.returns) (FloatBytes(p.type) ? float_rets : int_rets) += IsI128(p.type) ? 2 : 1;
  ret_area_ = ReturnsInMemory(sig);
  if (ret_area_) int_params++;
  (void)int_rets;
  (void)float_rets;
  if (int_params > kMaxRegArgs || float_params > kMaxFloatArgs) {
    return absl::UnimplementedError(absl::StrCat("x64 backend does not support the signature ", sig.ToString(),
                                                 " (stack arguments or returns) in function ", f_.name.ToString()));
  }
  for (const ir::AbiParam& p : sig.params) {
    if (IntBytes(p.type) == 0 && FloatBytes(p.type) == 0 && !IsI128(p.type)) {
      return absl::UnimplementedError(absl::StrCat("x64 backend does not support parameter type ", p.type.Name(),
                                                   " in function ", f_.name.ToString()));
    }
  }
  for (const ir::AbiParam& p : sig.returns) {
    if (IntBytes(p.type) == 0 && FloatBytes(p.type) == 0 && !IsI128(p.type)) {
      return absl::UnimplementedError(absl::StrCat("x64 backend does not support return type ", p.type.Name(),
                                                   " in function ", f_.name.ToString()));
    }
  }
  rf_.Clear();
  vc_->insts.clear();
  rf_.clobber_sets.push_back(regalloc::PRegSet());  // index 0: no clobbers
  rf_.edge_args_begin.push_back(0);
  vreg_.assign(dfg_.num_values(), 0);
  for (size_t v = 0; v < dfg_.num_values(); ++v) {
    vreg_[v] = rf_.num_vregs++;
    bool fl = dfg_.value(ir::Value(static_cast<uint32_t>(v))).kind != ir::ValueData::kUnused &&
              FloatBytes(dfg_.value_type(ir::Value(static_cast<uint32_t>(v)))) != 0;
    rf_.vreg_class.push_back(fl ? kFloat : kInt);
  }
  hi_.assign(dfg_.num_values(), 0);
  for (size_t v = 0; v < dfg_.num_values(); ++v) {
    ir::Value val(static_cast<uint32_t>(v));
    if (dfg_.value(val).kind != ir::ValueData::kUnused && IsI128(dfg_.value_type(val))) {
      hi_[v] = rf_.num_vregs++;
      rf_.vreg_class.push_back(kInt);
    }
  }
  vc_->slot_size.clear();
  vc_->slot_align.clear();
  for (const ir::StackSlotData& s : f_.stack_slots) {
    vc_->slot_size.push_back(s.size);
    vc_->slot_align.push_back(1u << std::min<uint32_t>(s.align_shift, 12));
  }

  ir::Block entry = f_.layout.entry_block();
  if (!entry.valid()) return absl::InvalidArgumentError("function has no blocks");
  // Unreachable blocks are not lowered (the allocator requires every block to be reachable).
  std::vector<bool> reachable(dfg_.num_blocks(), false);
  std::vector<ir::Block> work = {entry};
  reachable[entry.index()] = true;
  while (!work.empty()) {
    ir::Block b = work.back();
    work.pop_back();
    for (ir::Inst i = f_.layout.first_inst(b); i.valid(); i = f_.layout.next_inst(i)) {
      for (uint32_t bc : dfg_.block_calls(i)) {
        ir::Block t = dfg_.block_call(bc).block;
        if (!reachable[t.index()]) {
          reachable[t.index()] = true;
          work.push_back(t);
        }
      }
    }
  }
  // Block numbering: the entry stub, then each IR block followed by its edge blocks.
  block_id_.assign(dfg_.num_blocks(), 0);
  uint32_t next = 1;
  for (ir::Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    if (!reachable[b.index()]) continue;
    block_id_[b.index()] = next++;
    ir::Inst last = f_.layout.last_inst(b);
    if (last.valid()) {
      ir::Opcode op = dfg_.inst(last).opcode;
      if (op == ir::Opcode::kBrif || op == ir::Opcode::kBrTable) next += static_cast<uint32_t>(dfg_.block_calls(last).size());
    }
  }
  // The entry stub: arguments arrive in fixed registers and flow to the IR entry block.
  StartBlock(0);
  Begin(MOp::kArgs);
  std::vector<uint32_t> params;
  {
    int ni = 0, nf = 0;
    if (ret_area_) {
      ret_ptr_ = rf_.num_vregs++;
      rf_.vreg_class.push_back(kInt);
      Emit(Operand::FixedDef(ret_ptr_, IntReg(kArgRegs[ni++])));
    }
    for (ir::Value p : dfg_.block_params(entry)) {
      uint32_t v = rf_.num_vregs++;
      bool fl = IsFloat(p);
      rf_.vreg_class.push_back(fl ? kFloat : kInt);
      if (fl ? nf >= kMaxFloatArgs : ni + (Wide(p) ? 1 : 0) >= kMaxRegArgs) {
        return absl::InvalidArgumentError(absl::StrCat("entry block parameters of ", f_.name.ToString(),
                                                       " do not match the signature"));
      }
      Emit(Operand::FixedDef(v, fl ? XmmReg(static_cast<uint8_t>(nf++)) : IntReg(kArgRegs[ni++])));
      params.push_back(v);
      if (Wide(p)) {
        uint32_t h = rf_.num_vregs++;
        rf_.vreg_class.push_back(kInt);
        Emit(Operand::FixedDef(h, IntReg(kArgRegs[ni++])));
        params.push_back(h);
      }
    }
  }
  End();
  Begin(MOp::kJump);
  End(0, regalloc::kInstBranch);
  AddSucc(block_id_[entry.index()], params);
  EndBlock();

  for (ir::Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    if (!reachable[b.index()]) continue;
    StartBlock(block_id_[b.index()]);
    for (ir::Value p : dfg_.block_params(b)) {
      rf_.params.push_back(V(p));
      if (Wide(p)) rf_.params.push_back(H(p));
    }
    rf_.blocks.back().params_end = static_cast<uint32_t>(rf_.params.size());
    next_edge_block_ = block_id_[b.index()] + 1;
    pending_edges_.clear();
    for (ir::Inst i = f_.layout.first_inst(b); i.valid(); i = f_.layout.next_inst(i)) {
      cur_ = i;
      std::optional<Unit> r = rules::lower(*this, IrInst{i.index()});
      if (!r.has_value()) {
        Fail(absl::StrCat("opcode ", ir::Name(dfg_.inst(i).opcode)));
      }
      if (!status_.ok()) return status_;
    }
    EndBlock();
    for (auto [id, bc] : pending_edges_) {
      (void)id;
      StartBlock(id);
      Begin(MOp::kJump);
      End(0, regalloc::kInstBranch);
      AddEdge(bc);
      EndBlock();
    }
    if (!status_.ok()) return status_;
  }
  // Predecessors, in block order.
  std::vector<std::vector<uint32_t>> preds(rf_.blocks.size());
  for (uint32_t b = 0; b < rf_.blocks.size(); ++b) {
    for (uint32_t s = rf_.blocks[b].succs_begin; s < rf_.blocks[b].succs_end; ++s) preds[rf_.succs[s]].push_back(b);
  }
  for (uint32_t b = 0; b < rf_.blocks.size(); ++b) {
    rf_.blocks[b].preds_begin = static_cast<uint32_t>(rf_.preds.size());
    rf_.preds.insert(rf_.preds.end(), preds[b].begin(), preds[b].end());
    rf_.blocks[b].preds_end = static_cast<uint32_t>(rf_.preds.size());
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Lower(const ir::Function& f, VCode* out, const IsaFlags& isa) {
  Lowerer l(f, out, isa);
  return l.Run();
}

}  // namespace lathe::x64
