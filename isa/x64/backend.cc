#include "isa/x64/backend.h"

#include "absl/strings/str_cat.h"
#include "ir/verifier.h"
#include "isa/x64/abi.h"
#include "isa/x64/emit.h"
#include "isa/x64/lower.h"

namespace lathe::x64 {

absl::Status Backend::Compile(const ir::Function& f, regalloc::Algorithm algorithm, isa::CodeBuffer* buf) {
  buf->Clear();
  std::vector<ir::VerifierError> errors = ir::Verify(f);
  if (!errors.empty()) return absl::InvalidArgumentError(ir::FormatVerifierError(f, errors[0]));
  absl::Status s = Lower(f, &vcode_, isa_, pinned_reg_);
  if (!s.ok()) return s;
  alloc_.Clear();
  s = allocator_.Allocate(vcode_.alloc_fn, pinned_reg_ ? PinnedRegMachineEnv() : SysVMachineEnv(), algorithm, &alloc_);
  if (!s.ok()) {
    return absl::Status(s.code(), absl::StrCat("register allocation of ", f.name.ToString(), ": ", s.message()));
  }
  return Emit(vcode_, alloc_, buf);
}

}  // namespace lathe::x64
