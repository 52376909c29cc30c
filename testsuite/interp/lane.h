// Bit-level access to the lanes of an interpreter value. Every value (scalar or vector up to
// 128 bits) is held as the raw bits of its in-register form in an unsigned 128-bit integer,
// lane 0 in the least significant bits. Lanes are read zero-extended; signed views sign-extend
// from the lane width. Widths are 1..128 bits.
#ifndef LATHE_TESTSUITE_INTERP_LANE_H_
#define LATHE_TESTSUITE_INTERP_LANE_H_

#include <cstdint>

#include "ir/types.h"

namespace lathe::interp {

using u128 = unsigned __int128;
using i128 = __int128;

inline u128 MaskBits(u128 x, uint32_t width) {
  return width >= 128 ? x : (x & ((u128{1} << width) - 1));
}

inline i128 SignExtend(u128 x, uint32_t width) {
  if (width >= 128) return static_cast<i128>(x);
  u128 m = MaskBits(x, width);
  u128 sign = u128{1} << (width - 1);
  return static_cast<i128>((m ^ sign) - sign);
}

inline u128 GetLane(u128 v, uint32_t width, uint32_t lane) {
  return MaskBits(v >> (width * lane), width);
}

inline u128 SetLane(u128 v, uint32_t width, uint32_t lane, u128 x) {
  uint32_t shift = width * lane;
  u128 m = MaskBits(~u128{0}, width) << shift;
  return (v & ~m) | ((MaskBits(x, width) << shift) & m);
}

inline u128 AllOnes(uint32_t width) { return MaskBits(~u128{0}, width); }

// Lane and total widths of a type, inline because the interpreter asks on every instruction.
inline uint32_t LaneBits(ir::Type t) {
  static constexpr uint8_t kBits[16] = {0, 8, 16, 32, 64, 128, 16, 32, 64, 128, 0, 0, 0, 0, 0, 0};
  return kBits[t.lane_kind() & 15];
}
inline uint32_t TotalBits(ir::Type t) { return LaneBits(t) << t.log2_lanes(); }

}  // namespace lathe::interp

#endif  // LATHE_TESTSUITE_INTERP_LANE_H_
