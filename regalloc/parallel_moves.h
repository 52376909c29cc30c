// Sequentializes a parallel move (all sources read, then all destinations written).
//
// Destinations must be distinct; one source may feed several destinations; sources and
// destinations of one move have the same class. Cycles are broken with a temporary: a free
// register if the caller names one, else the class's scratch register, else an emergency spill
// slot. Stack-to-stack moves go through the scratch register, a free register, or a register that
// is saved to an emergency slot and restored around the move. Output edits never move stack to
// stack. The resolver keeps its buffers across calls.
#pragma once

#include <cstdint>
#include <vector>

#include "regalloc/allocation.h"
#include "regalloc/location.h"
#include "regalloc/machine_env.h"
#include "regalloc/spill_slots.h"

namespace lathe::regalloc {

struct PendingMove {
  Location from;
  Location to;
};

class ParallelMoveResolver {
 public:
  // free_regs: registers (per class, hardware-number bits) that hold nothing needed at this point
  // and are not sources or destinations of `moves`.
  void Resolve(const std::vector<PendingMove>& moves, ProgPoint point, const MachineEnv& env,
               const uint64_t free_regs[kNumRegClasses], SpillSlots* slots, std::vector<Edit>* out);

 private:
  uint32_t Key(Location l) const {
    return l.is_reg() ? static_cast<uint32_t>(l.reg().index()) : kNumPRegIndices + l.slot();
  }
  void Emit(Location from, Location to);
  void EnsureKey(uint32_t k) {
    if (k >= read_count_.size()) {
      read_count_.resize(k + 64, 0);
      writer_.resize(k + 64, 0xffffffffu);
    }
  }
  RegClass ClassOf(Location l) const {
    return l.is_reg() ? l.reg().reg_class() : slots_->ClassOf(l.slot());
  }

  std::vector<PendingMove> moves_;
  std::vector<uint32_t> read_count_, writer_;
  std::vector<uint32_t> ready_;
  std::vector<uint8_t> done_;
  // Per call.
  const MachineEnv* env_ = nullptr;
  const uint64_t* free_ = nullptr;
  SpillSlots* slots_ = nullptr;
  std::vector<Edit>* out_ = nullptr;
  ProgPoint point_;
  Location cycle_temp_;  // register currently holding a cycle's saved value, if any
};

}  // namespace lathe::regalloc
