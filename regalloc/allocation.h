// The allocator's result: a location per operand, the moves to insert, and the spill slots used.
//
// operand_locs is parallel to Function::operands. edits are sorted by program point; edits at the
// same point run in order. No edit sits after a terminator. slot_class gives each spill slot's
// register class (its size is the client's choice).
#pragma once

#include <cstdint>
#include <vector>

#include "regalloc/location.h"

namespace lathe::regalloc {

struct Allocation {
  std::vector<Location> operand_locs;
  std::vector<Edit> edits;
  uint32_t num_spill_slots = 0;
  std::vector<RegClass> slot_class;

  void Clear() {
    operand_locs.clear();
    edits.clear();
    num_spill_slots = 0;
    slot_class.clear();
  }
};

// Counts of edits by kind, for comparing allocators.
struct EditStats {
  uint64_t reg_moves = 0;  // register to register
  uint64_t spills = 0;     // register to stack
  uint64_t reloads = 0;    // stack to register
  uint64_t total() const { return reg_moves + spills + reloads; }
};

EditStats CountEdits(const Allocation& alloc);

}  // namespace lathe::regalloc
