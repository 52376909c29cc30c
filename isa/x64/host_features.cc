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
      f.has_cmpxchg16b = (c >> 13) & 1;
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) f.has_bmi1 = (b >> 3) & 1;
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) f.has_lzcnt = (c >> 5) & 1;
    return f;
  }();
  return flags;
}

IsaFlags IsaFlagsFor(const isa::TargetSpec& spec, const IsaFlags& host) {
  absl::flat_hash_set<std::string> have;
  const std::pair<const char*, bool> named[] = {{"has_sse41", host.has_sse41}, {"has_popcnt", host.has_popcnt},
                                                {"has_lzcnt", host.has_lzcnt}, {"has_bmi1", host.has_bmi1},
                                                {"has_avx", host.has_avx},     {"has_fma", host.has_fma},
                                                {"has_cmpxchg16b", host.has_cmpxchg16b}};
  for (const auto& [name, on] : named) {
    if (on) have.insert(name);
  }
  isa::TargetSpec on = isa::EnableWithHost(spec, have);
  IsaFlags f;
  f.has_sse41 = on.Has("has_sse41");
  f.has_popcnt = on.Has("has_popcnt");
  f.has_lzcnt = on.Has("has_lzcnt");
  f.has_bmi1 = on.Has("has_bmi1");
  f.has_avx = on.Has("has_avx");
  f.has_fma = on.Has("has_fma");
  f.has_cmpxchg16b = on.Has("has_cmpxchg16b");
  return f;
}

}  // namespace lathe::x64
