// The x86-64 ISA extensions the backend may use, detected from the host with CPUID. The JIT
// compiles for the host, so lowering consults these before emitting an extension's instruction
// and reports an error naming the missing extension otherwise.
#pragma once

#include <string>

#include "absl/container/flat_hash_set.h"
#include "isa/common/target_registry.h"

namespace lathe::x64 {

struct IsaFlags {
  bool has_sse41 = false;
  bool has_popcnt = false;
  bool has_lzcnt = false;
  bool has_bmi1 = false;  // tzcnt
  bool has_avx = false;
  bool has_fma = false;
  bool has_cmpxchg16b = false;  // i128 atomics
  // SIMD: pshufb/pabs* (SSSE3), pcmpgtq (SSE4.2).
  bool has_ssse3 = false;
  bool has_sse42 = false;
};

// Detected once, on first use.
const IsaFlags& HostIsaFlags();

// Every x86_64 target flag (isa/common/target_registry.h) the host has, from CPUID (the AVX
// family also needs the OS to save the ymm state, XGETBV).
const absl::flat_hash_set<std::string>& HostFlagNames();

// The extensions the backend uses, as `spec` names them (no host check).
IsaFlags IsaFlagsOf(const isa::TargetSpec& spec);

// The flags named by an x86_64 target spec that `host` also has (the JIT runs code here, so a
// requested extension the host lacks stays off).
IsaFlags IsaFlagsFor(const isa::TargetSpec& spec, const IsaFlags& host = HostIsaFlags());

}  // namespace lathe::x64
