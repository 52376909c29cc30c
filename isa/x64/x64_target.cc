#include "isa/x64/x64_target.h"

#include "absl/strings/str_cat.h"
#include "isa/x64/abi.h"
#include "isa/x64/emit.h"
#include "isa/x64/lower.h"

namespace lathe::x64 {

// Big-endian accesses are rejected as a whole (as Cranelift's x64 backend does), before the
// lowering could treat them as ordinary little-endian ones.
absl::Status X64Target::Lower(const ir::Function& f) {
  for (ir::Block b = f.layout.first_block(); b.valid(); b = f.layout.next_block(b)) {
    for (ir::Inst i = f.layout.first_inst(b); i.valid(); i = f.layout.next_inst(i)) {
      if (!f.dfg.inst(i).flags.has(ir::MemFlags::kBig)) continue;
      uint32_t line = f.text_line(i);
      return absl::UnimplementedError(absl::StrCat(line ? absl::StrCat("line ", line, ": ") : "",
                                                   "x64 backend does not support big-endian memory accesses (function ",
                                                   f.name.ToString(), ")"));
    }
  }
  return x64::Lower(f, &vcode_, isa_);
}

const regalloc::MachineEnv& X64Target::machine_env() const { return SysVMachineEnv(); }

absl::Status X64Target::Emit(const regalloc::Allocation& alloc, isa::CodeBuffer* buf) {
  buf->Clear();
  return x64::Emit(vcode_, alloc, buf);
}

}  // namespace lathe::x64
