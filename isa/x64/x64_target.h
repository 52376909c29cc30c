// The x86-64 backend behind the TargetIsa interface: lowering (isa/x64/lower.h, the DSL rules),
// System V registers (abi.h), emission (emit.h). Its flags are used as given; callers that run
// the code intersect them with the host first (isa/targets.h).
#pragma once

#include "isa/common/target_isa.h"
#include "isa/x64/host_features.h"
#include "isa/x64/vcode.h"

namespace lathe::x64 {

class X64Target : public isa::TargetIsa {
 public:
  explicit X64Target(const isa::TargetSpec& spec) : spec_(spec), isa_(IsaFlagsOf(spec)) {}

  absl::string_view name() const override { return "x86_64"; }
  const isa::TargetSpec& spec() const override { return spec_; }
  absl::Status Lower(const ir::Function& f) override;
  const regalloc::Function& machine_function() const override { return vcode_.alloc_fn; }
  const regalloc::MachineEnv& machine_env() const override;
  absl::Status Emit(const regalloc::Allocation& alloc, isa::CodeBuffer* buf) override;

  const IsaFlags& isa_flags() const { return isa_; }

 private:
  isa::TargetSpec spec_;
  IsaFlags isa_;
  VCode vcode_;
};

}  // namespace lathe::x64
