#include "isa/x64/host_features.h"

#include <cpuid.h>

namespace lathe::x64 {
namespace {

bool OsSavesYmm() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || ((c >> 27) & 1) == 0) return false;  // OSXSAVE
  unsigned lo, hi;
  __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (lo & 6) == 6;  // xmm and ymm state
}

}  // namespace

const absl::flat_hash_set<std::string>& HostFlagNames() {
  static const absl::flat_hash_set<std::string>* names = [] {
    auto* n = new absl::flat_hash_set<std::string>;
    unsigned a, b, c, d;
    const bool ymm = OsSavesYmm();
    auto add = [&](const char* name, bool on) {
      if (on) n->insert(name);
    };
    if (__get_cpuid(1, &a, &b, &c, &d)) {
      add("has_sse3", c & 1);
      add("has_ssse3", (c >> 9) & 1);
      add("has_fma", ((c >> 12) & 1) && ymm);
      add("has_cmpxchg16b", (c >> 13) & 1);
      add("has_sse41", (c >> 19) & 1);
      add("has_sse42", (c >> 20) & 1);
      add("has_popcnt", (c >> 23) & 1);
      add("has_avx", ((c >> 28) & 1) && ymm);
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
      add("has_bmi1", (b >> 3) & 1);
      add("has_avx2", ((b >> 5) & 1) && ymm);
      add("has_bmi2", (b >> 8) & 1);
      // AVX-512 state (opmask, zmm) is not checked in XCR0; Lathe emits no AVX-512 code.
      add("has_avx512f", ((b >> 16) & 1) && ymm);
      add("has_avx512dq", ((b >> 17) & 1) && ymm);
      add("has_avx512vl", ((b >> 31) & 1) && ymm);
      add("has_avx512bw", ((b >> 30) & 1) && ymm);
      add("has_avx512vbmi", ((c >> 1) & 1) && ymm);
      add("has_avx512vnni", ((c >> 11) & 1) && ymm);
      add("has_avx512bitalg", ((c >> 12) & 1) && ymm);
    }
    if (__get_cpuid_count(7, 1, &a, &b, &c, &d)) add("has_avx_vnni", ((a >> 4) & 1) && ymm);
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) add("has_lzcnt", (c >> 5) & 1);
    return n;
  }();
  return *names;
}

IsaFlags IsaFlagsOf(const isa::TargetSpec& spec) {
  IsaFlags f;
  f.has_sse41 = spec.Has("has_sse41");
  f.has_popcnt = spec.Has("has_popcnt");
  f.has_lzcnt = spec.Has("has_lzcnt");
  f.has_bmi1 = spec.Has("has_bmi1");
  f.has_avx = spec.Has("has_avx");
  f.has_fma = spec.Has("has_fma");
  f.has_cmpxchg16b = spec.Has("has_cmpxchg16b");
  f.has_ssse3 = spec.Has("has_ssse3");
  f.has_sse42 = spec.Has("has_sse42");
  return f;
}

const IsaFlags& HostIsaFlags() {
  static const IsaFlags flags = [] {
    isa::TargetSpec all;
    all.flags = HostFlagNames();
    return IsaFlagsOf(all);
  }();
  return flags;
}

IsaFlags IsaFlagsFor(const isa::TargetSpec& spec, const IsaFlags& host) {
  absl::flat_hash_set<std::string> have;
  const std::pair<const char*, bool> named[] = {{"has_sse41", host.has_sse41}, {"has_popcnt", host.has_popcnt},
                                                {"has_lzcnt", host.has_lzcnt}, {"has_bmi1", host.has_bmi1},
                                                {"has_avx", host.has_avx},     {"has_fma", host.has_fma},
                                                {"has_cmpxchg16b", host.has_cmpxchg16b},
                                                {"has_ssse3", host.has_ssse3},   {"has_sse42", host.has_sse42}};
  for (const auto& [name, on] : named) {
    if (on) have.insert(name);
  }
  return IsaFlagsOf(isa::EnableWithHost(spec, have));
}

}  // namespace lathe::x64
