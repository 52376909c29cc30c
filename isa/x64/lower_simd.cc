// SIMD lowering: 128-bit vectors (i8x16 ... f64x2) live in xmm registers (the float class).
// Each IR instruction becomes a short sequence of packed SSE operations over fresh virtual
// registers; the allocator inserts the copies the two-address forms need. SSE2 is the
// baseline; SSSE3 / SSE4.1 / SSE4.2 / FMA3 forms are used only when the target has them, and an
// operation that has no SSE2 sequence here fails with an error naming the extension. Vectors of
// 16 to 64 bits also live in xmm registers but only move (loads, stores, bitcasts).
#include <cstring>

#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {
namespace {

// Packed opcodes: mandatory prefix << 16 | map << 8 | opcode byte (see Assembler::VecRR).
constexpr uint32_t kPxor = 0x660FEF, kPand = 0x660FDB, kPandn = 0x660FDF, kPor = 0x660FEB;
constexpr uint32_t kMovdqa = 0x660F6F, kPshufd = 0x660F70, kPshuflw = 0xF20F70, kPshufb = 0x660F3800;
constexpr uint32_t kPmuludq = 0x660FF4, kPaddq = 0x660FD4;
constexpr uint32_t kPmovmskb = 0x660FD7;
// By lane bytes 1, 2, 4, 8 (index log2); 0 where SSE has no form.
constexpr uint32_t kPadd[] = {0x660FFC, 0x660FFD, 0x660FFE, 0x660FD4};
constexpr uint32_t kPsub[] = {0x660FF8, 0x660FF9, 0x660FFA, 0x660FFB};
constexpr uint32_t kPcmpeq[] = {0x660F74, 0x660F75, 0x660F76, 0x660F3829};
constexpr uint32_t kPcmpgt[] = {0x660F64, 0x660F65, 0x660F66, 0x660F3837};
constexpr uint32_t kPunpckl[] = {0x660F60, 0x660F61, 0x660F62, 0x660F6C};
constexpr uint32_t kPunpckh[] = {0x660F68, 0x660F69, 0x660F6A, 0x660F6D};
constexpr uint32_t kPabs[] = {0x660F381C, 0x660F381D, 0x660F381E, 0};
// Shifts by the count in an xmm register: logical right, arithmetic right, left.
constexpr uint32_t kPsrl[] = {0, 0x660FD1, 0x660FD2, 0x660FD3};
constexpr uint32_t kPsra[] = {0, 0x660FE1, 0x660FE2, 0};
constexpr uint32_t kPsll[] = {0, 0x660FF1, 0x660FF2, 0x660FF3};

int Log2Bytes(int bytes) { return bytes == 1 ? 0 : bytes == 2 ? 1 : bytes == 4 ? 2 : 3; }

// A 128-bit value with `lane` repeated in every lane of `bytes` bytes.
void Splat(uint64_t lane, int bytes, uint64_t* lo, uint64_t* hi) {
  uint64_t v = 0;
  for (int k = 0; k < 8; k += bytes) v |= (lane & (bytes == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * bytes)) - 1)) << (8 * k);
  *lo = *hi = v;
}

}  // namespace

bool Lowerer::inst_vector_op(const IrInst& i, rules::VecOp* out) {
  ir::Inst in(i.index);
  auto results = dfg_.results(in);
  auto args = dfg_.args(in);
  auto is_vec = [&](ir::Value v) { return dfg_.value_type(dfg_.Resolve(v)).is_vector(); };
  if (!(!results.empty() && is_vec(results[0])) && !(!args.empty() && is_vec(args[0]))) return false;
  switch (dfg_.inst(in).opcode) {
#define MAP(X) case ir::Opcode::k##X: *out = rules::VecOp::X; return true;
    MAP(Iadd) MAP(Isub) MAP(Imul) MAP(Ineg) MAP(Iabs) MAP(Band) MAP(Bor) MAP(Bxor) MAP(Bnot)
    MAP(Bitselect) MAP(Icmp) MAP(Fcmp) MAP(Fadd) MAP(Fsub) MAP(Fmul) MAP(Fdiv) MAP(Sqrt) MAP(Fneg)
    MAP(Fabs) MAP(Fcopysign) MAP(Fmin) MAP(Fmax) MAP(Ishl) MAP(Ushr) MAP(Sshr) MAP(Splat)
    MAP(Extractlane) MAP(Insertlane) MAP(Vconst) MAP(Bitcast) MAP(SwidenLow) MAP(SwidenHigh)
    MAP(UwidenLow) MAP(UwidenHigh) MAP(Snarrow) MAP(Unarrow) MAP(VallTrue) MAP(VanyTrue)
    MAP(VhighBits) MAP(Shuffle) MAP(Swizzle) MAP(Smin) MAP(Smax) MAP(Umin) MAP(Umax) MAP(SaddSat)
    MAP(UaddSat) MAP(SsubSat) MAP(UsubSat) MAP(AvgRound) MAP(FcvtFromSint) MAP(FcvtToSintSat)
    MAP(Fvdemote) MAP(FvpromoteLow) MAP(Floor) MAP(Ceil) MAP(Trunc) MAP(Nearest) MAP(ScalarToVector) MAP(Fma)
    MAP(FcvtFromUint) MAP(FcvtToUintSat) MAP(Popcnt) MAP(SqmulRoundSat) MAP(Load) MAP(Store)
    MAP(IaddPairwise) MAP(Uload8x8) MAP(Sload8x8) MAP(Uload16x4) MAP(Sload16x4) MAP(Uload32x2) MAP(Sload32x2)
    MAP(Umulhi) MAP(Smulhi) MAP(Uunarrow)
#undef MAP
    default: return false;
  }
}

// --- Building blocks. Each returns the vreg it defines: `dst`, or a fresh one for kFresh.

uint32_t Lowerer::VDst(uint32_t dst) { return dst != kFresh ? dst : NewVreg(kFloat); }

// Begins `op` with its packed opcode (aux) and immediate; `size` as the MOp documents.
MInst& Lowerer::VBegin(MOp op, uint32_t aux, int64_t imm, int size) {
  MInst& m = Begin(op);
  m.aux = aux;
  m.imm = imm;
  m.size = static_cast<uint8_t>(size);
  return m;
}

int64_t Lowerer::PoolIndex(uint64_t lo, uint64_t hi) {
  vc_->vec_consts.push_back(lo);
  vc_->vec_consts.push_back(hi);
  return static_cast<int64_t>(vc_->vec_consts.size() / 2 - 1);
}

// A two-address op: vector `a` and operand `b` (of class b_cls) in, the result in a's register.
uint32_t Lowerer::VReuse(uint32_t dst, MOp op, uint32_t code, int imm, int size, uint32_t a, uint32_t b, RegClass b_cls) {
  dst = VDst(dst);
  VBegin(op, code, imm, size);
  UseVreg(a, kFloat);
  UseVreg(b, b_cls);
  Emit(Operand::ReuseDef(dst, kFloat, 0));
  End();
  return dst;
}

uint32_t Lowerer::VBin(uint32_t dst, uint32_t code, uint32_t a, uint32_t b, int imm) {
  return VReuse(dst, MOp::kVec, code, imm, 16, a, b, kFloat);
}

uint32_t Lowerer::VUn(uint32_t dst, uint32_t code, uint32_t a, int imm) {
  dst = VDst(dst);
  VBegin(MOp::kVecUn, code, imm, 16);
  UseVreg(a, kFloat);
  DefVreg(dst, kFloat);
  End();
  return dst;
}

uint32_t Lowerer::VConst(uint32_t dst, uint64_t lo, uint64_t hi) {
  dst = VDst(dst);
  VBegin(MOp::kVecConst, 0, PoolIndex(lo, hi), 16);
  DefVreg(dst, kFloat);
  End();
  return dst;
}

uint32_t Lowerer::VConstOp(uint32_t dst, uint32_t code, uint32_t a, uint64_t lo, uint64_t hi) {
  dst = VDst(dst);
  VBegin(MOp::kVecConstOp, code, PoolIndex(lo, hi), 16);
  UseVreg(a, kFloat);
  Emit(Operand::ReuseDef(dst, kFloat, 0));
  End();
  return dst;
}

