#include "isa/x64/x64_target.h"

#include "absl/strings/str_cat.h"
#include "isa/x64/abi.h"
#include "isa/x64/emit.h"
#include "isa/x64/lower.h"

namespace lathe::x64 {

absl::Status X64Target::Lower(const ir::Function& f) {
  return x64::Lower(f, &vcode_, isa_, spec_.enable_pinned_reg);
}

const regalloc::MachineEnv& X64Target::machine_env() const {
  return spec_.enable_pinned_reg ? PinnedRegMachineEnv() : SysVMachineEnv();
}

absl::Status X64Target::Emit(const regalloc::Allocation& alloc, isa::CodeBuffer* buf) {
  buf->Clear();
  return x64::Emit(vcode_, alloc, buf);
}

}  // namespace lathe::x64
