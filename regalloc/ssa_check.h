// SSA check of structurally valid allocator input, and which values cross block boundaries.
//
// Compute() rejects blocks the entry cannot reach, then walks the blocks once in reverse postorder (so a definition that dominates a use is
// seen before it) and rejects a vreg defined twice or a use (operand or branch argument) that its
// definition does not dominate: a use without a def, a use on a path that skips the def, a use
// before the def in its own block or instruction. Errors are InvalidArgument naming the value.
// It also records, per vreg, whether any block other than the defining one reads it: exactly the
// values that are live across some block boundary. The object keeps its buffers across functions.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "regalloc/dominators.h"
#include "regalloc/function.h"

namespace lathe::regalloc {

class SsaCheck {
 public:
  absl::Status Compute(const Function& fn);

  bool crosses_blocks(uint32_t vreg) const { return crosses_[vreg] != 0; }

 private:
  Dominators dom_;
  std::vector<uint32_t> def_block_;
  std::vector<uint8_t> crosses_;
};

}  // namespace lathe::regalloc
