// Validation of allocator input.
//
// ValidateStructure() checks array ranges, block tiling and terminators, successor/predecessor
// agreement, no critical edges, branch-argument arity and classes, operand classes, and
// constraint sets that cannot be satisfied. ValidateFunction() adds the checks of ssa_check.h
// (every block reachable, one definition per vreg, every use dominated by its definition). Errors are InvalidArgument and name the block, instruction and
// operand.
#pragma once

#include "absl/status/status.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::regalloc {

absl::Status ValidateStructure(const Function& fn, const MachineEnv& env);
absl::Status ValidateFunction(const Function& fn, const MachineEnv& env);

}  // namespace lathe::regalloc
