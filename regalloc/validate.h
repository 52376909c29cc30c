// Validation of allocator input.
//
// ValidateStructure() checks everything except SSA form: array ranges, block tiling and
// terminators, successor/predecessor agreement, reachability, no critical edges, branch-argument
// arity and classes, operand classes, and constraint sets that cannot be satisfied.
// ValidateFunction() adds the SSA check (one definition per vreg, every use dominated by its
// definition; see ssa_check.h). Errors are InvalidArgument and name the block, instruction and
// operand.
#pragma once

#include "absl/status/status.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::regalloc {

absl::Status ValidateStructure(const Function& fn, const MachineEnv& env);
absl::Status ValidateFunction(const Function& fn, const MachineEnv& env);

}  // namespace lathe::regalloc
