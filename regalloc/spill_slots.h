// Spill-slot numbering for one function: ordinary slots and, per class, two emergency slots that
// the move resolver uses when no scratch or free register exists (allocated on first need).
#pragma once

#include <cstdint>

#include "regalloc/allocation.h"

namespace lathe::regalloc {

class SpillSlots {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  void Reset(Allocation* out) {
    out_ = out;
    for (auto& c : emergency_) c[0] = c[1] = kNone;
  }
  uint32_t New(RegClass c) {
    out_->slot_class.push_back(c);
    return out_->num_spill_slots++;
  }
  // Emergency slot `which` (0: cycle temporary, 1: saved borrowed register) of class c.
  uint32_t Emergency(RegClass c, int which) {
    uint32_t& s = emergency_[static_cast<int>(c)][which];
    if (s == kNone) s = New(c);
    return s;
  }
  RegClass ClassOf(uint32_t slot) const { return out_->slot_class[slot]; }

 private:
  Allocation* out_ = nullptr;
  uint32_t emergency_[kNumRegClasses][2];
};

}  // namespace lathe::regalloc
