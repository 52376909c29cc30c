#include "regalloc/allocation.h"

namespace lathe::regalloc {

EditStats CountEdits(const Allocation& alloc) {
  EditStats s;
  for (const Edit& e : alloc.edits) {
    if (e.from.is_reg() && e.to.is_reg()) {
      ++s.reg_moves;
    } else if (e.to.is_stack()) {
      ++s.spills;
    } else {
      ++s.reloads;
    }
  }
  return s;
}

}  // namespace lathe::regalloc
