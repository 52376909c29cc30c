#include "ir/mem_flags.h"

namespace lathe::ir {

std::string MemFlags::ToString() const {
  std::string s;
  if (!trap.valid()) {
    s += " notrap";
  } else if (trap.code() != TrapCode::kHeapOutOfBounds) {
    s += " " + trap.Name();
  }
  if (has(kAligned)) s += " aligned";
  if (has(kReadonly)) s += " readonly";
  if (has(kCanMove)) s += " can_move";
  if (has(kBig)) s += " big";
  if (has(kLittle)) s += " little";
  if (has(kChecked)) s += " checked";
  if (region.valid()) s += " " + region.Name();
  return s;
}

}  // namespace lathe::ir
