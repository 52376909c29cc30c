// Structural and constraint validation of allocator input.
//
// Checks everything the allocators rely on except SSA dominance (liveness detects uses that are not
// defined on every path): array ranges, block tiling and terminators, successor/predecessor
// agreement, reachability, no critical edges, branch-argument arity and classes, one definition per
// vreg, operand classes, and constraint sets that cannot be satisfied. Errors are
// InvalidArgument and name the block, instruction and operand.
#pragma once

#include "absl/status/status.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::regalloc {

absl::Status ValidateFunction(const Function& fn, const MachineEnv& env);

}  // namespace lathe::regalloc
