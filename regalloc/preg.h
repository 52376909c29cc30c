// Physical registers and register sets.
//
// A PReg packs a register class (2 bits) and a hardware number below 64 (6 bits) into one byte,
// so a target describes up to 64 registers per class. PRegSet is a fixed-size bit set over all
// PRegs (clobber sets, masks); it never allocates.
#pragma once

#include <cstdint>

namespace lathe::regalloc {

enum class RegClass : uint8_t { kInt = 0, kFloat = 1, kVector = 2 };
inline constexpr int kNumRegClasses = 3;
inline constexpr int kMaxRegsPerClass = 64;
// Number of distinct valid PReg indices (class * 64 + hw).
inline constexpr int kNumPRegIndices = kNumRegClasses * kMaxRegsPerClass;

const char* RegClassName(RegClass c);

class PReg {
 public:
  constexpr PReg() : bits_(kInvalid) {}
  constexpr PReg(RegClass c, int hw) : bits_(static_cast<uint8_t>((static_cast<int>(c) << 6) | (hw & 63))) {}
  static constexpr PReg FromIndex(int index) { return PReg(static_cast<uint8_t>(index)); }
  static constexpr PReg Invalid() { return PReg(); }

  constexpr bool valid() const { return (bits_ >> 6) < kNumRegClasses; }
  constexpr RegClass reg_class() const { return static_cast<RegClass>(bits_ >> 6); }
  constexpr int hw() const { return bits_ & 63; }
  // Dense index in [0, kNumPRegIndices) for tables.
  constexpr int index() const { return bits_; }
  constexpr uint8_t bits() const { return bits_; }

  friend constexpr bool operator==(PReg a, PReg b) { return a.bits_ == b.bits_; }
  friend constexpr bool operator!=(PReg a, PReg b) { return a.bits_ != b.bits_; }

 private:
  static constexpr uint8_t kInvalid = 0xff;
  explicit constexpr PReg(uint8_t bits) : bits_(bits) {}
  uint8_t bits_;
};

class PRegSet {
 public:
  void Add(PReg r) { bits_[static_cast<int>(r.reg_class())] |= uint64_t{1} << r.hw(); }
  void Remove(PReg r) { bits_[static_cast<int>(r.reg_class())] &= ~(uint64_t{1} << r.hw()); }
  bool Contains(PReg r) const {
    return r.valid() && ((bits_[static_cast<int>(r.reg_class())] >> r.hw()) & 1) != 0;
  }
  bool empty() const { return (bits_[0] | bits_[1] | bits_[2]) == 0; }
  // Bits of one class, bit i = hardware register i.
  uint64_t class_bits(RegClass c) const { return bits_[static_cast<int>(c)]; }
  PRegSet& operator|=(const PRegSet& o) {
    for (int i = 0; i < kNumRegClasses; ++i) bits_[i] |= o.bits_[i];
    return *this;
  }

 private:
  uint64_t bits_[kNumRegClasses] = {0, 0, 0};
};

}  // namespace lathe::regalloc
