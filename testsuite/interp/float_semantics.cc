#include "testsuite/interp/float_semantics.h"

#include <quadmath.h>

#include <cmath>
#include <cstring>

namespace lathe::interp {
namespace {

using f16 = _Float16;
using f128 = __float128;

template <typename T>
T FromBits(u128 bits) {
  T t;
  std::memcpy(&t, &bits, sizeof(T));  // little-endian: the low bytes hold the value
  return t;
}

template <typename T>
u128 ToBits(T t) {
  u128 bits = 0;
  std::memcpy(&bits, &t, sizeof(T));
  return bits;
}

// Generic math through the widest needed type: f16 and f32 widen to double (exact, and
// double has enough precision that one rounding back is correct for + - * / sqrt), f64 uses
// double, f128 uses quadmath.
template <typename T>
struct Math {
  static T Sqrt(T x) { return static_cast<T>(std::sqrt(static_cast<double>(x))); }
  static T Ceil(T x) { return static_cast<T>(std::ceil(static_cast<double>(x))); }
  static T Floor(T x) { return static_cast<T>(std::floor(static_cast<double>(x))); }
  static T Trunc(T x) { return static_cast<T>(std::trunc(static_cast<double>(x))); }
  static T Nearest(T x) { return static_cast<T>(std::nearbyint(static_cast<double>(x))); }
  static T Fma(T a, T b, T c) {
    // f16 only: the product is exact in f128 and the sum rounds there before the final
    // rounding to f16; the double rounding cannot matter unless the addend is tiny.
    return static_cast<T>(fmaq(static_cast<f128>(a), static_cast<f128>(b), static_cast<f128>(c)));
  }
};
template <>
struct Math<float> {
  static float Sqrt(float x) { return std::sqrt(x); }
  static float Ceil(float x) { return std::ceil(x); }
  static float Floor(float x) { return std::floor(x); }
  static float Trunc(float x) { return std::trunc(x); }
  static float Nearest(float x) { return std::nearbyint(x); }
  static float Fma(float a, float b, float c) { return std::fma(a, b, c); }
};
template <>
struct Math<double> {
  static double Sqrt(double x) { return std::sqrt(x); }
  static double Ceil(double x) { return std::ceil(x); }
  static double Floor(double x) { return std::floor(x); }
  static double Trunc(double x) { return std::trunc(x); }
  static double Nearest(double x) { return std::nearbyint(x); }
  static double Fma(double a, double b, double c) { return std::fma(a, b, c); }
};
template <>
struct Math<f128> {
  static f128 Sqrt(f128 x) { return sqrtq(x); }
  static f128 Ceil(f128 x) { return ceilq(x); }
  static f128 Floor(f128 x) { return floorq(x); }
  static f128 Trunc(f128 x) { return truncq(x); }
  static f128 Nearest(f128 x) { return nearbyintq(x); }
  static f128 Fma(f128 a, f128 b, f128 c) { return fmaq(a, b, c); }
};

template <typename T>
bool NaN(T x) {
  return x != x;
}

u128 SignBit(FloatKind k) { return u128{1} << (FloatBits(k) - 1); }

template <typename T>
u128 Finish(FloatKind k, T r) {
  return NaN(r) ? CanonicalNaN(k) : ToBits(r);
}

template <typename T>
u128 Binary(FloatBinOp op, FloatKind k, u128 ab, u128 bb) {
  T a = FromBits<T>(ab), b = FromBits<T>(bb);
  switch (op) {
    case FloatBinOp::kAdd: return Finish(k, static_cast<T>(a + b));
    case FloatBinOp::kSub: return Finish(k, static_cast<T>(a - b));
    case FloatBinOp::kMul: return Finish(k, static_cast<T>(a * b));
    case FloatBinOp::kDiv: return Finish(k, static_cast<T>(a / b));
    case FloatBinOp::kMin:
    case FloatBinOp::kMax: {
      if (NaN(a) || NaN(b)) return CanonicalNaN(k);
      bool want_min = op == FloatBinOp::kMin;
      if (a == b) {
        // Equal values differ only in the sign of zero: min prefers -0, max +0.
        bool a_neg = (ab & SignBit(k)) != 0;
        return (a_neg == want_min) ? ab : bb;
      }
      return ((a < b) == want_min) ? ab : bb;
    }
    case FloatBinOp::kCopysign:
      return (ab & ~SignBit(k)) | (bb & SignBit(k));
  }
  return 0;
}

template <typename T>
u128 Unary(FloatUnOp op, FloatKind k, u128 ab) {
  T a = FromBits<T>(ab);
  switch (op) {
    case FloatUnOp::kSqrt: return Finish(k, Math<T>::Sqrt(a));
    case FloatUnOp::kNeg: return ab ^ SignBit(k);
    case FloatUnOp::kAbs: return ab & ~SignBit(k);
    case FloatUnOp::kCeil: return Finish(k, Math<T>::Ceil(a));
    case FloatUnOp::kFloor: return Finish(k, Math<T>::Floor(a));
    case FloatUnOp::kTrunc: return Finish(k, Math<T>::Trunc(a));
    case FloatUnOp::kNearest: return Finish(k, Math<T>::Nearest(a));
  }
  return 0;
}

template <typename T>
bool Compare(ir::FloatCC cc, u128 ab, u128 bb) {
  T a = FromBits<T>(ab), b = FromBits<T>(bb);
  bool uno = NaN(a) || NaN(b);
  switch (cc) {
    case ir::FloatCC::kOrd: return !uno;
    case ir::FloatCC::kUno: return uno;
    case ir::FloatCC::kEq: return a == b;
    case ir::FloatCC::kNe: return !(a == b);
    case ir::FloatCC::kOne: return !uno && a != b;
    case ir::FloatCC::kUeq: return uno || a == b;
    case ir::FloatCC::kLt: return a < b;
    case ir::FloatCC::kLe: return a <= b;
    case ir::FloatCC::kGt: return a > b;
    case ir::FloatCC::kGe: return a >= b;
    case ir::FloatCC::kUlt: return uno || a < b;
    case ir::FloatCC::kUle: return uno || a <= b;
    case ir::FloatCC::kUgt: return uno || a > b;
    case ir::FloatCC::kUge: return uno || a >= b;
  }
  return false;
}

// Every float kind widens exactly to f128, so conversions go through it.
f128 ToQuad(FloatKind k, u128 bits) {
  switch (k) {
    case FloatKind::kF16: return static_cast<f128>(FromBits<f16>(bits));
    case FloatKind::kF32: return static_cast<f128>(FromBits<float>(bits));
    case FloatKind::kF64: return static_cast<f128>(FromBits<double>(bits));
    case FloatKind::kF128: return FromBits<f128>(bits);
  }
  return 0;
}

// 2^e as f128 (exact for 0 <= e <= 128).
f128 Pow2(int e) { return ldexpq(static_cast<f128>(1), e); }

}  // namespace

uint32_t FloatBits(FloatKind k) {
  switch (k) {
    case FloatKind::kF16: return 16;
    case FloatKind::kF32: return 32;
    case FloatKind::kF64: return 64;
    case FloatKind::kF128: return 128;
  }
  return 0;
}

u128 CanonicalNaN(FloatKind k) {
  switch (k) {
    case FloatKind::kF16: return 0x7e00;
    case FloatKind::kF32: return 0x7fc00000u;
    case FloatKind::kF64: return 0x7ff8000000000000ull;
    case FloatKind::kF128: return u128{0x7fff800000000000ull} << 64;
  }
  return 0;
}

bool IsNaN(FloatKind k, u128 bits) {
  switch (k) {
    case FloatKind::kF16: return NaN(FromBits<f16>(bits));
    case FloatKind::kF32: return NaN(FromBits<float>(bits));
    case FloatKind::kF64: return NaN(FromBits<double>(bits));
    case FloatKind::kF128: return NaN(FromBits<f128>(bits));
  }
  return false;
}

u128 FloatBinary(FloatBinOp op, FloatKind k, u128 a, u128 b) {
  switch (k) {
    case FloatKind::kF16: return Binary<f16>(op, k, a, b);
    case FloatKind::kF32: return Binary<float>(op, k, a, b);
    case FloatKind::kF64: return Binary<double>(op, k, a, b);
    case FloatKind::kF128: return Binary<f128>(op, k, a, b);
  }
  return 0;
}

u128 FloatUnary(FloatUnOp op, FloatKind k, u128 a) {
  switch (k) {
    case FloatKind::kF16: return Unary<f16>(op, k, a);
    case FloatKind::kF32: return Unary<float>(op, k, a);
    case FloatKind::kF64: return Unary<double>(op, k, a);
    case FloatKind::kF128: return Unary<f128>(op, k, a);
  }
  return 0;
}

u128 FloatFma(FloatKind k, u128 a, u128 b, u128 c) {
  switch (k) {
    case FloatKind::kF16:
      return Finish(k, Math<f16>::Fma(FromBits<f16>(a), FromBits<f16>(b), FromBits<f16>(c)));
    case FloatKind::kF32:
      return Finish(k, Math<float>::Fma(FromBits<float>(a), FromBits<float>(b), FromBits<float>(c)));
    case FloatKind::kF64:
      return Finish(k, Math<double>::Fma(FromBits<double>(a), FromBits<double>(b), FromBits<double>(c)));
    case FloatKind::kF128:
      return Finish(k, Math<f128>::Fma(FromBits<f128>(a), FromBits<f128>(b), FromBits<f128>(c)));
  }
  return 0;
}

bool FloatCompare(ir::FloatCC cc, FloatKind k, u128 a, u128 b) {
  switch (k) {
    case FloatKind::kF16: return Compare<f16>(cc, a, b);
    case FloatKind::kF32: return Compare<float>(cc, a, b);
    case FloatKind::kF64: return Compare<double>(cc, a, b);
    case FloatKind::kF128: return Compare<f128>(cc, a, b);
  }
  return false;
}

u128 FloatConvert(FloatKind from, FloatKind to, u128 a) {
  if (from == to) return a;
  // Narrowing straight from the source type rounds once; f128 -> x goes through quadmath.
  switch (to) {
    case FloatKind::kF16:
      switch (from) {
        case FloatKind::kF32: return Finish(to, static_cast<f16>(FromBits<float>(a)));
        case FloatKind::kF64: return Finish(to, static_cast<f16>(FromBits<double>(a)));
        default: return Finish(to, static_cast<f16>(ToQuad(from, a)));
      }
    case FloatKind::kF32:
      switch (from) {
        case FloatKind::kF64: return Finish(to, static_cast<float>(FromBits<double>(a)));
        default: return Finish(to, static_cast<float>(ToQuad(from, a)));
      }
    case FloatKind::kF64: return Finish(to, static_cast<double>(ToQuad(from, a)));
    case FloatKind::kF128: return Finish(to, ToQuad(from, a));
  }
  return 0;
}

ToIntResult FloatToInt(FloatKind k, u128 a, bool is_signed, uint32_t width, u128* out) {
  f128 x = ToQuad(k, a);
  if (NaN(x)) return ToIntResult::kNaN;
  f128 t = truncq(x);
  f128 lo = is_signed ? -Pow2(static_cast<int>(width) - 1) : static_cast<f128>(0);
  f128 hi = is_signed ? Pow2(static_cast<int>(width) - 1) : Pow2(static_cast<int>(width));
  if (!(t >= lo && t < hi)) return ToIntResult::kOverflow;
  if (is_signed) {
    *out = MaskBits(static_cast<u128>(static_cast<i128>(t)), width);
  } else {
    *out = static_cast<u128>(t);
  }
  return ToIntResult::kOk;
}

u128 FloatToIntSat(FloatKind k, u128 a, bool is_signed, uint32_t width) {
  u128 out = 0;
  switch (FloatToInt(k, a, is_signed, width, &out)) {
    case ToIntResult::kOk: return out;
    case ToIntResult::kNaN: return 0;
    case ToIntResult::kOverflow: {
      bool negative = (a & SignBit(k)) != 0;
      if (is_signed) {
        u128 min = u128{1} << (width - 1);
        return negative ? min : min - 1;
      }
      return negative ? 0 : AllOnes(width);
    }
  }
  return 0;
}

u128 IntToFloat(FloatKind k, u128 x, bool is_signed, uint32_t width) {
  i128 s = SignExtend(x, width);
  u128 u = MaskBits(x, width);
  switch (k) {
    case FloatKind::kF16:
      // Magnitudes of 65520 and above round to infinity, so wide integers need no care.
      if (is_signed) {
        if (s > 70000) return ToBits(static_cast<f16>(70000.0f));
        if (s < -70000) return ToBits(static_cast<f16>(-70000.0f));
        return ToBits(static_cast<f16>(static_cast<float>(static_cast<int32_t>(s))));
      }
      if (u > 70000) return ToBits(static_cast<f16>(70000.0f));
      return ToBits(static_cast<f16>(static_cast<float>(static_cast<uint32_t>(u))));
    case FloatKind::kF32:
      return is_signed ? ToBits(static_cast<float>(s)) : ToBits(static_cast<float>(u));
    case FloatKind::kF64:
      return is_signed ? ToBits(static_cast<double>(s)) : ToBits(static_cast<double>(u));
    case FloatKind::kF128:
      return is_signed ? ToBits(static_cast<f128>(s)) : ToBits(static_cast<f128>(u));
  }
  return 0;
}

}  // namespace lathe::interp
