// The x86-64 backend entry point: verify -> lower (DSL rules) -> register allocation -> emit.
// The allocator algorithm is the caller's choice (opt_level none: single pass; speed:
// optimizing). The context keeps its buffers across functions; use one per thread.
#pragma once

#include "absl/status/status.h"
#include "ir/function.h"
#include "isa/common/code_buffer.h"
#include "isa/x64/host_features.h"
#include "isa/x64/vcode.h"
#include "regalloc/regalloc.h"

namespace lathe::x64 {

class Backend {
 public:
  // Compiles `f` into `buf` (cleared first). Errors: InvalidArgument when `f` does not verify,
  // Unimplemented for opcodes/types/signatures the backend lacks (naming them).
  absl::Status Compile(const ir::Function& f, regalloc::Algorithm algorithm, isa::CodeBuffer* buf);

  // The extensions later compiles may use (default: the host's).
  void set_isa_flags(const IsaFlags& flags) { isa_ = flags; }
  const IsaFlags& isa_flags() const { return isa_; }
  // `enable_pinned_reg`: get/set_pinned_reg use r15, which no function then allocates (set it
  // for every function of a module alike).
  void set_pinned_reg(bool on) { pinned_reg_ = on; }

  // The last successful compile's vcode and allocation (for the allocation checker in tests).
  const VCode& vcode() const { return vcode_; }
  const regalloc::Allocation& allocation() const { return alloc_; }

 private:
  IsaFlags isa_ = HostIsaFlags();
  bool pinned_reg_ = false;
  VCode vcode_;
  regalloc::Allocation alloc_;
  regalloc::RegisterAllocator allocator_;
};

}  // namespace lathe::x64
