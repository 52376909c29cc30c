#include "isa/x64/libcall.h"

namespace lathe::x64 {

const char* LibcallName(uint32_t callee) {
  static constexpr const char* kNames[kNumLibcalls] = {"CeilF32",    "CeilF64",    "FloorF32", "FloorF64",
                                                       "TruncF32",   "TruncF64",   "NearestF32",
                                                       "NearestF64", "FmaF32",     "FmaF64",
                                                       "__addtf3",   "__subtf3",   "__multf3", "__divtf3",
                                                       "__extendsftf2", "__extenddftf2", "__trunctfsf2",
                                                       "__trunctfdf2"};
  uint32_t id = callee & ~kLibcallRelocBit;
  return id < kNumLibcalls ? kNames[id] : "InvalidLibcall";
}

}  // namespace lathe::x64
