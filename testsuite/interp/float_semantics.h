// IEEE 754 arithmetic on raw float bits of any CLIF float width (f16, f32, f64, f128), with
// CLIF's rules: arithmetic that produces a NaN produces the canonical quiet NaN (sign clear,
// top mantissa bit set); fneg/fabs/fcopysign act on the sign bit only and keep payloads;
// fmin/fmax return NaN if either input is NaN and order -0.0 below +0.0; `nearest` rounds
// half to even. Rounding is round-to-nearest-even throughout. Conversions to integers report
// NaN and out-of-range inputs instead of producing a value.
#ifndef LATHE_TESTSUITE_INTERP_FLOAT_SEMANTICS_H_
#define LATHE_TESTSUITE_INTERP_FLOAT_SEMANTICS_H_

#include <cstdint>

#include "ir/condcodes.h"
#include "testsuite/interp/lane.h"

namespace lathe::interp {

enum class FloatKind : uint8_t { kF16, kF32, kF64, kF128 };

enum class FloatBinOp : uint8_t { kAdd, kSub, kMul, kDiv, kMin, kMax, kCopysign };
enum class FloatUnOp : uint8_t { kSqrt, kNeg, kAbs, kCeil, kFloor, kTrunc, kNearest };

uint32_t FloatBits(FloatKind k);
u128 CanonicalNaN(FloatKind k);
bool IsNaN(FloatKind k, u128 bits);

u128 FloatBinary(FloatBinOp op, FloatKind k, u128 a, u128 b);
u128 FloatUnary(FloatUnOp op, FloatKind k, u128 a);
u128 FloatFma(FloatKind k, u128 a, u128 b, u128 c);
bool FloatCompare(ir::FloatCC cc, FloatKind k, u128 a, u128 b);
// fpromote / fdemote between any two float kinds.
u128 FloatConvert(FloatKind from, FloatKind to, u128 a);

enum class ToIntResult : uint8_t { kOk, kNaN, kOverflow };
// Truncates toward zero into a `width`-bit integer (result zero-extended into *out).
ToIntResult FloatToInt(FloatKind k, u128 a, bool is_signed, uint32_t width, u128* out);
// Saturating: NaN gives 0, out-of-range inputs clamp to the integer range.
u128 FloatToIntSat(FloatKind k, u128 a, bool is_signed, uint32_t width);
// `x` holds a `width`-bit integer (zero-extended); the result is correctly rounded.
u128 IntToFloat(FloatKind k, u128 x, bool is_signed, uint32_t width);

}  // namespace lathe::interp

#endif  // LATHE_TESTSUITE_INTERP_FLOAT_SEMANTICS_H_
