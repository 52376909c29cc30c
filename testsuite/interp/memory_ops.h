// Semantics of the memory instructions on StackMemory: loads (plain, extending, widening
// vector loads), stores (plain and truncating), and single-threaded atomics (atomic_load,
// atomic_store, atomic_rmw, atomic_cas). `big` memory flags byte-swap each lane. A faulting
// access reports the instruction's trap code (heap_oob when it has none); atomics also
// fault when misaligned.
#ifndef LATHE_TESTSUITE_INTERP_MEMORY_OPS_H_
#define LATHE_TESTSUITE_INTERP_MEMORY_OPS_H_

#include "absl/types/span.h"
#include "ir/dfg.h"
#include "testsuite/interp/lane.h"
#include "testsuite/interp/stack_memory.h"

namespace lathe::interp {

struct MemResult {
  enum Kind : uint8_t { kOk, kTrap, kUnsupported };
  Kind kind = kOk;
  uint8_t trap = 0;
  u128 value = 0;               // loads and atomics: the loaded (old) value
  const char* reason = nullptr;  // kUnsupported
};

// Load-format and atomic_load instructions; `addr` is the address operand.
MemResult ExecLoad(const ir::InstData& d, u128 addr, ir::Type result_type, const StackMemory& mem);
// Store-format and atomic_store instructions.
MemResult ExecStore(const ir::InstData& d, u128 value, ir::Type value_type, u128 addr, StackMemory& mem);
// atomic_rmw (args p, x) and atomic_cas (args p, expected, replacement).
MemResult ExecAtomic(const ir::InstData& d, absl::Span<const u128> args, ir::Type type, StackMemory& mem);

}  // namespace lathe::interp

#endif  // LATHE_TESTSUITE_INTERP_MEMORY_OPS_H_
