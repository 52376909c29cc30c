// The interface a backend implements for the compile driver (isa/common/compile.h): its name and
// ISA flags, lowering one verified function into a machine function the register allocator
// reads, and emitting that function once allocated. One instance compiles one function at a
// time and keeps its buffers across functions; use one per thread.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "ir/function.h"
#include "isa/common/code_buffer.h"
#include "isa/common/target_registry.h"
#include "regalloc/allocation.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::isa {

class TargetIsa {
 public:
  virtual ~TargetIsa() = default;

  virtual absl::string_view name() const = 0;
  // The target and the ISA flags this instance compiles for.
  virtual const TargetSpec& spec() const = 0;

  // Lowers `f`, which has verified. Unimplemented, naming the construct, for what the backend
  // does not support.
  virtual absl::Status Lower(const ir::Function& f) = 0;
  // The last lowered function, as the register allocator reads it, and the target's registers.
  virtual const regalloc::Function& machine_function() const = 0;
  virtual const regalloc::MachineEnv& machine_env() const = 0;
  // Emits the last lowered function with `alloc` into `buf` (cleared first) and finishes it.
  virtual absl::Status Emit(const regalloc::Allocation& alloc, CodeBuffer* buf) = 0;
};

}  // namespace lathe::isa