uint32_t Lowerer::VShiftImm(uint32_t dst, uint8_t op, uint8_t digit, uint32_t a, uint8_t count) {
  dst = VDst(dst);
  VBegin(MOp::kVecShiftImm, op, count, 16).sub = digit;
  UseVreg(a, kFloat);
  Emit(Operand::ReuseDef(dst, kFloat, 0));
  End();
  return dst;
}

uint32_t Lowerer::VFromGpr(uint32_t dst, uint32_t a, int size) {
  dst = VDst(dst);
  VBegin(MOp::kGprToXmm, 0, 0, size);
  UseVreg(a, kInt);
  DefVreg(dst, kFloat);
  End();
  return dst;
}

uint32_t Lowerer::VToGpr(uint32_t dst, uint32_t code, int size, bool gpr_in_reg, uint32_t a, int imm) {
  if (dst == kFresh) dst = NewVreg(kInt);
  VBegin(MOp::kVecToGpr, code, imm, size).sub = gpr_in_reg ? 1 : 0;
  UseVreg(a, kFloat);
  DefVreg(dst, kInt);
  End();
  return dst;
}

uint32_t Lowerer::VecInsertGpr(uint32_t dst, uint32_t code, int size, uint32_t vec, uint32_t gpr, int imm) {
  return VReuse(dst, MOp::kVecFromGpr, code, imm, size, vec, gpr, kInt);
}

uint32_t Lowerer::GprAluImm(uint32_t dst, Alu op, uint32_t a, int32_t k) {
  if (dst == kFresh) dst = NewVreg(kInt);
  VBegin(MOp::kAluImm, 0, k, 8).sub = static_cast<uint8_t>(op);
  UseVreg(a, kInt);
  Emit(Operand::ReuseDef(dst, kInt, 0));
  End();
  return dst;
}

// Lanes of `set` where `mask` is all-ones, of `clear` elsewhere.
uint32_t Lowerer::VBlend(uint32_t dst, uint32_t mask, uint32_t set, uint32_t clear) {
  return VBin(dst, kPor, VBin(kFresh, kPand, set, mask), VBin(kFresh, kPandn, mask, clear));
}

// Lanes of x (lane_bytes wide) clamped to [lo, hi], compared as signed, or as unsigned when
// `is_unsigned` (then only hi applies).
uint32_t Lowerer::VClamp(int lb, int lane_bytes, uint32_t x, uint64_t lo, uint64_t hi, bool is_unsigned) {
  uint64_t hlo, hhi, slo, shi;
  Splat(hi, lane_bytes, &hlo, &hhi);
  Splat(uint64_t{1} << (8 * lane_bytes - 1), lane_bytes, &slo, &shi);
  const uint32_t h = VConst(kFresh, hlo, hhi);
  uint32_t above = is_unsigned ? VGt(lb, VConstOp(kFresh, kPxor, x, slo, shi), VConstOp(kFresh, kPxor, h, slo, shi))
                               : VGt(lb, x, h);
  x = VBlend(kFresh, above, h, x);
  if (is_unsigned) return x;
  uint64_t llo, lhi;
  Splat(lo, lane_bytes, &llo, &lhi);
  const uint32_t l = VConst(kFresh, llo, lhi);
  return VBlend(kFresh, VGt(lb, l, x), l, x);
}

uint32_t Lowerer::VNot(uint32_t dst, uint32_t a) { return VBin(dst, kPxor, a, VConst(kFresh, ~uint64_t{0}, ~uint64_t{0})); }

// The vector type of the current instruction: its result's, else its first operand's.
ir::Type Lowerer::VecType() const {
  if (!dfg_.results(cur_).empty() && dfg_.value_type(Result(0)).is_vector()) return dfg_.value_type(Result(0));
  return dfg_.value_type(dfg_.Resolve(Arg(0)));
}

bool Lowerer::Need(bool have, const char* ext) {
  if (!have) Fail(absl::StrCat(ir::Name(cur().opcode), ".", VecType().Name(), " without ", ext, " on this target"));
  return have;
}

// Lane-wise a == b (all-ones / zero lanes). i64x2 without SSE4.1: dword compares, each
// qword's two halves and-ed together.
uint32_t Lowerer::VEq(int lb, uint32_t a, uint32_t b) {
  if (lb < 3 || isa_.has_sse41) return VBin(kFresh, kPcmpeq[lb], a, b);
  uint32_t t = VBin(kFresh, kPcmpeq[2], a, b);
  return VBin(kFresh, kPand, t, VUn(kFresh, kPshufd, t, 0xB1));
}

// Lane-wise signed a > b.
// i64x2 without SSE4.2: per qword, hi(a) > hi(b) (signed) or the high dwords are equal and
// lo(a) > lo(b) (unsigned: the low dwords' sign bits flipped).
uint32_t Lowerer::VGt(int lb, uint32_t a, uint32_t b) {
  if (lb < 3 || isa_.has_sse42) return VBin(kFresh, kPcmpgt[lb], a, b);
  const uint64_t flip = 0x80000000ull;
  uint32_t ab = VConstOp(kFresh, kPxor, a, flip, flip), bb = VConstOp(kFresh, kPxor, b, flip, flip);
  uint32_t gt = VBin(kFresh, kPcmpgt[2], ab, bb), eq = VBin(kFresh, kPcmpeq[2], ab, bb);
  uint32_t lo_gt = VUn(kFresh, kPshufd, gt, 0xA0), hi_gt = VUn(kFresh, kPshufd, gt, 0xF5);
  uint32_t hi_eq = VUn(kFresh, kPshufd, eq, 0xF5);
  return VBin(kFresh, kPor, hi_gt, VBin(kFresh, kPand, hi_eq, lo_gt));
}

Unit Lowerer::emit_vector(rules::VecOp op) {
  using rules::VecOp;
  if (op == VecOp::Load || op == VecOp::Store) return LowerVectorMemory(op == VecOp::Store);
  switch (op) {  // 64 bits from memory, each lane widened
    case VecOp::Uload8x8: return LowerExtendingLoad(false, 1);
    case VecOp::Sload8x8: return LowerExtendingLoad(true, 1);
    case VecOp::Uload16x4: return LowerExtendingLoad(false, 2);
    case VecOp::Sload16x4: return LowerExtendingLoad(true, 2);
    case VecOp::Uload32x2: return LowerExtendingLoad(false, 4);
    case VecOp::Sload32x2: return LowerExtendingLoad(true, 4);
    default: break;
  }
  ir::Type vt = VecType();
  if (op == VecOp::Bitcast) {  // any vector size: the register's bits stay as they are
    if (cur().flags.has(ir::MemFlags::kBig) && dfg_.value_type(dfg_.Resolve(Arg(0))).lane_bits() != vt.lane_bits()) {
      return Fail("big-endian vector bitcast");
    }
    return emit_bitcast();
  }
  // Compares, conversions to integers and lane tests work on the operand's lanes; the lane
  // tests look only at bits, so float vectors use the integer forms.
  if (op == VecOp::Fcmp || op == VecOp::FcvtToSintSat || op == VecOp::FcvtToUintSat) vt = dfg_.value_type(dfg_.Resolve(Arg(0)));
  if (op == VecOp::VallTrue || op == VecOp::VanyTrue || op == VecOp::VhighBits) {
    ir::Type at = dfg_.value_type(dfg_.Resolve(Arg(0)));
    const uint32_t bits = at.lane_bits();
    vt = at.with_lane(bits == 8 ? ir::Type::kI8 : bits == 16 ? ir::Type::kI16 : bits == 32 ? ir::Type::kI32 : ir::Type::kI64);
  }
  if (vt.bits_total() != 128) return Unsupported(vt);
  const int lane_bytes = static_cast<int>(vt.lane_bits() / 8);
  const int lb = Log2Bytes(lane_bytes);
  const bool fl = vt.is_float();
  if (fl && lane_bytes != 4 && lane_bytes != 8) return Unsupported(vt);
  const uint32_t fprefix = lane_bytes == 8 ? 0x660F00 : 0x0F00;  // ps / pd
  auto arg = [&](size_t k) { return V(Arg(k)); };
  const uint32_t d = dfg_.results(cur_).empty() ? kFresh : V(Result(0));
  switch (op) {
    case VecOp::Band: VBin(d, kPand, arg(0), arg(1)); return {};
    case VecOp::Bor: VBin(d, kPor, arg(0), arg(1)); return {};
    case VecOp::Bxor: VBin(d, kPxor, arg(0), arg(1)); return {};
    case VecOp::Bnot: VNot(d, arg(0)); return {};
    case VecOp::Bitselect: {
      uint32_t t = VBin(kFresh, kPand, arg(1), arg(0));
      VBin(d, kPor, t, VBin(kFresh, kPandn, arg(0), arg(2)));
      return {};
    }
    case VecOp::Vconst: {
      if (cur().entity >= f_.constants.size()) return Fail("a vconst naming no constant");
      const ir::ConstantData& c = f_.constants[cur().entity];
      if (c.bytes.size() > 16) return Unsupported(vt);
      uint8_t bytes[16] = {};
      std::memcpy(bytes, c.bytes.data(), c.bytes.size());
      uint64_t lo, hi;
      std::memcpy(&lo, bytes, 8);
      std::memcpy(&hi, bytes + 8, 8);
      VConst(d, lo, hi);
      return {};
    }
    default: break;
  }
  if (fl) return LowerFloatVector(op, lane_bytes, fprefix, d);
  return LowerIntVector(op, lane_bytes, lb, d);
}

