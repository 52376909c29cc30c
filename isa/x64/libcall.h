// Library routines the x86-64 lowering calls where the target lacks an instruction (rounding
// without SSE4.1, fma without FMA3, f128 arithmetic and conversions: libgcc's soft-float
// routines, named as libgcc names them). Such a call carries a call relocation whose callee is
// kLibcallRelocBit | Libcall instead of a FuncRef index; the linker (module/jit_module.cc)
// resolves it as the external name "%" + LibcallName(...), which are Cranelift's libcall names,
// so the same host symbols serve explicit `call %CeilF32` in CLIF. The callees follow System V
// (C functions: ceilf, floor, fma, ...).
#pragma once

#include <cstdint>

namespace lathe::x64 {

enum class Libcall : uint8_t {
  kCeilF32, kCeilF64, kFloorF32, kFloorF64, kTruncF32, kTruncF64, kNearestF32, kNearestF64,
  kFmaF32, kFmaF64,
  kAddF128, kSubF128, kMulF128, kDivF128,                     // __addtf3 ... __divtf3
  kF32ToF128, kF64ToF128, kF128ToF32, kF128ToF64,             // __extendsftf2 ... __trunctfdf2
};
inline constexpr int kNumLibcalls = 18;
inline constexpr uint32_t kLibcallRelocBit = 0x80000000u;

inline bool IsLibcallReloc(uint32_t callee) { return (callee & kLibcallRelocBit) != 0; }
// The name without '%' ("CeilF32"); callee must satisfy IsLibcallReloc and name a Libcall.
const char* LibcallName(uint32_t callee);

}  // namespace lathe::x64
