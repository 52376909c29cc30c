// The target's registers as the allocator may use them.
//
// Per class: the allocatable registers in preference order (earlier ones are tried first) and an
// optional scratch register that the allocator uses only inside move sequences (never allocatable).
// Without a scratch register, the move resolver borrows a free register or spills one around the
// move. Fixed-register constraints must name allocatable registers.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "regalloc/preg.h"

namespace lathe::regalloc {

struct MachineEnv {
  std::vector<PReg> regs[kNumRegClasses];
  PReg scratch[kNumRegClasses];  // PReg::Invalid() when there is none

  // Checks classes, duplicates, the 64-per-class limit and that scratch is not allocatable.
  absl::Status Validate() const;
};

// Same registers in the same order and the same scratch registers (lets the allocator skip
// checking and indexing an environment it saw in the previous call).
bool operator==(const MachineEnv& a, const MachineEnv& b);
inline bool operator!=(const MachineEnv& a, const MachineEnv& b) { return !(a == b); }

}  // namespace lathe::regalloc
