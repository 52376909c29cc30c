// Where a value lives (a physical register or a spill slot), program points, and edits.
//
// A ProgPoint is "before" or "after" one instruction; edits (moves) at the same point run in the
// order they appear in Allocation::edits. Spill slots are numbered from 0 per function; each slot
// has a register class (its size is the client's business).
#pragma once

#include <cstdint>

#include "regalloc/preg.h"

namespace lathe::regalloc {

class Location {
 public:
  enum class Kind : uint8_t { kNone, kReg, kStack };

  constexpr Location() : bits_(0) {}
  static constexpr Location Reg(PReg r) { return Location((1u << 30) | r.bits()); }
  static constexpr Location Stack(uint32_t slot) { return Location((2u << 30) | (slot & kPayload)); }

  constexpr Kind kind() const { return static_cast<Kind>(bits_ >> 30); }
  constexpr bool is_none() const { return kind() == Kind::kNone; }
  constexpr bool is_reg() const { return kind() == Kind::kReg; }
  constexpr bool is_stack() const { return kind() == Kind::kStack; }
  constexpr PReg reg() const { return PReg::FromIndex(static_cast<int>(bits_ & 0xff)); }
  constexpr uint32_t slot() const { return bits_ & kPayload; }
  constexpr uint32_t bits() const { return bits_; }

  friend constexpr bool operator==(Location a, Location b) { return a.bits_ == b.bits_; }
  friend constexpr bool operator!=(Location a, Location b) { return a.bits_ != b.bits_; }

 private:
  static constexpr uint32_t kPayload = (1u << 30) - 1;
  explicit constexpr Location(uint32_t bits) : bits_(bits) {}
  uint32_t bits_;
};

class ProgPoint {
 public:
  constexpr ProgPoint() : bits_(0) {}
  static constexpr ProgPoint Before(uint32_t inst) { return ProgPoint(inst * 2); }
  static constexpr ProgPoint After(uint32_t inst) { return ProgPoint(inst * 2 + 1); }
  constexpr uint32_t inst() const { return bits_ >> 1; }
  constexpr bool is_after() const { return (bits_ & 1) != 0; }
  constexpr uint32_t bits() const { return bits_; }
  friend constexpr bool operator==(ProgPoint a, ProgPoint b) { return a.bits_ == b.bits_; }
  friend constexpr bool operator<(ProgPoint a, ProgPoint b) { return a.bits_ < b.bits_; }
  friend constexpr bool operator<=(ProgPoint a, ProgPoint b) { return a.bits_ <= b.bits_; }

 private:
  explicit constexpr ProgPoint(uint32_t bits) : bits_(bits) {}
  uint32_t bits_;
};

// A move of one value between two locations of the same class. Never stack to stack.
struct Edit {
  ProgPoint point;
  Location from;
  Location to;
};

}  // namespace lathe::regalloc
