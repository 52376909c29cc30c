// Verifies an allocation by symbolic execution, independently of how it was produced.
//
// The abstract state maps every register and spill slot to the set of vregs whose current value
// it holds. Moves copy sets; a def makes its location hold exactly {vreg} and removes the vreg
// everywhere else; clobbers empty their registers; along an edge, every location holding a branch
// argument also holds the matching block parameter. States meet by intersection at block entries
// and are iterated to a fixed point. Every use must find its vreg in its location on every path.
// Statically it checks each operand's constraint (fixed register, register/stack kind, reuse of
// the input's register, allocatable registers of the right class), that early defs do not share
// a location with uses, that late uses avoid defs and clobbers, that defs are distinct, and that
// edits are sorted, never stack to stack, never after a terminator, and use valid locations.
// Returns FailedPrecondition naming the instruction, operand or edit at fault.
#pragma once

#include "absl/status/status.h"
#include "regalloc/allocation.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::regalloc {

absl::Status CheckAllocation(const Function& fn, const MachineEnv& env, const Allocation& alloc);

}  // namespace lathe::regalloc
