#include "isa/x64/host_features.h"

#include <cpuid.h>

namespace lathe::x64 {

const IsaFlags& HostIsaFlags() {
  static const IsaFlags flags = [] {
    IsaFlags f;
    unsigned a, b, c, d;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
      f.has_sse41 = (c >> 19) & 1;
      f.has_popcnt = (c >> 23) & 1;
      f.has_avx = (c >> 28) & 1;
      f.has_fma = (c >> 12) & 1;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) f.has_bmi1 = (b >> 3) & 1;
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) f.has_lzcnt = (c >> 5) & 1;
    return f;
  }();
  return flags;
}

}  // namespace lathe::x64