Unit Lowerer::LowerFloatVector(rules::VecOp op, int lane_bytes, uint32_t fp, uint32_t d) {
  using rules::VecOp;
  auto arg = [&](size_t k) { return V(Arg(k)); };
  const uint64_t sign = lane_bytes == 8 ? uint64_t{1} << 63 : 0x8000000080000000ull;
  switch (op) {
    case VecOp::Fadd: VBin(d, fp | 0x58, arg(0), arg(1)); return {};
    case VecOp::Fsub: VBin(d, fp | 0x5C, arg(0), arg(1)); return {};
    case VecOp::Fmul: VBin(d, fp | 0x59, arg(0), arg(1)); return {};
    case VecOp::Fdiv: VBin(d, fp | 0x5E, arg(0), arg(1)); return {};
    case VecOp::Sqrt: VUn(d, fp | 0x51, arg(0)); return {};
    case VecOp::Fneg: VConstOp(d, kPxor, arg(0), sign, sign); return {};
    case VecOp::Fabs: VConstOp(d, kPand, arg(0), ~sign, ~sign); return {};
    case VecOp::Fcopysign: {
      uint32_t mag = VConstOp(kFresh, kPand, arg(0), ~sign, ~sign);
      VBin(d, kPor, mag, VConstOp(kFresh, kPand, arg(1), sign, sign));
      return {};
    }
    case VecOp::Fmin:
    case VecOp::Fmax: {
      // minps/maxps return the second operand when either is NaN or both are zero; doing it
      // both ways and or-ing (min: -0 wins) or and-ing (max: +0 wins) settles signed zeros,
      // then NaN lanes (cmpunord) take the canonical NaN.
      const bool is_max = op == VecOp::Fmax;
      const uint32_t code = fp | (is_max ? 0x5F : 0x5D);
      uint32_t m1 = VBin(kFresh, code, arg(0), arg(1));
      uint32_t m2 = VBin(kFresh, code, arg(1), arg(0));
      uint32_t m = VBin(kFresh, is_max ? kPand : kPor, m1, m2);
      uint32_t unord = VBin(kFresh, fp | 0xC2, arg(0), arg(1), 3);
      uint64_t nan = lane_bytes == 8 ? 0x7ff8000000000000ull : 0x7fc000007fc00000ull;
      uint32_t nans = VConstOp(kFresh, kPand, unord, nan, nan);
      VBin(d, kPor, VBin(kFresh, kPandn, unord, m), nans);
      return {};
    }
    case VecOp::Fcmp: {
      // cmpps predicates: 0 eq, 1 lt, 2 le, 3 unord, 4 neq, 5 nlt, 6 nle, 7 ord.
      const uint32_t cmp = fp | 0xC2;
      uint32_t a = arg(0), b = arg(1);
      switch (static_cast<ir::FloatCC>(cur().cond)) {
        case ir::FloatCC::kOrd: VBin(d, cmp, a, b, 7); break;
        case ir::FloatCC::kUno: VBin(d, cmp, a, b, 3); break;
        case ir::FloatCC::kEq: VBin(d, cmp, a, b, 0); break;
        case ir::FloatCC::kNe: VBin(d, cmp, a, b, 4); break;
        case ir::FloatCC::kLt: VBin(d, cmp, a, b, 1); break;
        case ir::FloatCC::kLe: VBin(d, cmp, a, b, 2); break;
        case ir::FloatCC::kGt: VBin(d, cmp, b, a, 1); break;
        case ir::FloatCC::kGe: VBin(d, cmp, b, a, 2); break;
        case ir::FloatCC::kUgt: VBin(d, cmp, a, b, 6); break;
        case ir::FloatCC::kUge: VBin(d, cmp, a, b, 5); break;
        case ir::FloatCC::kUlt: VBin(d, cmp, b, a, 6); break;
        case ir::FloatCC::kUle: VBin(d, cmp, b, a, 5); break;
        case ir::FloatCC::kOne: VBin(d, kPand, VBin(kFresh, cmp, a, b, 7), VBin(kFresh, cmp, a, b, 4)); break;
        case ir::FloatCC::kUeq: VBin(d, kPor, VBin(kFresh, cmp, a, b, 3), VBin(kFresh, cmp, a, b, 0)); break;
      }
      return {};
    }
    case VecOp::Splat: {
      if (!IsFloat(Arg(0))) return Unsupported(dfg_.value_type(dfg_.Resolve(Arg(0))));
      VUn(d, kPshufd, arg(0), lane_bytes == 8 ? 0x44 : 0x00);
      return {};
    }
    case VecOp::Extractlane: {
      const int lane = static_cast<int>(cur().imm);
      if (lane * lane_bytes >= 16) return Fail("a lane index out of range");
      // The scalar is the low lane; the bits above it are unspecified.
      if (lane == 0) {
        VUn(d, kMovdqa, arg(0));
      } else {
        VUn(d, kPshufd, arg(0), lane_bytes == 8 ? 0xEE : lane);
      }
      return {};
    }
    case VecOp::Insertlane: {
      const int lane = static_cast<int>(cur().imm);
      if (lane * lane_bytes >= 16) return Fail("a lane index out of range");
      if (lane_bytes == 8) {
        // movsd keeps the high lane; movlhps puts the scalar's low lane high.
        VBin(d, lane == 0 ? 0xF20F10 : 0x0F16, arg(0), arg(1));
      } else if (isa_.has_sse41) {
        VBin(d, 0x660F3A21, arg(0), arg(1), lane << 4);  // insertps
      } else if (lane == 0) {
        VBin(d, 0xF30F10, arg(0), arg(1));  // movss
      } else {  // the float's bits through a general register
        uint32_t g = NewVreg(kInt);
        VBegin(MOp::kXmmToGpr, 0, 0, 4);
        UseVreg(arg(1), kFloat);
        DefVreg(g, kInt);
        End();
        InsertDwordSse2(d, arg(0), g, lane);
      }
      return {};
    }
    case VecOp::FcvtToSintSat: {
      if (lane_bytes == 8 && dfg_.value_type(Result(0)).lane_bits() == 64) return LowerF64x2ToI64x2(true, d);
      if (lane_bytes != 4 || dfg_.value_type(Result(0)).lane_bits() != 32) return Unsupported(dfg_.value_type(Result(0)));
      // NaN lanes become 0 (and-ed with x == x); cvttps2dq gives 0x80000000 for lanes out of
      // range, which the lanes >= 2^31 flip to 0x7fffffff.
      uint32_t x = VBin(kFresh, kPand, arg(0), VBin(kFresh, 0x0FC2, arg(0), arg(0), 0));
      uint32_t r = VUn(kFresh, 0xF30F5B, x);
      uint32_t big = VBin(kFresh, 0x0FC2, VConst(kFresh, 0x4f0000004f000000ull, 0x4f0000004f000000ull), x, 2);
      VBin(d, kPxor, r, big);
      return {};
    }
    case VecOp::Fma: {
      if (!Need(isa_.has_fma, "FMA3 (vfmadd231ps)")) return {};
      Begin(MOp::kVecFma).size = static_cast<uint8_t>(lane_bytes);
      UseVreg(arg(0), kFloat);
      UseVreg(arg(1), kFloat);
      UseVreg(arg(2), kFloat);
      Emit(Operand::ReuseDef(d, kFloat, 2));
      End();
      return {};
    }
    case VecOp::FcvtToUintSat: {
      if (lane_bytes == 8 && dfg_.value_type(Result(0)).lane_bits() == 64) return LowerF64x2ToI64x2(false, d);
      if (lane_bytes != 4 || dfg_.value_type(Result(0)).lane_bits() != 32) return Unsupported(dfg_.value_type(Result(0)));
      // maxps with +0 sends NaN and negative lanes to 0. Lanes below 2^31 convert directly;
      // lanes from 2^31 convert after subtracting 2^31 and get the top bit back; lanes from
      // 2^32 saturate to all-ones.
      const uint64_t k2p31 = 0x4f0000004f000000ull, k2p32 = 0x4f8000004f800000ull;
      uint32_t x = VBin(kFresh, 0x0F5F, arg(0), VConst(kFresh, 0, 0));
      uint32_t small = VUn(kFresh, 0xF30F5B, x);
      uint32_t high = VUn(kFresh, 0xF30F5B, VConstOp(kFresh, 0x0F5C, x, k2p31, k2p31));
      high = VConstOp(kFresh, kPxor, high, 0x8000000080000000ull, 0x8000000080000000ull);
      uint32_t is_high = VBin(kFresh, 0x0FC2, VConst(kFresh, k2p31, k2p31), x, 2);
      uint32_t r = VBin(kFresh, kPor, VBin(kFresh, kPandn, is_high, small), VBin(kFresh, kPand, high, is_high));
      VBin(d, kPor, r, VBin(kFresh, 0x0FC2, VConst(kFresh, k2p32, k2p32), x, 2));
      return {};
    }
    case VecOp::FcvtFromUint: {
      ir::Type at = dfg_.value_type(dfg_.Resolve(Arg(0)));
      if (lane_bytes == 8 && at.lane_bits() == 64) return LowerI64x2ToF64x2(false, d);
      if (lane_bytes != 4 || at.lane_bits() != 32) return Unsupported(at);
      // hi * 2^16 + lo with 16-bit halves: both products exact, one rounding in the add.
      uint32_t lo = VUn(kFresh, 0x0F5B, VConstOp(kFresh, kPand, arg(0), 0x0000FFFF0000FFFFull, 0x0000FFFF0000FFFFull));
      uint32_t hi = VUn(kFresh, 0x0F5B, VShiftImm(kFresh, 0x72, 2, arg(0), 16));
      hi = VConstOp(kFresh, 0x0F59, hi, 0x4780000047800000ull, 0x4780000047800000ull);
      VBin(d, 0x0F58, hi, lo);
      return {};
    }
    case VecOp::Fvdemote: VUn(d, 0x660F5A, arg(0)); return {};
    case VecOp::FvpromoteLow: VUn(d, 0x0F5A, arg(0)); return {};
    case VecOp::Floor:
    case VecOp::Ceil:
    case VecOp::Trunc:
    case VecOp::Nearest: {
      const int mode = op == VecOp::Nearest ? 0 : op == VecOp::Floor ? 1 : op == VecOp::Ceil ? 2 : 3;
      if (!isa_.has_sse41) return LowerRoundSse2(mode, lane_bytes, fp, d);
      VUn(d, lane_bytes == 8 ? 0x660F3A09 : 0x660F3A08, arg(0), mode | 8);  // 8: no precision exception
      return {};
    }
    case VecOp::FcvtFromSint: {
      ir::Type at = dfg_.value_type(dfg_.Resolve(Arg(0)));
      if (lane_bytes == 8 && at.lane_bits() == 64) return LowerI64x2ToF64x2(true, d);
      if (lane_bytes != 4 || at.lane_bits() != 32) return Unsupported(at);
      VUn(d, 0x0F5B, arg(0));  // cvtdq2ps
      return {};
    }
    case VecOp::VhighBits:
      VToGpr(d, lane_bytes == 8 ? 0x660F50 : 0x0F50, 4, true, arg(0), -1);  // movmskpd / movmskps
      return {};
    case VecOp::ScalarToVector: {
      // The scalar in the low lane, zeros above.
      uint32_t z = VConst(kFresh, 0, 0);
      VBin(d, lane_bytes == 8 ? 0xF20F10 : 0xF30F10, z, arg(0));
      return {};
    }
    default: break;
  }
  return Fail(absl::StrCat("opcode ", ir::Name(cur().opcode), " on ", VecType().Name()));
}

