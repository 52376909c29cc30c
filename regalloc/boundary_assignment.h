// The optimizing allocator's global step: choose, for each value that crosses a block boundary,
// the register it occupies at every boundary (or none: its spill slot).
//
// Each such value gets one interval, the hull of its live range over the linear instruction
// order. A linear scan over intervals sorted by start assigns registers, avoiding registers that
// are clobbered or fixed by instructions strictly inside the interval (blocked_regs.h answers that
// range query in O(1)). When no register is free, the interval with the lowest spill weight
// (uses weighted by 8^loop depth, divided by length) goes to the stack. Block parameters are
// coalesced with their arguments, and reuse defs with their inputs, by preferring the register
// already given to their group. Cost: O(n log n) in instructions plus live-set size.
#pragma once

#include <cstdint>
#include <vector>

#include "regalloc/blocked_regs.h"
#include "regalloc/function.h"
#include "regalloc/liveness.h"
#include "regalloc/machine_env.h"

namespace lathe::regalloc {

class BoundaryAssignment {
 public:
  // Fills boundary[v] (PReg::Invalid() = spill slot) for every vreg.
  void Run(const Function& fn, const MachineEnv& env, const Liveness& live,
           std::vector<PReg>* boundary);

 private:
  uint32_t Find(uint32_t v);
  void ReserveBranchRegisters(const Function& fn, const MachineEnv& env, const Liveness& live,
                              std::vector<PReg>* boundary);

  std::vector<uint32_t> depth_, start_, end_, order_, count_, parent_;
  std::vector<float> weight_;
  std::vector<uint8_t> hint_, group_reg_, global_;
  BlockedRegs blocked_;
};

}  // namespace lathe::regalloc
