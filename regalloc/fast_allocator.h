// The single-pass allocator: one backward walk per block, built for compile speed.
//
// Contract: Run() takes a function the Validator accepted (its crosses() and inst_shapes() are
// used) and fills `out` with a valid allocation. Every value read outside its defining block, and every
// block parameter, lives across blocks in its own spill slot: it is stored right after its
// definition, reloaded into a register at the start of a block that reads it from a register,
// and branch arguments are copied slot to slot (or register to slot) into the parameters' slots.
// Inside a block the walk goes from the terminator up: a use gives its vreg a register if it has
// none (that register then holds the vreg from its definition or the block start down to the
// use), a def frees the register. Fixed, reuse and clobber constraints are met inline by
// evicting the holder to its slot (a reload after the instruction) or copying before it.
// State is flat arrays (vreg -> register, register -> vreg) and one 64-bit free mask per class,
// registers numbered by preference so the lowest set bit is the preferred free register. Edits
// are appended in reverse order into the output and reversed once at the end. The object keeps
// its buffers; returns ResourceExhausted only if an instruction needs more registers than exist.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "regalloc/allocation.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"
#include "regalloc/parallel_moves.h"
#include "regalloc/spill_slots.h"
#include "regalloc/validate.h"

namespace lathe::regalloc {

class FastAllocator {
 public:
  absl::Status Run(const Function& fn, const MachineEnv& env, const Validator& checked, Allocation* out);

 private:
  static constexpr uint32_t kNone = 0xffffffffu;
  static constexpr uint8_t kNoReg = 0xff;
  static constexpr uint8_t kInput = 0xfe;  // forced_: a reuse input whose register is not chosen yet

  // Registers are numbered class * 64 + preference position ("ri").
  static int ClassOfRi(uint8_t ri) { return ri >> 6; }
  static uint64_t BitOfRi(uint8_t ri) { return uint64_t{1} << (ri & 63); }
  Location RegLoc(uint8_t ri) const { return Location::Reg(preg_of_[ri]); }
  Location SlotLoc(uint32_t v) {
    if (slot_of_[v] == kNone) slot_of_[v] = slots_.New(fn_->vreg_class[v]);
    return Location::Stack(slot_of_[v]);
  }
  void Assign(uint32_t v, uint8_t ri) {
    vreg_reg_[v] = ri;
    reg_vreg_[ri] = v;
    occ_[ClassOfRi(ri)] |= BitOfRi(ri);
  }
  void Release(uint8_t ri) {
    vreg_reg_[reg_vreg_[ri]] = kNoReg;
    occ_[ClassOfRi(ri)] &= ~BitOfRi(ri);
  }
  void Push(ProgPoint p, Location from, Location to) { edits_->push_back({p, from, to}); }
  // The holder of ri is live after instruction i and moves out: it is reloaded there from its slot.
  void Evict(uint8_t ri, uint32_t i) {
    const uint32_t w = reg_vreg_[ri];
    has_slot_[w] = 1;
    Push(ProgPoint::After(i), SlotLoc(w), RegLoc(ri));
    Release(ri);
  }
  // A register of class c outside `excl`: a free one, else (if allowed) one whose holder is evicted.
  uint8_t Pick(int c, uint64_t excl, bool evict, uint32_t i);

  // A def takes the register another def of instruction i is moved to afterwards (keep[c]); that
  // def's value goes to the register through its slot instead (reloaded after all def moves).
  uint8_t StealKept(int c, uint64_t* keep, uint64_t excl, uint32_t i);

  // These return false after setting error_ (kept off the per-instruction path).
  bool Block(uint32_t b);
  bool Instruction(uint32_t b, uint32_t i);
  bool Terminator(uint32_t b, uint32_t i);
  bool OutOfRegisters(uint32_t i, int c);
  // An instruction with only early Reg uses, late Reg defs and late defs reusing a Reg use, no
  // clobbers, and at least as many free registers per class as it has operands.
  // Inlined into Block's loop: a call per instruction costs as much as the work.
  [[gnu::always_inline]] void PlainInstruction(uint32_t i, const Operand* ops, uint32_t n, bool any_reuse,
                                               Location* locs);
  // Parallel move `pending_` at `point`, appended in reverse execution order.
  void ResolvePending(ProgPoint point, const uint64_t free_pos[kNumRegClasses]);

  absl::Status error_;
  const Function* fn_ = nullptr;
  const MachineEnv* env_ = nullptr;
  Allocation* out_ = nullptr;
  std::vector<Edit>* edits_ = nullptr;
  SpillSlots slots_;
  ParallelMoveResolver resolver_;

  std::vector<uint8_t> vreg_reg_;   // ri or kNoReg
  std::vector<uint8_t> has_slot_;   // the slot is written at the definition
  const uint8_t* shapes_ = nullptr;  // Validator::inst_shapes()
  std::vector<uint32_t> slot_of_;   // spill slot or kNone
  uint32_t reg_vreg_[kNumPRegIndices];
  uint64_t occ_[kNumRegClasses] = {0, 0, 0};
  uint64_t all_[kNumRegClasses] = {0, 0, 0};
  MachineEnv tables_env_;           // the environment preg_of_, ri_of_ and all_ were built for
  bool tables_valid_ = false;
  PReg preg_of_[kNumPRegIndices];   // ri -> PReg
  uint8_t ri_of_[kNumPRegIndices];  // PReg index -> ri (kNoReg if not allocatable)
  std::vector<uint64_t> clobber_pos_;  // per clobber set and class, in preference positions

  // Per instruction.
  uint8_t forced_[256];  // operand offset -> register required by a reuse def, or kNoReg
  size_t inst_edits_begin_ = 0;  // edits_ index where the current instruction's edits start
  std::vector<Edit> copies_, tmp_edits_;
  std::vector<PendingMove> pending_;
};

}  // namespace lathe::regalloc
