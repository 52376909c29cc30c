// Internal to the x86-64 lowering: the Lowerer class that implements the DSL's hooks
// (rules::Context) and builds vcode plus the register allocator's function. Its methods are
// defined by subject across lower*.cc; lower.cc holds the driver (Lowerer::Run). Not a public
// header: use isa/x64/lower.h.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "ir/condcodes.h"
#include "ir/function.h"
#include "isa/x64/abi.h"
#include "isa/x64/assembler.h"
#include "isa/x64/host_features.h"
#include "isa/x64/libcall.h"
#include "isa/x64/lower_rules.h"
#include "isa/x64/vcode.h"

namespace lathe::x64::lowering {

using regalloc::Constraint;
using regalloc::Operand;
using regalloc::OperandPos;
using regalloc::RegClass;
namespace rules = lathe::x64::rules;

constexpr RegClass kInt = RegClass::kInt;
constexpr RegClass kFloat = RegClass::kFloat;

inline bool IsI128(ir::Type t) { return t.is_int() && !t.is_vector() && t.lane_bits() == 128; }

// Bytes of a scalar float type the backend handles (f32, f64), or 0.
inline int FloatBytes(ir::Type t) {
  if (t.is_vector() || t.is_int()) return 0;
  uint32_t bits = t.lane_bits();
  return bits == 32 || bits == 64 ? static_cast<int>(bits / 8) : 0;
}

// Bytes of a type that lives in an xmm register: f16 (low 16 bits), f32, f64, f128 and the
// vectors of 16 to 128 bits (128: all of it, as System V passes __float128 and __m128), or 0. Only f32/f64 have arithmetic.
inline int XmmBytes(ir::Type t) {
  if (t.is_vector()) {  // SIMD: 128-bit vectors fill the register; 16- to 64-bit ones move like floats
    const uint32_t bits = t.bits_total();
    return bits == 16 || bits == 32 || bits == 64 || bits == 128 ? static_cast<int>(bits / 8) : 0;
  }
  if (t.is_int()) return 0;
  uint32_t bits = t.lane_bits();
  return bits == 16 || bits == 32 || bits == 64 || bits == 128 ? static_cast<int>(bits / 8) : 0;
}

// Bytes of a scalar integer type the backend handles (i8..i64), or 0.
inline int IntBytes(ir::Type t) {
  if (!t.is_int() || t.is_vector() || t.lane_bits() > 64) return 0;
  return static_cast<int>(t.lane_bits() / 8);
}

// The SSE opcode byte (after 0F) of addss/subss/mulss/divss (and the sd forms).
inline uint8_t SseOpcode(rules::SseOp op) {
  static constexpr uint8_t kOps[] = {0x58, 0x5C, 0x59, 0x5E};
  return kOps[static_cast<int>(op)];
}

inline Cond CondOf(ir::IntCC cc) {
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

class Lowerer : public rules::Context {
 public:
  Lowerer(const ir::Function& f, VCode* out, const IsaFlags& isa, bool pinned_reg = false)
      : f_(f), dfg_(f.dfg), vc_(out), rf_(out->alloc_fn), isa_(isa), pinned_reg_(pinned_reg) {}

  absl::Status Run();
  void RestoreProgramOrder(uint32_t first);

  // --- lower.cc: looking at the IR.
  void inst_op(const IrInst& i, rules::Op* out) override;
  bool inst_imm32_rhs(const IrInst& i, int32_t* out) override;
  bool inst_cond_is_icmp(const IrInst& i) override;
  Unit emit_nothing() override { return {}; }
  Unit emit_alu(rules::AluOp op) override { return Binary(MOp::kAlu, static_cast<uint8_t>(AluOf(op))); }
  Unit emit_imul() override { return Binary(MOp::kImul, 0); }

  // --- lower_int.cc: scalar integers.
  Unit emit_cls() override;
  Unit emit_bmask() override;
  Unit emit_overflow(rules::OvfOp op) override;
  Unit emit_add_trap_on_carry() override;
  Unit emit_bitcount(rules::CountOp op) override;
  Unit emit_iconst() override;
  Unit emit_alu_imm(rules::AluOp op, int32_t k) override;
  Unit emit_unary(rules::UnOp op) override;
  Unit emit_shift(rules::ShiftOp op) override;
  Unit emit_div(rules::DivOp op) override;
  Unit emit_minmax(rules::MinMax op) override;
  Unit emit_icmp() override;
  Unit emit_select(bool fused) override;
  Unit emit_extend(bool is_signed) override;
  Unit emit_ireduce() override;

  // --- lower_i128.cc: i128 as register pairs.
  bool inst_is_i128(const IrInst& i) override;
  Unit emit_iconcat() override;
  Unit emit_isplit() override;
  Unit emit_wide_alu(rules::AluOp op) override;
  Unit emit_wide_icmp() override;
  Unit emit_wide_select() override;
  Unit emit_wide_extend(bool is_signed) override;
  Unit emit_wide_reduce() override;
  Unit emit_wide_load() override;
  Unit emit_wide_store() override;
  Unit emit_wide_shift(rules::ShiftOp op) override;
  Unit emit_wide_overflow(rules::OvfOp op) override;
  Unit emit_wide_unary(rules::UnOp op) override;
  Unit emit_wide_imul() override;
  Unit emit_wide_bitcount(rules::CountOp op) override;

  // --- lower_float.cc: scalar floats.
  Unit emit_to_int(bool is_signed, bool saturating) override;
  Unit emit_fminmax(bool is_max) override;
  Unit emit_fma() override;
  Unit emit_fconst() override;
  Unit emit_sse(rules::SseOp op) override;
  Unit SseUnary(uint8_t prefix, uint8_t op);
  Unit emit_sqrt() override;
  Unit emit_fconvert() override;
  Unit emit_round(rules::RoundMode mode) override;
  Unit emit_fsign(rules::SignOp op) override;
  Unit emit_fcmp() override;
  Unit emit_bitcast() override;
  Unit emit_from_int(bool is_signed) override;

  // --- lower_memory.cc: loads, stores, atomics, stack slots.
  Unit emit_fence() override;
  Unit emit_atomic_rmw() override;
  Unit emit_atomic_cas() override;
  Unit emit_load(uint8_t mem_bytes, bool is_signed) override;
  Unit emit_store(uint8_t mem_bytes) override;
  Unit emit_stack_addr() override;

  // --- lower_control.cc: branches, returns, calls, traps.
  Unit emit_jump() override;
  Unit emit_brif(bool fused) override;
  Unit emit_br_table() override;
  Unit emit_return() override;
  Unit emit_call() override;
  Unit emit_call_indirect() override;
  // Tail calls: arguments in registers only; the emitter tears the frame down (which touches
  // no argument register) and jumps instead of calling.
  Unit emit_return_call() override;
  Unit emit_return_call_indirect() override;
  Unit emit_func_addr() override;
  // A call whose arguments start at args[first]; for an indirect call args[0] is the callee
  // address, pinned to r10 because that register carries no argument and is caller-saved.
  struct CallResult {
    uint32_t lo, hi;  // hi: the high half of an i128
    ir::Type type;
  };
  // `try_results` (try_call): define fresh vregs for the callee's returns and report them there.
  Unit LowerCall(MOp op, uint32_t aux, size_t sig, size_t first, std::vector<CallResult>* try_results = nullptr);
  Unit emit_try_call(bool indirect) override;
  Unit emit_trap() override;
  Unit emit_trap_if(bool if_nonzero) override;

  // --- Scalar opcode completions (lower_int.cc, lower_i128.cc, lower_float.cc,
  // lower_memory.cc).
  bool inst_is_float(const IrInst& i) override;
  Unit emit_bitrev() override;
  Unit emit_bswap() override;
  Unit emit_mulhi(bool is_signed) override;
  Unit emit_iabs() override;
  Unit emit_bitselect() override;
  Unit emit_wide_rotate(bool left) override;
  Unit emit_wide_cls() override;
  Unit emit_wide_bitrev() override;
  Unit emit_wide_bswap() override;
  Unit emit_wide_iabs() override;
  Unit emit_wide_bitcast() override;
  Unit emit_wide_trap_if(bool if_nonzero) override;
  Unit emit_float_logic(rules::AluOp op) override;
  Unit emit_float_bnot() override;
  Unit emit_wide_atomic_load() override;
  Unit emit_wide_atomic_store() override;
  Unit emit_wide_atomic_cas() override;
  Unit emit_wide_atomic_rmw() override;
  // A call to a library routine taking Arg(0..nargs-1) in xmm0.. and returning Result(0) in
  // xmm0 (lower_control.cc), for instructions the target lacks.
  Unit EmitLibcall(Libcall lc, size_t nargs);
  // The vreg passing `v` where the ABI parameter `p` (may be null) asks for a uext/sext flag:
  // integers narrower than 64 bits are extended to 64 (C code compiled elsewhere may rely on
  // it); otherwise V(v) itself. Emits the extension before the instruction being built.
  uint32_t AbiExtended(ir::Value v, const ir::AbiParam* p);
  Unit emit_carry_op(rules::OvfOp op) override;
  Unit emit_wide_carry_op(rules::OvfOp op) override;
  Unit emit_frame_reg(rules::FrameReg r) override;
  Unit emit_debugtrap() override;
  Unit emit_pinned_reg(bool read) override;
  Unit emit_wide_bmask() override;
  Unit emit_wide_minmax(rules::MinMax op) override;
  // The entry stub's body (lower_control.cc): kArgs defining the register parameters, then
  // loads of the stack parameters. Returns the parameter vregs (an i128 gives two) in order.
  absl::StatusOr<std::vector<uint32_t>> LowerParams(ir::Block entry);
  uint32_t NewVreg(RegClass c) {
    rf_.vreg_class.push_back(c);
    return rf_.num_vregs++;
  }

  // --- lower_simd.cc: 128-bit vectors (SSE2 baseline; SSSE3/SSE4.1/SSE4.2/FMA3 when the target
  // has them). `vector_op` matches an instruction whose result or first operand is a vector.
  bool inst_vector_op(const IrInst& i, rules::VecOp* out) override;
  Unit emit_vector(rules::VecOp op) override;
  Unit LowerFloatVector(rules::VecOp op, int lane_bytes, uint32_t fp, uint32_t d);
  Unit LowerIntVector(rules::VecOp op, int lane_bytes, int lb, uint32_t d);
  Unit LowerVectorShift(rules::VecOp op, int lane_bytes, int lb, uint32_t d);
  Unit LowerI64x2ToF64x2(bool is_signed, uint32_t d);
  Unit LowerF64x2ToI64x2(bool is_signed, uint32_t d);
  Unit LowerShuffleSse2(const std::vector<uint8_t>& mask, uint32_t d);
  Unit LowerVectorMemory(bool is_store);
  Unit LowerExtendingLoad(bool is_signed, int src_lane_bytes);
  Unit LowerRoundSse2(int mode, int lane_bytes, uint32_t fp, uint32_t d);
  uint32_t InsertDwordSse2(uint32_t dst, uint32_t vec, uint32_t gpr, int lane);
  // Sequence building blocks over vregs; each returns the vreg it defines (`dst`, or a fresh
  // one when dst is kFresh). Packed opcodes as Assembler::VecRR takes them.
  static constexpr uint32_t kFresh = ~0u;
  uint32_t VDst(uint32_t dst);
  MInst& VBegin(MOp op, uint32_t aux, int64_t imm, int size);
  int64_t PoolIndex(uint64_t lo, uint64_t hi);  // index of a (lo, hi) pair in VCode::vec_consts
  void UseVreg(uint32_t v, RegClass c) { Emit(Operand::Use(v, c, Constraint::kReg)); }
  void DefVreg(uint32_t v, RegClass c) { Emit(Operand::Def(v, c, Constraint::kReg)); }
  uint32_t VReuse(uint32_t dst, MOp op, uint32_t code, int imm, int size, uint32_t a, uint32_t b, RegClass b_cls);
  uint32_t VBin(uint32_t dst, uint32_t code, uint32_t a, uint32_t b, int imm = -1);
  uint32_t VUn(uint32_t dst, uint32_t code, uint32_t a, int imm = -1);
  uint32_t VConst(uint32_t dst, uint64_t lo, uint64_t hi);
  uint32_t VConstOp(uint32_t dst, uint32_t code, uint32_t a, uint64_t lo, uint64_t hi);
  uint32_t VShiftImm(uint32_t dst, uint8_t op, uint8_t digit, uint32_t a, uint8_t count);
  uint32_t VFromGpr(uint32_t dst, uint32_t a, int size);
  uint32_t VToGpr(uint32_t dst, uint32_t code, int size, bool gpr_in_reg, uint32_t a, int imm);
  uint32_t VecInsertGpr(uint32_t dst, uint32_t code, int size, uint32_t vec, uint32_t gpr, int imm);
  uint32_t GprAluImm(uint32_t dst, Alu op, uint32_t a, int32_t k);
  uint32_t VNot(uint32_t dst, uint32_t a);
  uint32_t VBlend(uint32_t dst, uint32_t mask, uint32_t set, uint32_t clear);
  uint32_t VClamp(int lb, int lane_bytes, uint32_t x, uint64_t lo, uint64_t hi, bool is_unsigned);
  uint32_t VEq(int lb, uint32_t a, uint32_t b);
  uint32_t VGt(int lb, uint32_t a, uint32_t b);
  ir::Type VecType() const;
  // True when the target has the extension; else records "<op>.<type> without <ext>".
  bool Need(bool have, const char* ext);

  // --- lower_f16_f128.cc: f16 and f128 constants and bit casts.
  Unit emit_f16const() override;
  Unit emit_f128const() override;
  // bitcast where either side is f16 or f128 (or both sides are i128). Nothing recorded and
  // false when the bitcast is not one of those.
  bool LowerWideFloatBitcast();
  // --- lower_uses.cc: which instructions need code. Use counts are per resolved value over the
  // reachable blocks, without the uses of dead pure instructions. A user that takes over a
  // value's job (folds its iconst, fuses its icmp, sinks its load, folds its address) drops
  // that use; an instruction without effects whose results have no use left is not lowered,
  // and its remaining operand uses pass to whoever merged it. Colours number the side effects
  // of a block: an instruction's colour is the count of effectful instructions before it.
  void CountUses(const std::vector<bool>& reachable);
  bool Removable(ir::Inst i) const;  // no effect but its results
  bool Unneeded(ir::Inst i) const { return colour_[i.index()] == kSunk || (Removable(i) && Unused(i)); }
  bool Unused(ir::Inst i) const {
    for (ir::Value r : dfg_.results(i)) {
      if (uses_[r.index()] != 0) return false;
    }
    return true;
  }
  // Drops one use of `v`; true when none is left (its definition will not be lowered).
  bool Drop(ir::Value v) {
    uint32_t& n = uses_[dfg_.Resolve(v).index()];
    if (n != 0) --n;
    return n == 0;
  }
  // A new reader of `v` (an operand of a merged instruction that stays lowered).
  void Take(ir::Value v) { ++uses_[dfg_.Resolve(v).index()]; }
  // The current instruction reads the operands of the instruction defining `v` itself, in
  // place of `v`: drops `v` and, when its definition stays lowered, takes those operands.
  void MergeDef(ir::Value v) {
    if (Drop(v)) return;
    for (ir::Value a : dfg_.args(ir::Inst(dfg_.value(dfg_.Resolve(v)).owner))) Take(a);
  }

  // --- lower_amode.cc: address modes and sunk loads.
  struct Address {
    ir::Value base, index;
    uint32_t aux = 0;  // AddrMode bits
    int64_t disp = 0;
    ir::TrapCode trap = ir::TrapCode(ir::TrapCode::kHeapOutOfBounds);
  };
  bool inst_sink_load(const IrInst& i, uint8_t* out) override;
  Unit emit_alu_mem(rules::AluOp op, uint8_t k) override;
  Unit emit_icmp_mem(uint8_t k) override;
  Unit emit_sse_mem(rules::SseOp op) override;
  Unit emit_imul_mem(uint8_t k) override;
  bool inst_sink_ext_load(const IrInst& i) override;
  Unit emit_ext_load(bool is_signed) override;
  // The address `addr + offset` of an access trapping with `trap` (none: notrap), with
  // iadd/ishl/iconst definitions folded in (dropping their uses).
  Address AddressOf(ir::Value addr, int64_t offset, ir::TrapCode trap);
  // The load defining `v` if it may become a memory operand of `bytes` bytes of the current
  // instruction (see lower.isel), else an invalid Inst.
  ir::Inst SinkableLoad(ir::Inst user, ir::Value v, int bytes, bool is_float) const;
  // Marks the load defining `v` as sunk into the current instruction and returns its address.
  Address Sink(ir::Value v);
  // kLoad of `bytes` from `a` (zero- or sign-extending) into the current result.
  Unit LoadFrom(const Address& a, uint8_t bytes, bool is_signed);
  // Begins `op` with the register operand `a` and the memory operand `mem` as its first uses.
  MInst& BeginMem(MOp op, ir::Value a, const Address& mem);
  void UseBase(const Address& a) { Use(a.base); }
  // The displacement, mode bits and trap code of a memory access.
  void SetAddress(MInst* m, const Address& a) {
    m->imm = a.disp;
    m->aux = a.aux | kAddrTrap;
    m->trap = a.trap;
  }
  void UseIndex(const Address& a) {
    if ((a.aux & kAddrIndexed) != 0) Use(a.index);
  }
  // fadd/fsub/fmul/fdiv producing an f128, and fpromote/fdemote to or from f128, as calls to
  // the soft-float routines. False (nothing emitted) when no f128 is involved.
  bool LowerF128Arith(rules::SseOp op);
  bool LowerF128Convert();
  // f16 load/store of the current instruction (address in Arg(0) / Arg(1)) through a 16-bit
  // integer access and a movd.
  Unit LowerF16Load();
  Unit LowerF16Store();
  // Result(0), an f16, from the low bits of integer vreg `t`.
  Unit F16FromGpr(uint32_t t);

 private:
  // --- Scalar opcode completions: helpers.
  Unit UmulOverflow64();
  Unit FromUint64(int to_bytes);
  // A one-operand integer instruction computing in place (the def reuses the operand), with
  // `temps` early scratch registers.
  Unit InPlace(MOp op, int temps);
  // The i128 form: defs reuse the operand's halves, exchanged when `swap`.
  Unit WideUnary(MOp op, uint8_t sub, int temps, bool swap);
  // Two 64-bit moves into the halves of the i128 `dst`.
  Unit CopyToPair(uint32_t lo, uint32_t hi, ir::Value dst);
  Unit NarrowConcat();
  Unit SwapLoaded(uint32_t loaded, int size, bool is_signed);
  Unit RoundSse2(rules::RoundMode mode, int bytes);
  Unit FmaF32Sse2();
  // The current memory instruction is big-endian (x86-64 is little-endian).
  bool BigEndian() const { return cur().flags.has(ir::MemFlags::kBig); }
  Unit NarrowSplit();
  // A condition operand as one integer vreg: an i128 condition is reduced to lo | hi first
  // (before the caller's Begin, since Begin may move the instruction arrays). False (failure
  // recorded) for an unsupported type.
  bool CondReg(ir::Value c, uint32_t* vreg, int* bytes) {
    if (Wide(c)) {
      uint32_t t = rf_.num_vregs++;
      rf_.vreg_class.push_back(kInt);
      Begin(MOp::kOrHalves);
      Use(c);
      UseH(c);
      Emit(Operand::ReuseDef(t, kInt, 0));
      End();
      *vreg = t;
      *bytes = 8;
      return true;
    }
    *vreg = V(c);
    *bytes = CheckInt(c);
    return *bytes != 0;
  }
  // A fresh register of `cls` defined early (a scratch overlapping no operand).
  uint32_t TempEarly(RegClass cls) {
    uint32_t v = rf_.num_vregs++;
    rf_.vreg_class.push_back(cls);
    Emit(Operand::Def(v, cls, Constraint::kReg, OperandPos::kEarly));
    return v;
  }
  void FixedTempEarly(uint8_t r) {
    rf_.vreg_class.push_back(kInt);
    FixedDefEarly(rf_.num_vregs++, r);
  }


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
    MergeDef(Arg(0));
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
  void TempDefEarly() { TempEarly(kInt); }
  bool HasCountExtension(rules::CountOp op) const {
    return op == rules::CountOp::Popcnt ? isa_.has_popcnt : op == rules::CountOp::Clz ? isa_.has_lzcnt : isa_.has_bmi1;
  }
  int CheckFloat(ir::Value v) {
    int b = FloatBytes(dfg_.value_type(dfg_.Resolve(v)));
    if (b == 0) Unsupported(dfg_.value_type(dfg_.Resolve(v)));
    return b;
  }
  bool IsFloat(ir::Value v) const { return XmmBytes(dfg_.value_type(dfg_.Resolve(v))) != 0; }
  // Int or float scalar (f16 and f128 included, for moving them around): bytes, or 0 after
  // recording an error.
  int CheckScalar(ir::Value v) { return IsFloat(v) ? XmmBytes(dfg_.value_type(dfg_.Resolve(v))) : CheckInt(v); }
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
  bool pinned_reg_ = false;         // enable_pinned_reg: r15 is the pinned register
  ir::Inst cur_;
  absl::Status status_;
  std::vector<uint32_t> vreg_;      // by IR value (the low half of an i128)
  std::vector<uint32_t> hi_;        // by IR value: the high half of an i128
  bool ret_area_ = false;           // returns go through memory (see ReturnsInMemory)
  uint32_t ret_ptr_ = 0;            // the vreg holding the return area pointer
  std::vector<uint32_t> block_id_;  // by IR block
  uint32_t next_edge_block_ = 0;
  std::vector<std::pair<uint32_t, uint32_t>> pending_edges_;  // (edge block id, block call)
  // Kept in the VCode so that their storage serves the next function too.
  std::vector<uint32_t>& uses_ = vc_->lower_uses;      // by IR value (see CountUses)
  std::vector<uint32_t>& colour_ = vc_->lower_colours;  // by IR instruction; kSunk: merged load
  std::vector<uint32_t>& group_start_ = vc_->lower_groups;  // where each IR instruction's vcode starts
  static constexpr uint32_t kSunk = ~0u;
};

}  // namespace lathe::x64::lowering