Unit Lowerer::LowerIntVector(rules::VecOp op, int lane_bytes, int lb, uint32_t d) {
  using rules::VecOp;
  auto arg = [&](size_t k) { return V(Arg(k)); };
  uint64_t sign_lo, sign_hi;
  Splat(uint64_t{1} << (8 * lane_bytes - 1), lane_bytes, &sign_lo, &sign_hi);
  switch (op) {
    case VecOp::Iadd: VBin(d, kPadd[lb], arg(0), arg(1)); return {};
    case VecOp::Isub: VBin(d, kPsub[lb], arg(0), arg(1)); return {};
    case VecOp::Ineg: VBin(d, kPsub[lb], VConst(kFresh, 0, 0), arg(0)); return {};
    case VecOp::Imul: {
      if (lane_bytes == 2) {
        VBin(d, 0x660FD5, arg(0), arg(1));  // pmullw
      } else if (lane_bytes == 4) {
        if (isa_.has_sse41) {
          VBin(d, 0x660F3840, arg(0), arg(1));  // pmulld
        } else {
          // pmuludq multiplies lanes 0 and 2 (and, after a qword shift, 1 and 3); the low dwords
          // of the four products are gathered with pshufd and interleaved.
          uint32_t even = VUn(kFresh, kPshufd, VBin(kFresh, kPmuludq, arg(0), arg(1)), 0x08);
          uint32_t odd = VBin(kFresh, kPmuludq, VShiftImm(kFresh, 0x73, 2, arg(0), 32), VShiftImm(kFresh, 0x73, 2, arg(1), 32));
          VBin(d, kPunpckl[2], even, VUn(kFresh, kPshufd, odd, 0x08));
        }
      } else if (lane_bytes == 8) {
        // a * b mod 2^64 = lo(a) lo(b) + ((hi(a) lo(b) + lo(a) hi(b)) << 32), from pmuludq.
        uint32_t a = arg(0), b = arg(1);
        uint32_t t1 = VBin(kFresh, kPmuludq, VShiftImm(kFresh, 0x73, 2, a, 32), b);
        uint32_t t2 = VBin(kFresh, kPmuludq, VShiftImm(kFresh, 0x73, 2, b, 32), a);
        uint32_t cross = VShiftImm(kFresh, 0x73, 6, VBin(kFresh, kPaddq, t1, t2), 32);
        VBin(d, kPaddq, VBin(kFresh, kPmuludq, a, b), cross);
      } else {
        Fail("imul.i8x16");
      }
      return {};
    }
    case VecOp::Iabs: {
      if (lane_bytes < 8 && isa_.has_ssse3) {
        VUn(d, kPabs[lb], arg(0));
        return {};
      }
      // (x ^ s) - s with s the lane's sign spread over it.
      uint32_t s = lane_bytes < 8 ? VBin(kFresh, kPcmpgt[lb], VConst(kFresh, 0, 0), arg(0))
                                  : VUn(kFresh, kPshufd, VShiftImm(kFresh, 0x72, 4, arg(0), 31), 0xF5);
      VBin(d, kPsub[lb], VBin(kFresh, kPxor, arg(0), s), s);
      return {};
    }
    case VecOp::Icmp: {
      uint32_t a = arg(0), b = arg(1);
      const ir::IntCC cc = static_cast<ir::IntCC>(cur().cond);
      const bool is_unsigned = cc == ir::IntCC::kUlt || cc == ir::IntCC::kUle || cc == ir::IntCC::kUgt || cc == ir::IntCC::kUge;
      if (is_unsigned) {  // unsigned order is signed order with the sign bits flipped
        a = VConstOp(kFresh, kPxor, a, sign_lo, sign_hi);
        b = VConstOp(kFresh, kPxor, b, sign_lo, sign_hi);
      }
      uint32_t r = kFresh;
      bool invert = false;
      switch (cc) {
        case ir::IntCC::kEq: r = VEq(lb, a, b); break;
        case ir::IntCC::kNe: r = VEq(lb, a, b), invert = true; break;
        case ir::IntCC::kSgt: case ir::IntCC::kUgt: r = VGt(lb, a, b); break;
        case ir::IntCC::kSlt: case ir::IntCC::kUlt: r = VGt(lb, b, a); break;
        case ir::IntCC::kSge: case ir::IntCC::kUge: r = VGt(lb, b, a), invert = true; break;
        case ir::IntCC::kSle: case ir::IntCC::kUle: r = VGt(lb, a, b), invert = true; break;
      }
      if (invert) VNot(d, r); else VUn(d, kMovdqa, r);
      return {};
    }
    case VecOp::Smin:
    case VecOp::Smax:
    case VecOp::Umin:
    case VecOp::Umax: {
      const bool is_min = op == VecOp::Smin || op == VecOp::Umin;
      const bool is_signed = op == VecOp::Smin || op == VecOp::Smax;
      // Native forms: SSE2 has pminsw/pmaxsw and pminub/pmaxub; SSE4.1 the rest but i64x2.
      uint32_t code = 0;
      if (is_signed && lane_bytes == 2) code = is_min ? 0x660FEA : 0x660FEE;
      if (!is_signed && lane_bytes == 1) code = is_min ? 0x660FDA : 0x660FDE;
      if (code == 0 && isa_.has_sse41 && lane_bytes < 8) {
        static constexpr uint32_t kMinS[] = {0x660F3838, 0, 0x660F3839}, kMaxS[] = {0x660F383C, 0, 0x660F383D};
        static constexpr uint32_t kMinU[] = {0, 0x660F383A, 0x660F383B}, kMaxU[] = {0, 0x660F383E, 0x660F383F};
        code = is_signed ? (is_min ? kMinS : kMaxS)[lb] : (is_min ? kMinU : kMaxU)[lb];
      }
      if (code != 0) {
        VBin(d, code, arg(0), arg(1));
        return {};
      }
      // Compare and blend: keep a where (a > b) says so.
      uint32_t a = arg(0), b = arg(1), ca = a, cb = b;
      if (!is_signed) {
        ca = VConstOp(kFresh, kPxor, a, sign_lo, sign_hi);
        cb = VConstOp(kFresh, kPxor, b, sign_lo, sign_hi);
      }
      uint32_t gt = VGt(lb, ca, cb);
      uint32_t keep_a = is_min ? VBin(kFresh, kPandn, gt, a) : VBin(kFresh, kPand, a, gt);
      uint32_t keep_b = is_min ? VBin(kFresh, kPand, b, gt) : VBin(kFresh, kPandn, gt, b);
      VBin(d, kPor, keep_a, keep_b);
      return {};
    }
    case VecOp::SaddSat:
    case VecOp::UaddSat:
    case VecOp::SsubSat:
    case VecOp::UsubSat: {
      if (lane_bytes > 2) return Unsupported(VecType());
      static constexpr uint32_t kSat[4][2] = {{0x660FEC, 0x660FED}, {0x660FDC, 0x660FDD}, {0x660FE8, 0x660FE9}, {0x660FD8, 0x660FD9}};
      const int k = op == VecOp::SaddSat ? 0 : op == VecOp::UaddSat ? 1 : op == VecOp::SsubSat ? 2 : 3;
      VBin(d, kSat[k][lb], arg(0), arg(1));
      return {};
    }
    case VecOp::AvgRound:
      if (lane_bytes > 2) return Unsupported(VecType());
      VBin(d, lane_bytes == 1 ? 0x660FE0 : 0x660FE3, arg(0), arg(1));
      return {};
    case VecOp::Ishl:
    case VecOp::Ushr:
    case VecOp::Sshr: return LowerVectorShift(op, lane_bytes, lb, d);
    case VecOp::Splat: {
      if (CheckInt(Arg(0)) == 0) return {};
      uint32_t x = VFromGpr(kFresh, arg(0), 8);
      switch (lane_bytes) {
        case 1: x = VBin(kFresh, kPunpckl[0], x, x); [[fallthrough]];
        case 2: x = VUn(kFresh, kPshuflw, x, 0); [[fallthrough]];
        case 4: VUn(d, kPshufd, x, 0); break;
        case 8: VUn(d, kPshufd, x, 0x44); break;
      }
      return {};
    }
    case VecOp::Extractlane: {
      const int lane = static_cast<int>(cur().imm);
      if (lane * lane_bytes >= 16) return Fail("a lane index out of range");
      // Narrow results keep unspecified bits above their width, as scalars do.
      switch (lane_bytes) {
        case 1:
          if (isa_.has_sse41) {
            VToGpr(d, 0x660F3A14, 4, false, arg(0), lane);  // pextrb
          } else if (lane % 2 == 0) {
            VToGpr(d, 0x660FC5, 4, true, arg(0), lane / 2);  // pextrw
          } else {
            uint32_t w = VToGpr(kFresh, 0x660FC5, 4, true, arg(0), lane / 2);
            MInst& m = Begin(MOp::kSarImm);
            m.imm = 8;
            UseVreg(w, kInt);
            Emit(Operand::ReuseDef(d, kInt, 0));
            End();
          }
          break;
        case 2: VToGpr(d, 0x660FC5, 4, true, arg(0), lane); break;
        case 4:
        case 8: {
          uint32_t x = lane == 0 ? arg(0) : VUn(kFresh, kPshufd, arg(0), lane_bytes == 8 ? 0xEE : lane);
          Begin(MOp::kXmmToGpr).size = static_cast<uint8_t>(lane_bytes);
          UseVreg(x, kFloat);
          DefVreg(d, kInt);
          End();
          break;
        }
      }
      return {};
    }
    case VecOp::Insertlane: {
      const int lane = static_cast<int>(cur().imm);
      if (lane * lane_bytes >= 16) return Fail("a lane index out of range");
      if (CheckInt(Arg(1)) == 0) return {};
      if (lane_bytes == 2 || isa_.has_sse41) {
        static constexpr uint32_t kPinsr[] = {0x660F3A20, 0x660FC4, 0x660F3A22, 0x660F3A22};
        VecInsertGpr(d, kPinsr[lb], lane_bytes == 8 ? 8 : 4, arg(0), arg(1), lane);
      } else if (lane_bytes == 8) {
        uint32_t s = VFromGpr(kFresh, arg(1), 8);
        VBin(d, lane == 0 ? 0xF20F10 : 0x660F6C, arg(0), s);  // movsd / punpcklqdq
      } else if (lane_bytes == 4) {
        InsertDwordSse2(d, arg(0), arg(1), lane);
      } else {  // i8: merge the byte into its word in a general register, then pinsrw
        uint32_t w = GprAluImm(kFresh, Alu::kAnd, VToGpr(kFresh, 0x660FC5, 4, true, arg(0), lane / 2),
                               lane % 2 == 0 ? 0xFF00 : 0x00FF);
        uint32_t byte = arg(1);
        if (lane % 2 == 1) {  // times 256: the byte moves to the high half
          uint32_t k = NewVreg(kInt);
          VBegin(MOp::kMovImm, 0, 256, 8);
          DefVreg(k, kInt);
          End();
          uint32_t shifted = NewVreg(kInt);
          VBegin(MOp::kImul, 0, 0, 4);
          UseVreg(byte, kInt);
          UseVreg(k, kInt);
          Emit(Operand::ReuseDef(shifted, kInt, 0));
          End();
          byte = shifted;
        }
        byte = GprAluImm(kFresh, Alu::kAnd, byte, lane % 2 == 0 ? 0x00FF : 0xFF00);
        uint32_t merged = NewVreg(kInt);
        VBegin(MOp::kAlu, 0, 0, 4).sub = static_cast<uint8_t>(Alu::kOr);
        UseVreg(w, kInt);
        UseVreg(byte, kInt);
        Emit(Operand::ReuseDef(merged, kInt, 0));
        End();
        VecInsertGpr(d, 0x660FC4, 4, arg(0), merged, lane / 2);
      }
      return {};
    }
    case VecOp::SwidenLow:
    case VecOp::SwidenHigh:
    case VecOp::UwidenLow:
    case VecOp::UwidenHigh: {
      // Interleave each source lane with its extension: the sign spread (x < 0) or zero.
      ir::Type at = dfg_.value_type(dfg_.Resolve(Arg(0)));
      const int sb = static_cast<int>(at.lane_bits() / 8);
      if (sb * 2 != lane_bytes) return Unsupported(at);
      const int sl = Log2Bytes(sb);
      const bool is_signed = op == VecOp::SwidenLow || op == VecOp::SwidenHigh;
      const bool high = op == VecOp::SwidenHigh || op == VecOp::UwidenHigh;
      uint32_t ext = is_signed ? VBin(kFresh, kPcmpgt[sl], VConst(kFresh, 0, 0), arg(0)) : VConst(kFresh, 0, 0);
      VBin(d, high ? kPunpckh[sl] : kPunpckl[sl], arg(0), ext);
      return {};
    }
    case VecOp::Snarrow:
    case VecOp::Unarrow:
    case VecOp::Uunarrow: {
      ir::Type at = dfg_.value_type(dfg_.Resolve(Arg(0)));
      const int sb = static_cast<int>(at.lane_bits() / 8);
      if (sb != 2 * lane_bytes) return Unsupported(at);
      const int sl = Log2Bytes(sb);
      const uint64_t umax = (uint64_t{1} << (8 * lane_bytes)) - 1;  // of the narrow lane
      if (op == VecOp::Snarrow && sb < 8) {
        VBin(d, sb == 2 ? 0x660F63 : 0x660F6B, arg(0), arg(1));  // packsswb / packssdw
        return {};
      }
      if (op == VecOp::Unarrow && sb == 2) {
        VBin(d, 0x660F67, arg(0), arg(1));  // packuswb
        return {};
      }
      if (op == VecOp::Unarrow && sb == 4 && isa_.has_sse41) {
        VBin(d, 0x660F382B, arg(0), arg(1));  // packusdw
        return {};
      }
      // Clamp each source lane to the narrow lane's range, then keep the low halves.
      uint32_t half[2];
      for (int k = 0; k < 2; ++k) {
        uint64_t lo = 0, hi = umax;
        if (op == VecOp::Snarrow) lo = ~uint64_t{0} << (8 * lane_bytes - 1), hi = umax >> 1;
        half[k] = VClamp(sl, sb, arg(k), lo, hi, op == VecOp::Uunarrow);
      }
      if (sb == 8) {
        VBin(d, kPunpckl[3], VUn(kFresh, kPshufd, half[0], 0x08), VUn(kFresh, kPshufd, half[1], 0x08));
      } else if (sb == 2) {
        VBin(d, 0x660F67, half[0], half[1]);  // packuswb: the lanes are in 0..255 now
      } else {
        // 0..65535 biased into the signed range, packssdw, bias removed.
        const uint64_t bias = 0x0000800000008000ull, wbias = 0x8000800080008000ull;
        for (uint32_t& h : half) h = VConstOp(kFresh, kPsub[2], h, bias, bias);
        VConstOp(d, kPxor, VBin(kFresh, 0x660F6B, half[0], half[1]), wbias, wbias);
      }
      return {};
    }
    case VecOp::IaddPairwise: {
      // [a0+a1, a2+a3, ..., b0+b1, ...]: phaddw/phaddd, or for i32x4 the even and odd lanes
      // gathered with shufps and added.
      if (isa_.has_ssse3 && (lane_bytes == 2 || lane_bytes == 4)) {
        VBin(d, lane_bytes == 2 ? 0x660F3801 : 0x660F3802, arg(0), arg(1));
      } else if (lane_bytes == 4) {
        uint32_t even = VBin(kFresh, 0x0FC6, arg(0), arg(1), 0x88), odd = VBin(kFresh, 0x0FC6, arg(0), arg(1), 0xDD);
        VBin(d, kPadd[2], even, odd);
      } else if (lane_bytes == 2) {
        Need(false, "SSSE3 (phaddw)");
      } else {
        return Unsupported(VecType());
      }
      return {};
    }
    case VecOp::Umulhi:
    case VecOp::Smulhi:
      if (lane_bytes != 2) return Unsupported(VecType());
      VBin(d, op == VecOp::Umulhi ? 0x660FE4 : 0x660FE5, arg(0), arg(1));  // pmulhuw / pmulhw
      return {};
    case VecOp::Popcnt: {
      if (lane_bytes != 1) return Unsupported(VecType());
      // Bit-slice sums: pairs, nibbles, bytes. Word shifts move bits across byte borders; the
      // masks drop them.
      auto splat8 = [](uint8_t b) { return 0x0101010101010101ull * b; };
      uint32_t x = arg(0);
      uint32_t t = VConstOp(kFresh, kPand, VShiftImm(kFresh, 0x71, 2, x, 1), splat8(0x55), splat8(0x55));
      x = VBin(kFresh, kPsub[0], x, t);
      uint32_t lo = VConstOp(kFresh, kPand, x, splat8(0x33), splat8(0x33));
      uint32_t hi = VConstOp(kFresh, kPand, VShiftImm(kFresh, 0x71, 2, x, 2), splat8(0x33), splat8(0x33));
      x = VBin(kFresh, kPadd[0], lo, hi);
      x = VBin(kFresh, kPadd[0], x, VShiftImm(kFresh, 0x71, 2, x, 4));
      VConstOp(d, kPand, x, splat8(0x0F), splat8(0x0F));
      return {};
    }
    case VecOp::SqmulRoundSat: {
      if (lane_bytes != 2) return Unsupported(VecType());
      if (!isa_.has_ssse3) {
        // (a * b + 0x4000) >> 15 on the 32-bit products (pmullw / pmulhw halves interleaved);
        // packssdw saturates the one overflowing case, -1 * -1.
        uint32_t lo = VBin(kFresh, 0x660FD5, arg(0), arg(1)), hi = VBin(kFresh, 0x660FE5, arg(0), arg(1));
        uint32_t half[2];
        for (int h = 0; h < 2; ++h) {
          uint32_t p = VBin(kFresh, h == 0 ? kPunpckl[1] : kPunpckh[1], lo, hi);
          p = VConstOp(kFresh, kPadd[2], p, 0x0000400000004000ull, 0x0000400000004000ull);
          half[h] = VShiftImm(kFresh, 0x72, 4, p, 15);
        }
        VBin(d, 0x660F6B, half[0], half[1]);
        return {};
      }
      // pmulhrsw overflows only for -1 * -1 (0x8000 * 0x8000 gives 0x8000): flip those lanes.
      uint32_t r = VBin(kFresh, 0x660F380B, arg(0), arg(1));
      uint32_t over = VConstOp(kFresh, kPcmpeq[1], r, 0x8000800080008000ull, 0x8000800080008000ull);
      VBin(d, kPxor, r, over);
      return {};
    }
    case VecOp::VallTrue:
      if (lane_bytes == 8 && !isa_.has_sse41) {
        // No qword is zero: the dword compare's qword mask has no bit set.
        uint32_t zero_lanes = VEq(3, arg(0), VConst(kFresh, 0, 0));
        uint32_t bits = VToGpr(kFresh, kPmovmskb, 4, true, zero_lanes, -1);
        uint32_t z = NewVreg(kInt);
        Begin(MOp::kMovImm).imm = 0;
        DefVreg(z, kInt);
        End();
        MInst& m = Begin(MOp::kIcmp);
        m.sub = static_cast<uint8_t>(Cond::kE);
        m.size = 4;
        UseVreg(bits, kInt);
        UseVreg(z, kInt);
        DefVreg(d, kInt);
        End();
        return {};
      }
      [[fallthrough]];
    case VecOp::VanyTrue: {
      const bool all = op == VecOp::VallTrue;
      MInst& m = Begin(MOp::kVecTest);
      m.sub = all ? 1 : 0;
      m.size = static_cast<uint8_t>(lane_bytes);
      UseVreg(arg(0), kFloat);
      TempEarly(kFloat);
      DefVreg(d, kInt);
      End();
      return {};
    }
    case VecOp::VhighBits: {
      switch (lane_bytes) {
        case 1: VToGpr(d, kPmovmskb, 4, true, arg(0), -1); break;
        case 2: {  // packsswb keeps each word's sign in a byte; the upper copy is masked off
          uint32_t p = VBin(kFresh, 0x660F63, arg(0), arg(0));
          GprAluImm(d, Alu::kAnd, VToGpr(kFresh, kPmovmskb, 4, true, p, -1), 0xFF);
          break;
        }
        case 4: VToGpr(d, 0x0F50, 4, true, arg(0), -1); break;
        case 8: VToGpr(d, 0x660F50, 4, true, arg(0), -1); break;
      }
      return {};
    }
    case VecOp::Shuffle: {
      if (cur().imm < 0 || static_cast<size_t>(cur().imm) >= f_.immediates.size() ||
          f_.immediates[cur().imm].size() != 16) {
        return Fail("a shuffle mask that is not 16 bytes");
      }
      const std::vector<uint8_t>& mask = f_.immediates[cur().imm];
      if (!isa_.has_ssse3) return LowerShuffleSse2(mask, d);
      // Bytes of a from pshufb(a, ma), of b from pshufb(b, mb); 0x80 selects zero.
      uint64_t ma[2] = {}, mb[2] = {};
      for (int k = 0; k < 16; ++k) {
        const uint8_t s = mask[k];
        const uint64_t fa = s < 16 ? s : 0x80, fb = s >= 16 && s < 32 ? s - 16 : 0x80;
        ma[k / 8] |= fa << (8 * (k % 8));
        mb[k / 8] |= fb << (8 * (k % 8));
      }
      uint32_t ra = VConstOp(kFresh, kPshufb, arg(0), ma[0], ma[1]);
      uint32_t rb = VConstOp(kFresh, kPshufb, arg(1), mb[0], mb[1]);
      VBin(d, kPor, ra, rb);
      return {};
    }
    case VecOp::Swizzle: {
      if (lane_bytes != 1) return Unsupported(VecType());
      if (!Need(isa_.has_ssse3, "SSSE3 (pshufb)")) return {};
      // Indexes 16 and above must give 0: adding 0x70 with unsigned saturation sets their bit 7.
      uint32_t idx = VConstOp(kFresh, 0x660FDC, arg(1), 0x7070707070707070ull, 0x7070707070707070ull);
      VBin(d, kPshufb, arg(0), idx);
      return {};
    }
    case VecOp::ScalarToVector: {
      // movd / movq zero the lanes above; narrow lanes are masked to their width first.
      if (CheckInt(Arg(0)) == 0) return {};
      uint32_t x = arg(0);
      if (lane_bytes < 4) x = GprAluImm(kFresh, Alu::kAnd, x, lane_bytes == 1 ? 0xFF : 0xFFFF);
      VFromGpr(d, x, lane_bytes == 8 ? 8 : 4);
      return {};
    }
    default: break;
  }
  return Fail(absl::StrCat("opcode ", ir::Name(cur().opcode), " on ", VecType().Name()));
}

