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
#include "regalloc/loop_depth.h"
#include "regalloc/machine_env.h"

namespace lathe::regalloc {

class BoundaryAssignment {
 public:
  // Fills boundary[v] (PReg::Invalid() = spill slot) for every vreg.
  void Run(const Function& fn, const MachineEnv& env, const Liveness& live,
           std::vector<PReg>* boundary);

 private:
  uint32_t Find(uint32_t v);
  void Union(uint32_t a, uint32_t b);
  void ReserveBranchRegisters(const Function& fn, const MachineEnv& env, const Liveness& live,
                              std::vector<PReg>* boundary);

  static constexpr uint32_t kNone = 0xffffffffu;
  static constexpr uint8_t kNoReg = 0xff;
  // Per vreg, together so that touching a vreg touches one cache line.
  struct VregInfo {
    uint32_t start = kNone, end = 0;  // hull of the live range (instruction numbers)
    float weight = 0;                 // spill weight
    uint32_t parent = kNone;          // coalescing union-find; kNone at a root
    uint8_t hint = kNoReg;            // a fixed register an operand wants
    uint8_t group_reg = kNoReg;       // at a root: the register its group got first
    uint8_t global = 0;               // crosses a block boundary (has an interval)
  };
  std::vector<VregInfo> iv_;
  std::vector<uint32_t> depth_, order_, count_;
  BlockedRegs blocked_;
  LoopDepth loop_depth_;
};

}  // namespace lathe::regalloc
