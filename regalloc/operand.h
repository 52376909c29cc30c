// An instruction operand as the register allocator sees it.
//
// An operand names a virtual register, its class, whether the instruction reads (use) or writes
// (def) it, when (early: at the start of the instruction, late: at its end) and where it must
// live (the constraint). Defaults: uses are early, defs are late. An early def is written before
// all uses are read, so it never shares a location with a use; a late use is still being read
// when defs and clobbers are written, so it never shares a location with them.
// Operands are 12-byte values stored in a flat array; building one never allocates.
#pragma once

#include <cstdint>

#include "regalloc/preg.h"

namespace lathe::regalloc {

enum class OperandKind : uint8_t { kUse, kDef };
enum class OperandPos : uint8_t { kEarly, kLate };

enum class Constraint : uint8_t {
  kAny,       // a register or a spill slot of the class
  kReg,       // any allocatable register of the class
  kStack,     // a spill slot
  kFixedReg,  // exactly fixed_reg()
  kReuse,     // defs only: the same register as the early use at operand index reuse_index()
};

class Operand {
 public:
  Operand() = default;

  static Operand Use(uint32_t vreg, RegClass c, Constraint k, OperandPos pos = OperandPos::kEarly) {
    return Operand(vreg, c, OperandKind::kUse, pos, k, 0);
  }
  static Operand Def(uint32_t vreg, RegClass c, Constraint k, OperandPos pos = OperandPos::kLate) {
    return Operand(vreg, c, OperandKind::kDef, pos, k, 0);
  }
  static Operand FixedUse(uint32_t vreg, PReg r, OperandPos pos = OperandPos::kEarly) {
    return Operand(vreg, r.reg_class(), OperandKind::kUse, pos, Constraint::kFixedReg, r.bits());
  }
  static Operand FixedDef(uint32_t vreg, PReg r, OperandPos pos = OperandPos::kLate) {
    return Operand(vreg, r.reg_class(), OperandKind::kDef, pos, Constraint::kFixedReg, r.bits());
  }
  // `input` is the index, within the same instruction, of the early use whose register is reused.
  static Operand ReuseDef(uint32_t vreg, RegClass c, uint8_t input) {
    return Operand(vreg, c, OperandKind::kDef, OperandPos::kLate, Constraint::kReuse, input);
  }

  uint32_t vreg() const { return vreg_; }
  RegClass reg_class() const { return cls_; }
  OperandKind kind() const { return kind_; }
  OperandPos pos() const { return pos_; }
  Constraint constraint() const { return constraint_; }
  bool is_use() const { return kind_ == OperandKind::kUse; }
  bool is_def() const { return kind_ == OperandKind::kDef; }
  bool is_early() const { return pos_ == OperandPos::kEarly; }
  bool is_late() const { return pos_ == OperandPos::kLate; }
  PReg fixed_reg() const { return PReg::FromIndex(payload_); }
  int reuse_index() const { return payload_; }
  // Class, kind, position and constraint in one word (a byte each, in that order from the low
  // byte), for code that classifies operands by table lookup.
  uint32_t tag() const {
    return static_cast<uint32_t>(cls_) | static_cast<uint32_t>(kind_) << 8 | static_cast<uint32_t>(pos_) << 16 |
           static_cast<uint32_t>(constraint_) << 24;
  }

 private:
  Operand(uint32_t vreg, RegClass c, OperandKind kind, OperandPos pos, Constraint k, uint8_t payload)
      : vreg_(vreg), cls_(c), kind_(kind), pos_(pos), constraint_(k), payload_(payload) {}

  uint32_t vreg_ = 0;
  RegClass cls_ = RegClass::kInt;
  OperandKind kind_ = OperandKind::kUse;
  OperandPos pos_ = OperandPos::kEarly;
  Constraint constraint_ = Constraint::kAny;
  uint8_t payload_ = 0;
};

}  // namespace lathe::regalloc