// Shifts by a scalar amount taken modulo the lane width. i16/i32/i64 lanes use the packed
// shifts with the count in an xmm register; i64x2 sshr is ((x >>u n) ^ m) - m with m the sign
// bit shifted the same way; i8x16 widens to words (zero- or sign-extended), shifts and packs.
Unit Lowerer::LowerVectorShift(rules::VecOp op, int lane_bytes, int lb, uint32_t d) {
  using rules::VecOp;
  if (!Wide(Arg(1)) && CheckInt(Arg(1)) == 0) return {};  // an i128 amount: its low half
  const int bits = 8 * lane_bytes;
  uint32_t n = GprAluImm(kFresh, Alu::kAnd, V(Arg(1)), bits - 1);
  uint32_t x = V(Arg(0));
  if (lane_bytes == 1) {
    const bool arith = op == VecOp::Sshr;
    if (arith) n = GprAluImm(kFresh, Alu::kAdd, n, 8);  // words hold the byte in their high half
    uint32_t cnt = VFromGpr(kFresh, n, 8);
    const uint32_t code = op == VecOp::Ishl ? kPsll[1] : arith ? kPsra[1] : kPsrl[1];
    uint32_t halves[2];
    for (int h = 0; h < 2; ++h) {
      const uint32_t unpack = h == 0 ? kPunpckl[0] : kPunpckh[0];
      // Zero-extended bytes (x, 0) or the byte in the high half (x, x) for arithmetic shifts.
      uint32_t w = arith ? VBin(kFresh, unpack, x, x) : VBin(kFresh, unpack, x, VConst(kFresh, 0, 0));
      w = VBin(kFresh, code, w, cnt);
      if (op == VecOp::Ishl) w = VConstOp(kFresh, kPand, w, 0x00FF00FF00FF00FFull, 0x00FF00FF00FF00FFull);
      halves[h] = w;
    }
    VBin(d, arith ? 0x660F63 : 0x660F67, halves[0], halves[1]);  // packsswb / packuswb
    return {};
  }
  uint32_t cnt = VFromGpr(kFresh, n, 8);
  if (op == VecOp::Sshr && lane_bytes == 8) {
    uint32_t t = VBin(kFresh, kPsrl[3], x, cnt);
    uint32_t m = VBin(kFresh, kPsrl[3], VConst(kFresh, uint64_t{1} << 63, uint64_t{1} << 63), cnt);
    VBin(d, kPsub[3], VBin(kFresh, kPxor, t, m), m);
    return {};
  }
  const uint32_t code = op == VecOp::Ishl ? kPsll[lb] : op == VecOp::Ushr ? kPsrl[lb] : kPsra[lb];
  VBin(d, code, x, cnt);
  return {};
}

