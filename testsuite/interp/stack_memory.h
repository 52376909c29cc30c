// The interpreter's memory: one contiguous, growable stack of bytes at a fixed fake address
// range. Each call frame allocates its stack slots on top and releases them on return, so an
// address stays valid exactly while its frame is live. Accesses outside the allocated range
// fail (the interpreter reports them as traps); nothing outside this range is addressable, so
// interpreted code can never touch host memory, except byte vectors an embedder maps explicitly
// as regions (a wasm host layer's linear memories and runtime structures).
#ifndef LATHE_TESTSUITE_INTERP_STACK_MEMORY_H_
#define LATHE_TESTSUITE_INTERP_STACK_MEMORY_H_

#include <cstdint>
#include <vector>

namespace lathe::interp {

class StackMemory {
 public:
  // Low enough that addresses fit in i32 (for 32-bit targets), non-zero so null is invalid.
  static constexpr uint64_t kBase = 0x10000;
  static constexpr uint64_t kMaxSize = 64u << 20;

  // Returns the address of `size` zeroed bytes aligned to `align` (a power of two), or 0 when
  // the stack limit would be exceeded.
  uint64_t Allocate(uint64_t size, uint64_t align);
  uint64_t mark() const { return kBase + bytes_.size(); }
  // Frees everything allocated after `mark` was taken.
  void Release(uint64_t mark);

  // Makes `bytes` (owned by the caller, which may resize it) addressable at [base, base +
  // bytes->size()). Regions must not overlap each other or the stack range.
  void MapRegion(uint64_t base, std::vector<uint8_t>* bytes) { regions_.push_back({base, bytes}); }

  bool Load(uint64_t addr, uint64_t size, uint8_t* out) const;
  bool Store(uint64_t addr, uint64_t size, const uint8_t* in);

 private:
  bool InRange(uint64_t addr, uint64_t size) const {
    return addr >= kBase && size <= bytes_.size() && addr - kBase <= bytes_.size() - size;
  }
  // The mapped region holding [addr, addr + size), or nullptr.
  uint8_t* RegionAt(uint64_t addr, uint64_t size) const;

  std::vector<uint8_t> bytes_;
  struct Region {
    uint64_t base;
    std::vector<uint8_t>* bytes;
  };
  std::vector<Region> regions_;
};

}  // namespace lathe::interp

#endif  // LATHE_TESTSUITE_INTERP_STACK_MEMORY_H_
