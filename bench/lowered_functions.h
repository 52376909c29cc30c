// The machine functions the x86-64 backend lowers from the corpus, for the benchmarks and tools
// that study real allocator input (//bench:regalloc_lowered, //bench:shape_census).
//
// A LoweredCollector compiles each IR function with the host's x86-64 target at both optimization
// levels (Compile verifies first) and keeps a copy of the machine function and registers after
// TargetIsa::Lower, summed into the source's AllocInputStats. Functions that do not compile, or
// that the allocator's validator rejects, are counted as left out with a shortened reason.
// CollectRuntests takes every function of the Cranelift runtests corpus; CollectSightglass every
// defined function of the Sightglass modules, translated with a 2 GiB heap guard.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "bench/alloc_input_stats.h"
#include "ir/function.h"
#include "isa/common/code_buffer.h"
#include "isa/common/compile.h"
#include "isa/targets.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::bench {

struct MachineInput {
  std::string name;
  regalloc::Function fn;
  regalloc::MachineEnv env;
};

struct LoweredSource {
  std::vector<MachineInput> inputs;
  uint64_t insts = 0;
  uint64_t rejected = 0;          // functions
  uint64_t rejected_modules = 0;  // wasm modules the frontend does not accept
  absl::flat_hash_map<std::string, uint64_t> reasons;  // why functions were left out
  AllocInputStats stats;
};

// The host's x86-64 target, or nullptr on other hosts.
std::unique_ptr<isa::TargetIsa> HostIsa();

class LoweredCollector {
 public:
  explicit LoweredCollector(isa::TargetIsa& target) : target_(target) {}

  void Add(const ir::Function& f, std::string name, LoweredSource* out);

 private:
  absl::Status Try(const ir::Function& f, std::string name, LoweredSource* out);

  isa::TargetIsa& target_;
  isa::CompileContext ctx_;
  isa::CodeBuffer buf_;
};

void CollectRuntests(LoweredCollector& collector, LoweredSource* out);
// Modules the wasm frontend rejects are named on stderr.
void CollectSightglass(LoweredCollector& collector, LoweredSource* out);

}  // namespace lathe::bench