// i64x2 -> f64x2 has no packed SSE form: each lane converts through a general register with
// the scalar sequences (kCvtFromInt, or kCvtFromU64 for unsigned), then movlhps joins them.
Unit Lowerer::LowerI64x2ToF64x2(bool is_signed, uint32_t d) {
  uint32_t lanes[2] = {V(Arg(0)), VUn(kFresh, kPshufd, V(Arg(0)), 0xEE)};
  uint32_t f[2];
  for (int k = 0; k < 2; ++k) {
    uint32_t g = NewVreg(kInt);
    Begin(MOp::kXmmToGpr).size = 8;
    UseVreg(lanes[k], kFloat);
    DefVreg(g, kInt);
    End();
    f[k] = NewVreg(kFloat);
    MInst& m = Begin(is_signed ? MOp::kCvtFromInt : MOp::kCvtFromU64);
    m.sub = 1;
    m.size = 8;
    m.imm = 8;
    UseVreg(g, kInt);
    TempDefEarly();
    if (!is_signed) TempDefEarly();
    DefVreg(f[k], kFloat);
    End();
  }
  VBin(d, 0x0F16, f[0], f[1]);  // movlhps
  return {};
}

// shuffle without pshufb: each result word is gathered in a general register with pextrw
// (the byte wanted low or high in the word; copies of a source shifted by one byte (psrldq /
// pslldq) bring an odd byte low or an even byte high), masked, or-ed, and put in place with
// pinsrw. Mask entries of 32 and above give zero bytes.
Unit Lowerer::LowerShuffleSse2(const std::vector<uint8_t>& mask, uint32_t d) {
  // shifted[src][0]: the source as is; [1]: bytes moved down one (psrldq); [2]: up one (pslldq).
  uint32_t shifted[2][3] = {{V(Arg(0)), kFresh, kFresh}, {V(Arg(1)), kFresh, kFresh}};
  auto source = [&](int src, int kind) {
    if (shifted[src][kind] == kFresh) {
      shifted[src][kind] = VShiftImm(kFresh, 0x73, kind == 1 ? 3 : 7, shifted[src][0], 1);
    }
    return shifted[src][kind];
  };
  // The byte mask[k] at byte `pos` (0 low, 1 high) of a 16-bit value, other bits zero; kFresh
  // for a zero byte.
  auto byte_at = [&](int k, int pos) -> uint32_t {
    const int s = mask[k];
    if (s >= 32) return kFresh;
    const int src = s / 16, i = s % 16;
    const bool in_place = (i % 2) == pos;
    const uint32_t v = in_place ? source(src, 0) : source(src, pos == 0 ? 1 : 2);
    const int word = in_place ? i / 2 : pos == 0 ? (i - 1) / 2 : (i + 1) / 2;
    uint32_t g = VToGpr(kFresh, 0x660FC5, 4, true, v, word);  // pextrw
    return GprAluImm(kFresh, Alu::kAnd, g, pos == 0 ? 0xFF : 0xFF00);
  };
  uint32_t r = VConst(kFresh, 0, 0);
  for (int w = 0; w < 8; ++w) {
    const int s0 = mask[2 * w], s1 = mask[2 * w + 1];
    uint32_t g = kFresh;
    if (s0 < 32 && s0 % 2 == 0 && s1 == s0 + 1) {  // a whole source word
      g = VToGpr(kFresh, 0x660FC5, 4, true, source(s0 / 16, 0), (s0 % 16) / 2);
    } else {
      uint32_t lo = byte_at(2 * w, 0), hi = byte_at(2 * w + 1, 1);
      if (lo == kFresh || hi == kFresh) {
        g = lo == kFresh ? hi : lo;
      } else {
        g = NewVreg(kInt);
        VBegin(MOp::kAlu, 0, 0, 4).sub = static_cast<uint8_t>(Alu::kOr);
        UseVreg(lo, kInt);
        UseVreg(hi, kInt);
        Emit(Operand::ReuseDef(g, kInt, 0));
        End();
      }
    }
    if (g == kFresh) continue;  // both bytes zero: the initial zero stays
    r = VecInsertGpr(w == 7 ? d : kFresh, 0x660FC4, 4, r, g, w);
  }
  if (mask[14] >= 32 && mask[15] >= 32) VUn(d, kMovdqa, r);  // the last word was not inserted
  return {};
}

