// CLIF's text form of IEEE 754 floats of any width (f16, f32, f64, f128): exact hex floats
// (`0x1.8p0`, `-0x0.8p-1022`), `0.0`, `+Inf`, `-NaN`, `+NaN:0x1`, `+sNaN:0x1`. Values are raw
// bit patterns in a 128-bit integer. Parsing refuses values that are not exactly representable.
#ifndef LATHE_IR_IEEE_FLOAT_H_
#define LATHE_IR_IEEE_FLOAT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace lathe::ir {

using u128 = unsigned __int128;

struct FloatFormat {
  int exponent_bits;
  int mantissa_bits;
};
inline constexpr FloatFormat kHalf{5, 10};
inline constexpr FloatFormat kSingle{8, 23};
inline constexpr FloatFormat kDouble{11, 52};
inline constexpr FloatFormat kQuad{15, 112};

std::string FormatIeee(u128 bits, FloatFormat fmt);

// Returns false with `*error` set when `text` is not a float of this format.
bool ParseIeee(std::string_view text, FloatFormat fmt, u128* bits, std::string* error);

}  // namespace lathe::ir

#endif  // LATHE_IR_IEEE_FLOAT_H_
