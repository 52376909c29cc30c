// The compile driver: verify, lower (the target), register allocation (opt_level `none`: the
// single-pass allocator; `speed`/`speed_and_size`: the optimizing one), emit. The result is the
// code buffer: code, constant pool, trap records and call relocations.
//
// Errors: InvalidArgument when the function does not verify (the verifier's message);
// Unimplemented from the target for unsupported constructs; allocation errors prefixed with the
// function's name. The context keeps the allocator's buffers across functions; one per thread.
#pragma once

#include "absl/status/status.h"
#include "ir/function.h"
#include "isa/common/code_buffer.h"
#include "isa/common/opt_level.h"
#include "isa/common/target_isa.h"
#include "regalloc/allocation.h"
#include "regalloc/regalloc.h"

namespace lathe::isa {

class CompileContext {
 public:
  // The last successful compile's allocation (for the allocation checker in tests).
  const regalloc::Allocation& allocation() const { return alloc_; }

 private:
  friend absl::Status Compile(const ir::Function& f, TargetIsa& target, OptLevel level, CompileContext& ctx,
                              CodeBuffer* out);
  regalloc::RegisterAllocator allocator_;
  regalloc::Allocation alloc_;
};

absl::Status Compile(const ir::Function& f, TargetIsa& target, OptLevel level, CompileContext& ctx, CodeBuffer* out);

}  // namespace lathe::isa
