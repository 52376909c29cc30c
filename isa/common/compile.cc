#include "isa/common/compile.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "ir/verifier.h"

namespace lathe::isa {

absl::Status Compile(const ir::Function& f, TargetIsa& target, OptLevel level, CompileContext& ctx, CodeBuffer* out) {
  out->Clear();
  std::vector<ir::VerifierError> errors = ir::Verify(f);
  if (!errors.empty()) return absl::InvalidArgumentError(ir::FormatVerifierError(f, errors[0]));
  absl::Status s = target.Lower(f);
  if (!s.ok()) return s;
  ctx.alloc_.Clear();
  s = ctx.allocator_.Allocate(target.machine_function(), target.machine_env(), AllocatorFor(level), &ctx.alloc_);
  if (!s.ok()) {
    return absl::Status(s.code(), absl::StrCat("register allocation of ", f.name.ToString(), ": ", s.message()));
  }
  return target.Emit(ctx.alloc_, out);
}

}  // namespace lathe::isa
