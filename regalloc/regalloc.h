// Lathe's register allocator: the entry point a backend calls.
//
// Allocate() validates the function (returning InvalidArgument for malformed input, non-SSA
// values, uses without a dominating def, critical edges and impossible constraint sets, and
// ResourceExhausted if the engine cannot find a register) and runs one of two algorithms behind
// the same interface:
//   kSinglePass  - compile speed first, no liveness analysis (fast_allocator.h): one backward walk
//                  per block; values that cross blocks are stored to their spill slots when
//                  defined and reloaded into registers within a block.
//   kOptimizing  - a global linear scan over live-range hulls chooses registers for values that
//                  cross blocks (loop-depth-weighted spill costs, coalescing of block parameters
//                  and reuse operands); the same block engine then splits around local conflicts.
// The allocator object keeps its buffers; reuse one per thread across functions.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "regalloc/allocation.h"
#include "regalloc/boundary_assignment.h"
#include "regalloc/fast_allocator.h"
#include "regalloc/function.h"
#include "regalloc/liveness.h"
#include "regalloc/local_allocator.h"
#include "regalloc/machine_env.h"
#include "regalloc/validate.h"

namespace lathe::regalloc {

enum class Algorithm { kSinglePass, kOptimizing };

const char* AlgorithmName(Algorithm a);

class RegisterAllocator {
 public:
  absl::Status Allocate(const Function& fn, const MachineEnv& env, Algorithm algorithm,
                        Allocation* out);

 private:
  Validator validator_;
  Liveness liveness_;
  BoundaryAssignment boundary_assignment_;
  LocalAllocator local_;
  FastAllocator fast_;
  std::vector<PReg> boundary_;
};

}  // namespace lathe::regalloc