// Plain vector loads and stores: 128-bit ones are the f128 forms (movdqu); 32- and 64-bit
// vectors move with movss / movsd like f32 / f64, 16-bit ones through a general register.
Unit Lowerer::LowerVectorMemory(bool is_store) {
  const ir::Value v = is_store ? Arg(0) : Result(0);
  const ir::Type t = dfg_.value_type(dfg_.Resolve(v));
  const int bytes = XmmBytes(t);
  if (bytes == 16) return is_store ? emit_store(0) : emit_load(0, false);
  if (bytes != 2 && bytes != 4 && bytes != 8) return Unsupported(t);
  const ir::Value addr = Arg(is_store ? 1 : 0);
  if (CheckInt(addr) != 8) return Unsupported(dfg_.value_type(dfg_.Resolve(addr)));
  if (BigEndian()) return Fail("big-endian vector loads and stores");
  Address a = AddressOf(addr, cur().imm, cur().flags.trap);
  // A 16-bit vector goes through a general register (movd), as SSE has no 16-bit move.
  uint32_t gpr = kFresh;
  if (bytes == 2 && is_store) {
    gpr = NewVreg(kInt);
    VBegin(MOp::kXmmToGpr, 0, 0, 4);
    Use(v);
    DefVreg(gpr, kInt);
    End();
  }
  MInst& m = Begin(bytes == 2 ? (is_store ? MOp::kStore : MOp::kLoad) : is_store ? MOp::kFstore : MOp::kFload);
  m.size = static_cast<uint8_t>(bytes);
  SetAddress(&m, a);
  if (is_store) {
    if (gpr != kFresh) UseVreg(gpr, kInt); else Use(v);
  }
  UseBase(a);
  if (!is_store) {
    if (bytes == 2) DefVreg(gpr = NewVreg(kInt), kInt); else Def(v);
  }
  UseIndex(a);
  End();
  if (bytes == 2 && !is_store) {
    VBegin(MOp::kGprToXmm, 0, 0, 4);
    UseVreg(gpr, kInt);
    Def(v);
    End();
  }
  return {};
}

