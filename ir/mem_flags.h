// Memory flags of loads, stores, atomics and bitcasts: alignment, read-only, endianness,
// can_move, the trap code taken on a faulting access (heap_oob by default; `notrap` clears it)
// and an optional alias region (`regionN`).
#ifndef LATHE_IR_MEM_FLAGS_H_
#define LATHE_IR_MEM_FLAGS_H_

#include <cstdint>
#include <string>

#include "ir/entities.h"
#include "ir/trap_code.h"

namespace lathe::ir {

struct MemFlags {
  enum Bit : uint8_t { kAligned = 1, kReadonly = 2, kLittle = 4, kBig = 8, kCanMove = 16, kChecked = 32 };
  uint8_t bits = 0;
  TrapCode trap = TrapCode(TrapCode::kHeapOutOfBounds);
  MemoryRegion region;

  bool has(Bit b) const { return (bits & b) != 0; }
  void set(Bit b) { bits |= b; }
  // The canonical text: each set flag preceded by a space (empty for the defaults).
  std::string ToString() const;
  friend bool operator==(const MemFlags& a, const MemFlags& b) {
    return a.bits == b.bits && a.trap == b.trap && a.region == b.region;
  }
};

}  // namespace lathe::ir

#endif  // LATHE_IR_MEM_FLAGS_H_
