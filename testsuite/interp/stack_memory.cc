#include "testsuite/interp/stack_memory.h"

#include <cstring>

namespace lathe::interp {

uint64_t StackMemory::Allocate(uint64_t size, uint64_t align) {
  if (align == 0) align = 1;
  uint64_t start = (bytes_.size() + align - 1) & ~(align - 1);
  if (start > kMaxSize || size > kMaxSize - start) return 0;
  bytes_.resize(start + size, 0);
  // Re-zero in case the range held a released frame's data.
  std::memset(bytes_.data() + start, 0, size);
  return kBase + start;
}

void StackMemory::Release(uint64_t mark) {
  if (mark >= kBase && mark - kBase <= bytes_.size()) bytes_.resize(mark - kBase);
}

uint8_t* StackMemory::RegionAt(uint64_t addr, uint64_t size) const {
  for (const Region& r : regions_) {
    const uint64_t n = r.bytes->size();
    if (addr >= r.base && size <= n && addr - r.base <= n - size) return r.bytes->data() + (addr - r.base);
  }
  return nullptr;
}

bool StackMemory::Load(uint64_t addr, uint64_t size, uint8_t* out) const {
  if (!InRange(addr, size)) {
    uint8_t* p = RegionAt(addr, size);
    if (p == nullptr) return false;
    std::memcpy(out, p, size);
    return true;
  }
  std::memcpy(out, bytes_.data() + (addr - kBase), size);
  return true;
}

bool StackMemory::Store(uint64_t addr, uint64_t size, const uint8_t* in) {
  if (!InRange(addr, size)) {
    uint8_t* p = RegionAt(addr, size);
    if (p == nullptr) return false;
    std::memcpy(p, in, size);
    return true;
  }
  std::memcpy(bytes_.data() + (addr - kBase), in, size);
  return true;
}

}  // namespace lathe::interp