// A 32-bit lane from a general register without pinsrd: two pinsrw, the low half, then the
// high half (after a shift; the bits above 32 of `gpr` do not matter).
uint32_t Lowerer::InsertDwordSse2(uint32_t dst, uint32_t vec, uint32_t gpr, int lane) {
  uint32_t lo = VecInsertGpr(kFresh, 0x660FC4, 4, vec, gpr, 2 * lane);
  uint32_t hi = NewVreg(kInt);
  VBegin(MOp::kSarImm, 0, 16, 8);
  UseVreg(gpr, kInt);
  Emit(Operand::ReuseDef(hi, kInt, 0));
  End();
  return VecInsertGpr(dst, 0x660FC4, 4, lo, hi, 2 * lane + 1);
}

// uload8x8 ... sload32x2: movsd loads the 64 bits (zeroing the rest), then the low lanes are
// interleaved with their sign spread or zero, as swiden_low / uwiden_low do.
Unit Lowerer::LowerExtendingLoad(bool is_signed, int src_lane_bytes) {
  if (CheckInt(Arg(0)) != 8) return Unsupported(dfg_.value_type(dfg_.Resolve(Arg(0))));
  if (BigEndian()) return Fail("big-endian vector loads and stores");
  Address a = AddressOf(Arg(0), cur().imm, cur().flags.trap);
  const uint32_t raw = NewVreg(kFloat);
  MInst& m = Begin(MOp::kFload);
  m.size = 8;
  SetAddress(&m, a);
  UseBase(a);
  DefVreg(raw, kFloat);
  UseIndex(a);
  End();
  const int sl = Log2Bytes(src_lane_bytes);
  uint32_t ext = is_signed ? VBin(kFresh, kPcmpgt[sl], VConst(kFresh, 0, 0), raw) : VConst(kFresh, 0, 0);
  VBin(V(Result(0)), kPunpckl[sl], raw, ext);
  return {};
}

// floor / ceil / trunc / nearest without roundps, on the magnitude a = |x|: lanes with
// a < 2^23 (2^52 for f64) get n = (a + 2^23) - 2^23, a rounded to nearest even; trunc(a) is n
// less one where n > a, ceil(a) n plus one where n < a; floor and ceil of a negative x are
// ceil(a) and trunc(a) negated. The sign is or-ed back (so -0.3 gives -0). Other lanes (large,
// infinite, NaN) are x + 0, which quiets a signalling NaN as roundps does.
Unit Lowerer::LowerRoundSse2(int mode, int lane_bytes, uint32_t fp, uint32_t d) {
  const uint32_t x = V(Arg(0));
  const uint64_t sign = lane_bytes == 8 ? uint64_t{1} << 63 : 0x8000000080000000ull;
  const uint64_t big = lane_bytes == 8 ? 0x4330000000000000ull : 0x4b0000004b000000ull;  // 2^52, 2^23
  const uint64_t one = lane_bytes == 8 ? 0x3ff0000000000000ull : 0x3f8000003f800000ull;
  const uint32_t cmp = fp | 0xC2, add = fp | 0x58, sub = fp | 0x5C;
  uint32_t a = VConstOp(kFresh, kPand, x, ~sign, ~sign);
  uint32_t x_sign = VConstOp(kFresh, kPand, x, sign, sign);
  uint32_t small = VBin(kFresh, cmp, a, VConst(kFresh, big, big), 1);
  uint32_t n = VConstOp(kFresh, sub, VConstOp(kFresh, add, a, big, big), big, big);
  uint32_t mag = n;
  if (mode != 0) {
    uint32_t t = VBin(kFresh, sub, n, VConstOp(kFresh, kPand, VBin(kFresh, cmp, a, n, 1), one, one));
    uint32_t c = VBin(kFresh, add, n, VConstOp(kFresh, kPand, VBin(kFresh, cmp, n, a, 1), one, one));
    if (mode == 3) {
      mag = t;
    } else {
      uint32_t neg = VBin(kFresh, cmp, x, VConst(kFresh, 0, 0), 1);
      // floor: ceil(a) where negative, else trunc(a); ceil: the other way round.
      const uint32_t when_neg = mode == 1 ? c : t, when_pos = mode == 1 ? t : c;
      mag = VBin(kFresh, kPor, VBin(kFresh, kPand, when_neg, neg), VBin(kFresh, kPandn, neg, when_pos));
    }
  }
  uint32_t rounded = VBin(kFresh, kPor, mag, x_sign);
  uint32_t other = VConstOp(kFresh, add, x, 0, 0);
  VBin(d, kPor, VBin(kFresh, kPand, rounded, small), VBin(kFresh, kPandn, small, other));
  return {};
}

// f64x2 -> i64x2 (saturating) lane by lane through the scalar sequence (kToInt), the two
// results joined with movq + punpcklqdq.
Unit Lowerer::LowerF64x2ToI64x2(bool is_signed, uint32_t d) {
  uint32_t lanes[2] = {V(Arg(0)), VUn(kFresh, kPshufd, V(Arg(0)), 0xEE)};
  uint32_t out[2];
  for (int k = 0; k < 2; ++k) {
    const uint32_t g = NewVreg(kInt);
    VBegin(MOp::kToInt, 0, 8, 8).sub = static_cast<uint8_t>((is_signed ? 1 : 0) | 2);
    UseVreg(lanes[k], kFloat);
    TempDefEarly();
    TempEarly(kFloat);
    TempEarly(kFloat);
    DefVreg(g, kInt);
    End();
    out[k] = VFromGpr(kFresh, g, 8);
  }
  VBin(d, kPunpckl[3], out[0], out[1]);
  return {};
}

}  // namespace lathe::x64::lowering
