#include "testsuite/interp/pure_ops.h"

#include "absl/strings/str_cat.h"
#include "ir/condcodes.h"
#include "ir/opcode.h"
#include "testsuite/interp/float_semantics.h"

namespace lathe::interp {
namespace {

using ir::Opcode;
using ir::Type;

struct Shape {
  uint32_t w;  // lane width in bits
  uint32_t n;  // lane count
};
Shape ShapeOf(Type t) { return {LaneBits(t), 1u << t.log2_lanes()}; }

template <typename F>
u128 Map1(Type t, u128 a, F fn) {
  Shape s = ShapeOf(t);
  if (s.n == 1) return MaskBits(fn(MaskBits(a, s.w)), s.w);
  u128 r = 0;
  for (uint32_t i = 0; i < s.n; ++i) r = SetLane(r, s.w, i, fn(GetLane(a, s.w, i)));
  return r;
}

template <typename F>
u128 Map2(Type t, u128 a, u128 b, F fn) {
  Shape s = ShapeOf(t);
  if (s.n == 1) return MaskBits(fn(MaskBits(a, s.w), MaskBits(b, s.w)), s.w);
  u128 r = 0;
  for (uint32_t i = 0; i < s.n; ++i) {
    r = SetLane(r, s.w, i, fn(GetLane(a, s.w, i), GetLane(b, s.w, i)));
  }
  return r;
}

template <typename F>
u128 Map3(Type t, u128 a, u128 b, u128 c, F fn) {
  Shape s = ShapeOf(t);
  u128 r = 0;
  for (uint32_t i = 0; i < s.n; ++i) {
    r = SetLane(r, s.w, i, fn(GetLane(a, s.w, i), GetLane(b, s.w, i), GetLane(c, s.w, i)));
  }
  return r;
}

// Lane-wise conversion between two shapes with the same lane count.
template <typename F>
u128 MapConvert(Type from, Type to, u128 a, F fn) {
  Shape fs = ShapeOf(from), ts = ShapeOf(to);
  u128 r = 0;
  for (uint32_t i = 0; i < ts.n && i < fs.n; ++i) r = SetLane(r, ts.w, i, fn(GetLane(a, fs.w, i)));
  return r;
}

bool IsFloatLane(Type t) { return t.is_float(); }

FloatKind KindOf(Type t) {
  switch (t.lane_kind()) {
    case Type::kF16: return FloatKind::kF16;
    case Type::kF32: return FloatKind::kF32;
    case Type::kF64: return FloatKind::kF64;
    default: return FloatKind::kF128;
  }
}

u128 UMulHi128(u128 a, u128 b) {
  uint64_t a0 = static_cast<uint64_t>(a), a1 = static_cast<uint64_t>(a >> 64);
  uint64_t b0 = static_cast<uint64_t>(b), b1 = static_cast<uint64_t>(b >> 64);
  u128 p00 = static_cast<u128>(a0) * b0, p01 = static_cast<u128>(a0) * b1;
  u128 p10 = static_cast<u128>(a1) * b0, p11 = static_cast<u128>(a1) * b1;
  u128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
  return p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}

u128 UMulHi(u128 x, u128 y, uint32_t w) {
  if (w <= 64) return (x * y) >> w;
  return UMulHi128(x, y);
}

u128 SMulHi(u128 x, u128 y, uint32_t w) {
  if (w <= 64) return static_cast<u128>((SignExtend(x, w) * SignExtend(y, w)) >> w);
  u128 hi = UMulHi128(x, y);
  if (static_cast<i128>(x) < 0) hi -= y;
  if (static_cast<i128>(y) < 0) hi -= x;
  return hi;
}

i128 SMin(uint32_t w) { return w >= 128 ? static_cast<i128>(u128{1} << 127) : -(i128{1} << (w - 1)); }
i128 SMax(uint32_t w) { return w >= 128 ? static_cast<i128>((u128{1} << 127) - 1) : (i128{1} << (w - 1)) - 1; }

u128 ClampS(i128 r, uint32_t w) {
  if (r < SMin(w)) r = SMin(w);
  if (r > SMax(w)) r = SMax(w);
  return MaskBits(static_cast<u128>(r), w);
}

u128 SatAddS(u128 x, u128 y, uint32_t w, bool sub) {
  if (w < 128) return ClampS(sub ? SignExtend(x, w) - SignExtend(y, w) : SignExtend(x, w) + SignExtend(y, w), w);
  i128 r;
  bool ovf = sub ? __builtin_sub_overflow(static_cast<i128>(x), static_cast<i128>(y), &r)
                 : __builtin_add_overflow(static_cast<i128>(x), static_cast<i128>(y), &r);
  if (!ovf) return static_cast<u128>(r);
  bool neg = sub ? static_cast<i128>(x) < 0 : static_cast<i128>(x) < 0;
  return static_cast<u128>(neg ? SMin(128) : SMax(128));
}

u128 SatAddU(u128 x, u128 y, uint32_t w, bool sub) {
  if (sub) return x < y ? 0 : x - y;
  u128 r = MaskBits(x + y, w);
  return r < x ? AllOnes(w) : r;
}

int Clz128(u128 x) {
  uint64_t hi = static_cast<uint64_t>(x >> 64), lo = static_cast<uint64_t>(x);
  if (hi != 0) return __builtin_clzll(hi);
  if (lo != 0) return 64 + __builtin_clzll(lo);
  return 128;
}

int Ctz128(u128 x) {
  uint64_t hi = static_cast<uint64_t>(x >> 64), lo = static_cast<uint64_t>(x);
  if (lo != 0) return __builtin_ctzll(lo);
  if (hi != 0) return 64 + __builtin_ctzll(hi);
  return 128;
}

u128 Clz(u128 x, uint32_t w) { return x == 0 ? w : static_cast<u128>(Clz128(x) - (128 - static_cast<int>(w))); }
u128 Ctz(u128 x, uint32_t w) { return x == 0 ? w : static_cast<u128>(Ctz128(x)); }
u128 Cls(u128 x, uint32_t w) {
  if ((x >> (w - 1)) & 1) x = MaskBits(~x, w);
  return Clz(x, w) - 1;
}
u128 Popcnt(u128 x) {
  return static_cast<u128>(__builtin_popcountll(static_cast<uint64_t>(x)) +
                           __builtin_popcountll(static_cast<uint64_t>(x >> 64)));
}
u128 Bitrev(u128 x, uint32_t w) {
  u128 r = 0;
  for (uint32_t i = 0; i < w; ++i) r |= ((x >> i) & 1) << (w - 1 - i);
  return r;
}
u128 Bswap(u128 x, uint32_t w) {
  u128 r = 0;
  for (uint32_t i = 0; i < w / 8; ++i) r |= ((x >> (8 * i)) & 0xff) << (w - 8 - 8 * i);
  return r;
}

bool IntCompare(ir::IntCC cc, u128 x, u128 y, uint32_t w) {
  i128 sx = SignExtend(x, w), sy = SignExtend(y, w);
  switch (cc) {
    case ir::IntCC::kEq: return x == y;
    case ir::IntCC::kNe: return x != y;
    case ir::IntCC::kSlt: return sx < sy;
    case ir::IntCC::kSge: return sx >= sy;
    case ir::IntCC::kSgt: return sx > sy;
    case ir::IntCC::kSle: return sx <= sy;
    case ir::IntCC::kUlt: return x < y;
    case ir::IntCC::kUge: return x >= y;
    case ir::IntCC::kUgt: return x > y;
    case ir::IntCC::kUle: return x <= y;
  }
  return false;
}

// A comparison result: 1/0 for scalars, all-ones/zero lanes for vectors.
u128 Truth(bool b, Type t) { return b ? (t.is_vector() ? AllOnes(LaneBits(t)) : 1) : 0; }

bool FitsS(i128 r, uint32_t w) { return r >= SMin(w) && r <= SMax(w); }

// (result, flag) of the overflow-reporting arithmetic, with an incoming carry/borrow.
void OverflowOp(Opcode op, u128 x, u128 y, u128 cin, uint32_t w, u128* r, u128* flag) {
  bool c = (cin & 0xff) != 0;
  switch (op) {
    case Opcode::kUaddOverflow:
    case Opcode::kUaddOverflowCin: {
      u128 s = MaskBits(x + y, w);
      bool o = s < x;
      u128 s2 = MaskBits(s + (c ? 1 : 0), w);
      o = o || (c && s2 == 0);
      *r = s2;
      *flag = o;
      return;
    }
    case Opcode::kSaddOverflow:
    case Opcode::kSaddOverflowCin: {
      u128 s = MaskBits(x + y + (c ? 1 : 0), w);
      i128 sx = SignExtend(x, w), sy = SignExtend(y, w), ss = SignExtend(s, w);
      *r = s;
      *flag = ((sx < 0) == (sy < 0)) && ((ss < 0) != (sx < 0));
      return;
    }
    case Opcode::kUsubOverflow:
    case Opcode::kUsubOverflowBin: {
      *r = MaskBits(x - y - (c ? 1 : 0), w);
      *flag = x < y || (c && x == y);
      return;
    }
    case Opcode::kSsubOverflow:
    case Opcode::kSsubOverflowBin: {
      u128 s = MaskBits(x - y - (c ? 1 : 0), w);
      i128 sx = SignExtend(x, w), sy = SignExtend(y, w), ss = SignExtend(s, w);
      *r = s;
      *flag = ((sx < 0) != (sy < 0)) && ((ss < 0) != (sx < 0));
      return;
    }
    case Opcode::kUmulOverflow: {
      *r = MaskBits(x * y, w);
      *flag = w <= 64 ? (x * y) != *r : (y != 0 && x > AllOnes(128) / y);
      return;
    }
    case Opcode::kSmulOverflow: {
      if (w <= 32) {
        i128 p = SignExtend(x, w) * SignExtend(y, w);
        *r = MaskBits(static_cast<u128>(p), w);
        *flag = !FitsS(p, w);
      } else if (w == 64) {
        int64_t p;
        *flag = __builtin_mul_overflow(static_cast<int64_t>(x), static_cast<int64_t>(y), &p);
        *r = MaskBits(static_cast<u128>(static_cast<uint64_t>(p)), 64);
      } else {
        i128 p;
        *flag = __builtin_mul_overflow(static_cast<i128>(x), static_cast<i128>(y), &p);
        *r = static_cast<u128>(p);
      }
      return;
    }
    default:
      *r = 0;
      *flag = 0;
  }
}

u128 ShiftOp(Opcode op, u128 x, u128 amount, uint32_t w) {
  uint32_t k = static_cast<uint32_t>(amount & (w - 1));
  switch (op) {
    case Opcode::kIshl: return MaskBits(x << k, w);
    case Opcode::kUshr: return x >> k;
    case Opcode::kSshr: return MaskBits(static_cast<u128>(SignExtend(x, w) >> k), w);
    case Opcode::kRotl: return k == 0 ? x : MaskBits((x << k) | (x >> (w - k)), w);
    case Opcode::kRotr: return k == 0 ? x : MaskBits((x >> k) | (x << (w - k)), w);
    default: return 0;
  }
}

u128 ConstantBits(const ir::Function& f, uint32_t c, bool* ok) {
  *ok = false;
  if (c >= f.constants.size()) return 0;
  const std::vector<uint8_t>& bytes = f.constants[c].bytes;
  if (bytes.size() > 16) return 0;
  u128 r = 0;
  for (size_t i = 0; i < bytes.size(); ++i) r |= static_cast<u128>(bytes[i]) << (8 * i);
  *ok = true;
  return r;
}

PureOutcome Unsupported(std::string reason) {
  PureOutcome o;
  o.status = EvalStatus::kUnsupported;
  o.reason = std::move(reason);
  return o;
}

PureOutcome Trap(uint8_t code) {
  PureOutcome o;
  o.status = EvalStatus::kTrap;
  o.trap = ir::TrapCode(code);
  return o;
}

// Saturating narrow of one lane: `in_signed` says how to read the input lane.
u128 Narrow(u128 x, uint32_t w, bool in_signed, bool out_signed) {
  uint32_t nw = w / 2;
  i128 v = in_signed ? SignExtend(x, w) : static_cast<i128>(x);
  i128 lo = out_signed ? SMin(nw) : 0;
  i128 hi = out_signed ? SMax(nw) : static_cast<i128>(AllOnes(nw));
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return MaskBits(static_cast<u128>(v), nw);
}

}  // namespace

PureOutcome EvalPure(const PureInst& in, u128* res) {
  const ir::InstData& d = *in.d;
  const Opcode op = d.opcode;
  auto a = [&](size_t i) { return in.args[i]; };
  Type rt = in.result_types.empty() ? Type() : in.result_types[0];
  Type at = in.arg_types.empty() ? Type() : in.arg_types[0];
  if ((rt.valid() && (rt.is_dynamic() || TotalBits(rt) > 128)) ||
      (at.valid() && (at.is_dynamic() || TotalBits(at) > 128))) {
    return Unsupported("values wider than 128 bits and dynamic vectors are not supported");
  }
  const uint32_t w = rt.valid() ? LaneBits(rt) : 0;
  PureOutcome ok;

  switch (op) {
    // Constants.
    case Opcode::kIconst:
      res[0] = MaskBits(static_cast<u128>(static_cast<i128>(d.imm)), w);
      return ok;
    case Opcode::kF16const:
    case Opcode::kF32const:
    case Opcode::kF64const:
      res[0] = MaskBits(static_cast<uint64_t>(d.imm), w);
      return ok;
    case Opcode::kF128const:
    case Opcode::kVconst: {
      bool good;
      res[0] = ConstantBits(*in.f, d.entity, &good);
      if (!good) return Unsupported("constant larger than 128 bits");
      return ok;
    }
    case Opcode::kNop:
      return ok;

    // Integer arithmetic.
    case Opcode::kIadd: res[0] = Map2(rt, a(0), a(1), [](u128 x, u128 y) { return x + y; }); return ok;
    case Opcode::kIsub: res[0] = Map2(rt, a(0), a(1), [](u128 x, u128 y) { return x - y; }); return ok;
    case Opcode::kImul: res[0] = Map2(rt, a(0), a(1), [](u128 x, u128 y) { return x * y; }); return ok;
    case Opcode::kIneg: res[0] = Map1(rt, a(0), [](u128 x) { return -x; }); return ok;
    case Opcode::kIabs:
      res[0] = Map1(rt, a(0), [w](u128 x) { return SignExtend(x, w) < 0 ? -x : x; });
      return ok;
    case Opcode::kUmulhi: res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) { return UMulHi(x, y, w); }); return ok;
    case Opcode::kSmulhi: res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) { return SMulHi(x, y, w); }); return ok;
    case Opcode::kSqmulRoundSat:
      if (w > 32) return Unsupported("sqmul_round_sat on lanes wider than 32 bits");
      res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) {
        i128 p = SignExtend(x, w) * SignExtend(y, w);
        return ClampS((p + (i128{1} << (w - 2))) >> (w - 1), w);
      });
      return ok;
    case Opcode::kUdiv:
    case Opcode::kUrem: {
      u128 x = MaskBits(a(0), w), y = MaskBits(a(1), w);
      if (rt.is_vector()) return Unsupported("vector division");
      if (y == 0) return Trap(ir::TrapCode::kIntegerDivisionByZero);
      res[0] = op == Opcode::kUdiv ? x / y : x % y;
      return ok;
    }
    case Opcode::kSdiv:
    case Opcode::kSrem: {
      if (rt.is_vector()) return Unsupported("vector division");
      i128 x = SignExtend(a(0), w), y = SignExtend(a(1), w);
      if (y == 0) return Trap(ir::TrapCode::kIntegerDivisionByZero);
      if (y == -1 && x == SMin(w)) {
        if (op == Opcode::kSdiv) return Trap(ir::TrapCode::kIntegerOverflow);
        res[0] = 0;
        return ok;
      }
      res[0] = MaskBits(static_cast<u128>(op == Opcode::kSdiv ? x / y : x % y), w);
      return ok;
    }
    case Opcode::kSmin:
      res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) { return SignExtend(x, w) < SignExtend(y, w) ? x : y; });
      return ok;
    case Opcode::kSmax:
      res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) { return SignExtend(x, w) > SignExtend(y, w) ? x : y; });
      return ok;
    case Opcode::kUmin: res[0] = Map2(rt, a(0), a(1), [](u128 x, u128 y) { return x < y ? x : y; }); return ok;
    case Opcode::kUmax: res[0] = Map2(rt, a(0), a(1), [](u128 x, u128 y) { return x > y ? x : y; }); return ok;
    case Opcode::kAvgRound:
      if (w > 64) return Unsupported("avg_round on 128-bit lanes");
      res[0] = Map2(rt, a(0), a(1), [](u128 x, u128 y) { return (x + y + 1) >> 1; });
      return ok;
    case Opcode::kUaddSat: res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) { return SatAddU(x, y, w, false); }); return ok;
    case Opcode::kUsubSat: res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) { return SatAddU(x, y, w, true); }); return ok;
    case Opcode::kSaddSat: res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) { return SatAddS(x, y, w, false); }); return ok;
    case Opcode::kSsubSat: res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) { return SatAddS(x, y, w, true); }); return ok;
    case Opcode::kUaddOverflow:
    case Opcode::kSaddOverflow:
    case Opcode::kUsubOverflow:
    case Opcode::kSsubOverflow:
    case Opcode::kUmulOverflow:
    case Opcode::kSmulOverflow:
    case Opcode::kUaddOverflowCin:
    case Opcode::kSaddOverflowCin:
    case Opcode::kUsubOverflowBin:
    case Opcode::kSsubOverflowBin: {
      if (rt.is_vector()) return Unsupported("vector overflow arithmetic");
      u128 cin = in.args.size() > 2 ? a(2) : 0;
      OverflowOp(op, MaskBits(a(0), w), MaskBits(a(1), w), cin, w, &res[0], &res[1]);
      return ok;
    }

    // Bitwise.
    case Opcode::kBand: res[0] = MaskBits(a(0) & a(1), TotalBits(rt)); return ok;
    case Opcode::kBor: res[0] = MaskBits(a(0) | a(1), TotalBits(rt)); return ok;
    case Opcode::kBxor: res[0] = MaskBits(a(0) ^ a(1), TotalBits(rt)); return ok;
    case Opcode::kBnot: res[0] = MaskBits(~a(0), TotalBits(rt)); return ok;
    case Opcode::kIshl:
    case Opcode::kUshr:
    case Opcode::kSshr:
    case Opcode::kRotl:
    case Opcode::kRotr: {
      if (rt.is_float()) return Unsupported("shift of a float");
      u128 amount = in.args[1];
      if (in.arg_types[1].is_vector()) return Unsupported("vector shift amount");
      res[0] = Map1(rt, a(0), [op, amount, w](u128 x) { return ShiftOp(op, x, amount, w); });
      return ok;
    }
    case Opcode::kBitrev: res[0] = Map1(rt, a(0), [w](u128 x) { return Bitrev(x, w); }); return ok;
    case Opcode::kClz: res[0] = Map1(rt, a(0), [w](u128 x) { return Clz(x, w); }); return ok;
    case Opcode::kCls: res[0] = Map1(rt, a(0), [w](u128 x) { return Cls(x, w); }); return ok;
    case Opcode::kCtz: res[0] = Map1(rt, a(0), [w](u128 x) { return Ctz(x, w); }); return ok;
    case Opcode::kBswap: res[0] = Map1(rt, a(0), [w](u128 x) { return Bswap(x, w); }); return ok;
    case Opcode::kPopcnt: res[0] = Map1(rt, a(0), [](u128 x) { return Popcnt(x); }); return ok;

    // Comparisons and selects.
    case Opcode::kIcmp: {
      ir::IntCC cc = static_cast<ir::IntCC>(d.cond);
      uint32_t aw = LaneBits(at);
      if (!at.is_vector()) {
        res[0] = IntCompare(cc, MaskBits(a(0), aw), MaskBits(a(1), aw), aw) ? 1 : 0;
      } else {
        res[0] = Map2(at, a(0), a(1), [cc, aw](u128 x, u128 y) { return IntCompare(cc, x, y, aw) ? AllOnes(aw) : 0; });
      }
      return ok;
    }
    case Opcode::kFcmp: {
      ir::FloatCC cc = static_cast<ir::FloatCC>(d.cond);
      FloatKind k = KindOf(at);
      uint32_t aw = LaneBits(at);
      res[0] = Map2(at, a(0), a(1), [cc, k, aw, at](u128 x, u128 y) { return Truth(FloatCompare(cc, k, x, y), at) & AllOnes(aw); });
      return ok;
    }
    case Opcode::kSelect:
    case Opcode::kSelectSpectreGuard:
      res[0] = MaskBits(a(0), TotalBits(in.arg_types[0])) != 0 ? a(1) : a(2);
      return ok;
    case Opcode::kBitselect:
      res[0] = MaskBits((a(0) & a(1)) | (~a(0) & a(2)), TotalBits(rt));
      return ok;

    // Floating point.
    case Opcode::kFadd:
    case Opcode::kFsub:
    case Opcode::kFmul:
    case Opcode::kFdiv:
    case Opcode::kFmin:
    case Opcode::kFmax:
    case Opcode::kFcopysign: {
      if (!IsFloatLane(rt)) return Unsupported("float arithmetic on a non-float type");
      FloatBinOp fop = op == Opcode::kFadd ? FloatBinOp::kAdd
                       : op == Opcode::kFsub ? FloatBinOp::kSub
                       : op == Opcode::kFmul ? FloatBinOp::kMul
                       : op == Opcode::kFdiv ? FloatBinOp::kDiv
                       : op == Opcode::kFmin ? FloatBinOp::kMin
                       : op == Opcode::kFmax ? FloatBinOp::kMax : FloatBinOp::kCopysign;
      FloatKind k = KindOf(rt);
      res[0] = Map2(rt, a(0), a(1), [fop, k](u128 x, u128 y) { return FloatBinary(fop, k, x, y); });
      return ok;
    }
    case Opcode::kSqrt:
    case Opcode::kFneg:
    case Opcode::kFabs:
    case Opcode::kCeil:
    case Opcode::kFloor:
    case Opcode::kTrunc:
    case Opcode::kNearest: {
      if (!IsFloatLane(rt)) return Unsupported("float arithmetic on a non-float type");
      FloatUnOp fop = op == Opcode::kSqrt ? FloatUnOp::kSqrt
                      : op == Opcode::kFneg ? FloatUnOp::kNeg
                      : op == Opcode::kFabs ? FloatUnOp::kAbs
                      : op == Opcode::kCeil ? FloatUnOp::kCeil
                      : op == Opcode::kFloor ? FloatUnOp::kFloor
                      : op == Opcode::kTrunc ? FloatUnOp::kTrunc : FloatUnOp::kNearest;
      FloatKind k = KindOf(rt);
      res[0] = Map1(rt, a(0), [fop, k](u128 x) { return FloatUnary(fop, k, x); });
      return ok;
    }
    case Opcode::kFma: {
      if (!IsFloatLane(rt)) return Unsupported("fma on a non-float type");
      FloatKind k = KindOf(rt);
      res[0] = Map3(rt, a(0), a(1), a(2), [k](u128 x, u128 y, u128 z) { return FloatFma(k, x, y, z); });
      return ok;
    }

    // Conversions.
    case Opcode::kBitcast:
      if (TotalBits(rt) != TotalBits(at)) return Unsupported("bitcast between different sizes");
      if (d.flags.has(ir::MemFlags::kBig) && (rt.is_vector() || at.is_vector()) && LaneBits(rt) != LaneBits(at)) {
        return Unsupported("big-endian vector bitcast");
      }
      res[0] = a(0);
      return ok;
    case Opcode::kBmask: {
      if (!at.is_vector()) {
        res[0] = MaskBits(a(0), TotalBits(at)) != 0 ? AllOnes(TotalBits(rt)) : 0;
      } else {
        res[0] = MapConvert(at, rt, a(0), [w](u128 x) { return x != 0 ? AllOnes(w) : 0; });
      }
      return ok;
    }
    case Opcode::kIreduce:
      res[0] = MaskBits(a(0), w);
      return ok;
    case Opcode::kUextend:
      if (rt.is_vector()) return Unsupported("vector uextend");
      res[0] = MaskBits(a(0), LaneBits(at));
      return ok;
    case Opcode::kSextend:
      if (rt.is_vector()) return Unsupported("vector sextend");
      res[0] = MaskBits(static_cast<u128>(SignExtend(a(0), LaneBits(at))), w);
      return ok;
    case Opcode::kFpromote:
    case Opcode::kFdemote: {
      if (!at.is_float() || !rt.is_float()) return Unsupported("float conversion of a non-float");
      FloatKind fk = KindOf(at), tk = KindOf(rt);
      res[0] = MapConvert(at, rt, a(0), [fk, tk](u128 x) { return FloatConvert(fk, tk, x); });
      return ok;
    }
    case Opcode::kFvdemote: {
      u128 r = 0;
      for (uint32_t i = 0; i < 2; ++i) {
        r = SetLane(r, 32, i, FloatConvert(FloatKind::kF64, FloatKind::kF32, GetLane(a(0), 64, i)));
      }
      res[0] = r;
      return ok;
    }
    case Opcode::kFvpromoteLow: {
      u128 r = 0;
      for (uint32_t i = 0; i < 2; ++i) {
        r = SetLane(r, 64, i, FloatConvert(FloatKind::kF32, FloatKind::kF64, GetLane(a(0), 32, i)));
      }
      res[0] = r;
      return ok;
    }
    case Opcode::kFcvtToUint:
    case Opcode::kFcvtToSint: {
      if (rt.is_vector() || !at.is_float()) return Unsupported("fcvt_to_*int on vectors or non-floats");
      u128 out = 0;
      ToIntResult r = FloatToInt(KindOf(at), a(0), op == Opcode::kFcvtToSint, w, &out);
      if (r == ToIntResult::kNaN) return Trap(ir::TrapCode::kBadConversionToInteger);
      if (r == ToIntResult::kOverflow) return Trap(ir::TrapCode::kIntegerOverflow);
      res[0] = out;
      return ok;
    }
    case Opcode::kFcvtToUintSat:
    case Opcode::kFcvtToSintSat: {
      if (!at.is_float()) return Unsupported("fcvt_to_*int_sat of a non-float");
      FloatKind k = KindOf(at);
      bool s = op == Opcode::kFcvtToSintSat;
      res[0] = MapConvert(at, rt, a(0), [k, s, w](u128 x) { return FloatToIntSat(k, x, s, w); });
      return ok;
    }
    case Opcode::kFcvtFromUint:
    case Opcode::kFcvtFromSint: {
      if (!rt.is_float()) return Unsupported("fcvt_from_*int to a non-float");
      FloatKind k = KindOf(rt);
      bool s = op == Opcode::kFcvtFromSint;
      uint32_t aw = LaneBits(at);
      res[0] = MapConvert(at, rt, a(0), [k, s, aw](u128 x) { return IntToFloat(k, x, s, aw); });
      return ok;
    }
    case Opcode::kX86Cvtt2dq: {
      res[0] = MapConvert(at, rt, a(0), [](u128 x) {
        u128 out = 0;
        if (FloatToInt(FloatKind::kF32, x, true, 32, &out) != ToIntResult::kOk) return u128{0x80000000u};
        return out;
      });
      return ok;
    }
    case Opcode::kIsplit: {
      uint32_t hw = LaneBits(in.result_types[0]);
      if (at.is_vector()) return Unsupported("vector isplit");
      res[0] = MaskBits(a(0), hw);
      res[1] = MaskBits(a(0) >> hw, hw);
      return ok;
    }
    case Opcode::kIconcat: {
      if (at.is_vector()) return Unsupported("vector iconcat");
      uint32_t hw = LaneBits(at);
      res[0] = MaskBits(a(0), hw) | (MaskBits(a(1), hw) << hw);
      return ok;
    }

    // Vector lanes.
    case Opcode::kSplat: {
      u128 r = 0;
      for (uint32_t i = 0; i < rt.lane_count(); ++i) r = SetLane(r, w, i, a(0));
      res[0] = r;
      return ok;
    }
    case Opcode::kScalarToVector:
      res[0] = MaskBits(a(0), w);
      return ok;
    case Opcode::kInsertlane:
      if (static_cast<uint64_t>(d.imm) >= rt.lane_count()) return Unsupported("lane index out of range");
      res[0] = SetLane(a(0), w, static_cast<uint32_t>(d.imm), a(1));
      return ok;
    case Opcode::kExtractlane:
      if (static_cast<uint64_t>(d.imm) >= at.lane_count()) return Unsupported("lane index out of range");
      res[0] = GetLane(a(0), LaneBits(at), static_cast<uint32_t>(d.imm));
      return ok;
    case Opcode::kShuffle: {
      if (d.imm < 0 || static_cast<size_t>(d.imm) >= in.f->immediates.size()) return Unsupported("bad shuffle mask");
      const std::vector<uint8_t>& mask = in.f->immediates[d.imm];
      u128 r = 0;
      for (uint32_t i = 0; i < 16 && i < mask.size(); ++i) {
        uint32_t k = mask[i];
        u128 byte = k < 16 ? GetLane(a(0), 8, k) : k < 32 ? GetLane(a(1), 8, k - 16) : 0;
        r = SetLane(r, 8, i, byte);
      }
      res[0] = r;
      return ok;
    }
    case Opcode::kSwizzle:
    case Opcode::kX86Pshufb: {
      u128 r = 0;
      for (uint32_t i = 0; i < 16; ++i) {
        uint32_t k = static_cast<uint32_t>(GetLane(a(1), 8, i));
        u128 byte;
        if (op == Opcode::kSwizzle) byte = k < 16 ? GetLane(a(0), 8, k) : 0;
        else byte = (k & 0x80) ? 0 : GetLane(a(0), 8, k & 15);
        r = SetLane(r, 8, i, byte);
      }
      res[0] = r;
      return ok;
    }
    case Opcode::kVanyTrue:
    case Opcode::kVallTrue: {
      uint32_t aw = LaneBits(at);
      bool any = false, all = true;
      for (uint32_t i = 0; i < at.lane_count(); ++i) {
        bool nz = GetLane(a(0), aw, i) != 0;
        any = any || nz;
        all = all && nz;
      }
      res[0] = (op == Opcode::kVanyTrue ? any : all) ? 1 : 0;
      return ok;
    }
    case Opcode::kVhighBits: {
      uint32_t aw = LaneBits(at);
      u128 r = 0;
      for (uint32_t i = 0; i < at.lane_count(); ++i) r |= ((GetLane(a(0), aw, i) >> (aw - 1)) & 1) << i;
      res[0] = MaskBits(r, TotalBits(rt));
      return ok;
    }
    case Opcode::kSnarrow:
    case Opcode::kUnarrow:
    case Opcode::kUunarrow: {
      uint32_t aw = LaneBits(at), n = at.lane_count();
      bool in_signed = op != Opcode::kUunarrow, out_signed = op == Opcode::kSnarrow;
      u128 r = 0;
      for (uint32_t i = 0; i < n; ++i) {
        r = SetLane(r, aw / 2, i, Narrow(GetLane(a(0), aw, i), aw, in_signed, out_signed));
        r = SetLane(r, aw / 2, n + i, Narrow(GetLane(a(1), aw, i), aw, in_signed, out_signed));
      }
      res[0] = r;
      return ok;
    }
    case Opcode::kSwidenLow:
    case Opcode::kSwidenHigh:
    case Opcode::kUwidenLow:
    case Opcode::kUwidenHigh: {
      uint32_t aw = LaneBits(at), n = rt.lane_count();
      uint32_t first = (op == Opcode::kSwidenHigh || op == Opcode::kUwidenHigh) ? n : 0;
      bool s = op == Opcode::kSwidenLow || op == Opcode::kSwidenHigh;
      u128 r = 0;
      for (uint32_t i = 0; i < n; ++i) {
        u128 x = GetLane(a(0), aw, first + i);
        r = SetLane(r, w, i, s ? static_cast<u128>(SignExtend(x, aw)) : x);
      }
      res[0] = r;
      return ok;
    }
    case Opcode::kIaddPairwise: {
      uint32_t n = rt.lane_count(), half = n / 2;
      u128 r = 0;
      for (uint32_t i = 0; i < half; ++i) {
        r = SetLane(r, w, i, GetLane(a(0), w, 2 * i) + GetLane(a(0), w, 2 * i + 1));
        r = SetLane(r, w, half + i, GetLane(a(1), w, 2 * i) + GetLane(a(1), w, 2 * i + 1));
      }
      res[0] = r;
      return ok;
    }
    case Opcode::kExtractVector:
      // With a dynamic scale of 1 the only sub-vector is the whole value.
      if (d.imm != 0) return Unsupported("extract_vector beyond the first sub-vector (dynamic scale is 1)");
      res[0] = a(0);
      return ok;
    case Opcode::kBlendv:
      res[0] = Map3(rt, a(0), a(1), a(2), [w](u128 c, u128 x, u128 y) { return ((c >> (w - 1)) & 1) ? x : y; });
      return ok;
    case Opcode::kX86Pmulhrsw:
      res[0] = Map2(rt, a(0), a(1), [w](u128 x, u128 y) {
        i128 p = SignExtend(x, w) * SignExtend(y, w);
        return MaskBits(static_cast<u128>(((p >> (w - 2)) + 1) >> 1), w);
      });
      return ok;
    case Opcode::kX86Pmaddubsw: {
      u128 r = 0;
      for (uint32_t i = 0; i < 8; ++i) {
        i128 s = 0;
        for (uint32_t j = 0; j < 2; ++j) {
          s += static_cast<i128>(GetLane(a(0), 8, 2 * i + j)) * SignExtend(GetLane(a(1), 8, 2 * i + j), 8);
        }
        r = SetLane(r, 16, i, ClampS(s, 16));
      }
      res[0] = r;
      return ok;
    }
    default:
      break;
  }
  return Unsupported(absl::StrCat("opcode '", ir::Name(op), "' is not implemented by the interpreter"));
}

}  // namespace lathe::interp
