// The per-block allocation engine of the optimizing allocator.
//
// Every value that crosses a block boundary lives, at every boundary, in one fixed "boundary
// location": a register chosen by the caller, or else the value's own spill slot. Within a block
// the engine walks instructions forward once, keeping a register cache (which vreg each register
// holds, whether the spill slot is current), satisfying each operand's constraint with moves
// inserted before the instruction, evicting (splitting) values around fixed registers, clobbers and
// register pressure, and freeing registers at last uses. At the end of a block one parallel move
// puts every live-out value in its boundary location and block arguments in their parameters'
// boundary locations (for a multi-successor block that argument move sits at the successor's start).
// Last uses come from a forward scan of each block and its live-out set. The optimizing allocator
// supplies liveness and boundary registers from a global linear scan. (The single-pass allocator
// is fast_allocator.h.)
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "regalloc/allocation.h"
#include "regalloc/function.h"
#include "regalloc/liveness.h"
#include "regalloc/machine_env.h"
#include "regalloc/parallel_moves.h"
#include "regalloc/spill_slots.h"

namespace lathe::regalloc {

class LocalAllocator {
 public:
  // boundary[v]: the register v occupies at block boundaries, or PReg::Invalid() for its spill slot.
  // It is also the register preferred when v needs a new one inside a block.
  absl::Status Run(const Function& fn, const MachineEnv& env, const Liveness& live,
                   const std::vector<PReg>& boundary, Allocation* out);

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  static constexpr uint8_t kNoReg = 0xff;

  static uint64_t Bit(PReg r) { return uint64_t{1} << r.hw(); }
  static int Cls(PReg r) { return static_cast<int>(r.reg_class()); }

  void Map(uint32_t v, PReg r);
  void Unmap(PReg r);
  PReg RegOf(uint32_t v) const { return PReg::FromIndex(vs_[v].reg); }
  bool Mapped(uint32_t v) const { return vs_[v].reg != kNoReg; }
  // Inline: called for every live-in at every block start; only the first call allocates.
  uint32_t SlotOf(uint32_t v) { return vs_[v].slot != kNone ? vs_[v].slot : NewSlot(v); }
  uint32_t NewSlot(uint32_t v);
  Location Cur(uint32_t v) { return Mapped(v) ? Location::Reg(RegOf(v)) : Location::Stack(SlotOf(v)); }
  Location BoundaryLoc(uint32_t v) {
    return (*boundary_)[v].valid() ? Location::Reg((*boundary_)[v]) : Location::Stack(SlotOf(v));
  }
  void Move(Location from, Location to) { out_->edits.push_back({point_, from, to}); }
  bool LiveAfter(uint32_t v, uint32_t inst) const { return vs_[v].killed_at != inst; }
  // Operand k (at instruction i) is a use after which v is dead, or a def that is never read.
  // From the block's last reads (StartBlock) and, with liveness, its live-out values.
  bool Kill(uint32_t k, uint32_t v, uint32_t i) const {
    const bool out = vs_[v].out_stamp == cur_block_;
    if (fn_->operands[k].is_use()) return vs_[v].last_local == i && !out;
    return !out && !(vs_[v].last_local > i && vs_[v].last_local < block_end_);
  }

  PReg FindFree(RegClass c, uint64_t avoid, PReg prefer) const;
  void Preserve(PReg r, uint64_t avoid);
  PReg Acquire(RegClass c, uint64_t avoid, PReg prefer);

  void StartBlock(uint32_t b);
  absl::Status AllocInst(uint32_t i);
  // AllocInst for the common instruction: Any/Reg/Stack operands only, no clobbers, no more
  // operands than the smallest class has registers (so a register always exists without moving
  // a value this instruction reads).
  void AllocSimpleInst(uint32_t i);
  void DefinedAt(uint32_t i, uint32_t k, uint32_t v, Location loc);
  absl::Status FinishBlock(uint32_t b);
  absl::Status NoReg(uint32_t i, const char* what) const;

  const Function* fn_ = nullptr;
  const MachineEnv* env_ = nullptr;
  const Liveness* live_ = nullptr;
  uint32_t cur_block_ = 0, block_begin_ = 0, block_end_ = 0;
  std::vector<uint8_t> simple_;  // per instruction of the current block: AllocSimpleInst applies
  const std::vector<PReg>* boundary_ = nullptr;
  Allocation* out_ = nullptr;
  ProgPoint point_;
  SpillSlots slots_;
  ParallelMoveResolver resolver_;

  uint64_t all_[kNumRegClasses] = {};
  uint64_t occ_[kNumRegClasses] = {};
  uint32_t owner_[kNumPRegIndices];
  uint32_t lock_vreg_[kNumPRegIndices];
  uint32_t after_[kNumPRegIndices];  // at a block end: the value a register holds after the moves
  uint32_t rr_[kNumRegClasses] = {};
  uint32_t min_regs_ = 0;  // registers of the smallest class that has any
  // When a class's preference order is at most two runs of ascending hardware numbers (a
  // rotation, say), the first free register in that order is the lowest free one of the first
  // run, else of the rest: FindFree needs no loop.
  bool two_runs_[kNumRegClasses] = {};
  uint64_t first_run_[kNumRegClasses] = {};
  // Everything the engine knows about one vreg, together so that touching a vreg touches one
  // cache line (on large functions separate arrays cost a miss each).
  struct VregState {
    uint32_t slot = kNone;        // its spill slot, made on first need
    uint32_t last_local = kNone;  // last instruction of the current block reading it
    uint32_t killed_at = kNone;   // instruction after which it is dead
    uint32_t out_stamp = kNone;   // block whose live-out set holds it
    uint8_t reg = kNoReg;         // register holding it
    uint8_t slot_valid = 0;       // whether the slot holds its current value
  };
  std::vector<VregState> vs_;
  std::vector<PendingMove> pending_;

  // Per-instruction register masks, per class.
  uint64_t lock_[kNumRegClasses], late_lock_[kNumRegClasses], def_res_[kNumRegClasses],
      early_def_res_[kNumRegClasses], clob_[kNumRegClasses], fixed_use_[kNumRegClasses];
};

}  // namespace lathe::regalloc
