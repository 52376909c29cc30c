// Validation of allocator input, and which values cross block boundaries.
//
// Validator::Run() checks, in order: the environment; array ranges, block tiling,
// successor/predecessor agreement, no critical edges, branch-argument arity and classes (block
// level); that the entry reaches every block (dominator tree, dominators.h); then in one scan
// per instruction its flags, operand ranges and classes, constraint sets that cannot be
// satisfied, and SSA form: one definition per vreg, every use (operand or branch argument)
// dominated by its definition. Errors are InvalidArgument and name the block, instruction,
// operand or value. On success crosses_blocks(v) says whether a block other than v's defining
// block reads v: exactly the values live across some block boundary; def_block(v) is v's
// defining block (unspecified for a vreg without a definition), and with record_exposed, exposed() lists every (vreg, block) where the block
// reads the vreg defined elsewhere (with repeats): the seeds of liveness; inst_shapes() tells
// the single-pass allocator which instructions it may take on its short path. The object keeps
// its buffers, and the checks of the last environment that passed until a call brings another;
// ValidateFunction() is the one-shot form.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "regalloc/dominators.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::regalloc {

class Validator {
 public:
  absl::Status Run(const Function& fn, const MachineEnv& env, bool record_exposed = false);

  bool crosses_blocks(uint32_t vreg) const { return crosses_[vreg] != 0; }
  // crosses_blocks() for all vregs at once: one byte per vreg, nonzero when it crosses.
  const std::vector<uint8_t>& crosses() const { return crosses_; }
  // Per instruction, for the single-pass allocator: kPlainInst when it has only early Reg uses,
  // late Reg defs and late defs reusing a Reg use, and no clobbers (never a terminator);
  // kInstHasReuse when it has a reuse def; bit kInstClassShift + c when it has an operand of class c.
  enum : uint8_t { kPlainInst = 1, kInstHasReuse = 2, kInstClassShift = 2 };
  const std::vector<uint8_t>& inst_shapes() const { return shapes_; }
  uint32_t def_block(uint32_t vreg) const { return def_block_[vreg]; }
  const std::vector<std::pair<uint32_t, uint32_t>>& exposed() const { return exposed_; }

 private:
  absl::Status CheckBlocks(const Function& fn, const MachineEnv& env);
  absl::Status CheckInstructions(const Function& fn, const MachineEnv& env);

  // The environment of the last call that passed its checks, and what was derived from it.
  MachineEnv checked_env_;
  bool env_checked_ = false;
  PRegSet allocatable_;
  uint32_t min_regs_ = 0;
  Dominators dom_;
  std::vector<uint32_t> def_block_;
  std::vector<uint32_t> def_pos_;  // program position of the definition (see CheckInstructions)
  std::vector<uint8_t> crosses_;
  std::vector<uint8_t> shapes_;
  std::vector<uint32_t> from_begin_, from_, stamp_, count_;  // CheckBlocks: blocks listing each as a successor
  std::vector<std::pair<uint32_t, uint32_t>> deferred_;  // (vreg, block): uses seen before a def
  std::vector<std::pair<uint32_t, uint32_t>> exposed_;   // (vreg, block)
  bool record_exposed_ = false;
};

absl::Status ValidateFunction(const Function& fn, const MachineEnv& env);

}  // namespace lathe::regalloc
