#include "isa/targets.h"

#include "absl/strings/str_cat.h"
#include "isa/x64/host_features.h"
#include "isa/x64/x64_target.h"

namespace lathe::isa {

absl::StatusOr<std::unique_ptr<TargetIsa>> CreateTargetIsa(const TargetSpec& spec) {
  if (spec.target != nullptr && spec.target->name == "x86_64") return std::make_unique<x64::X64Target>(spec);
  return absl::UnimplementedError(
      absl::StrCat("no backend for target ", spec.target == nullptr ? absl::string_view("(none)") : spec.target->name));
}

bool IsHostTarget(const TargetInfo& target) {
#if defined(__x86_64__)
  return target.name == "x86_64";
#else
  (void)target;
  return false;
#endif
}

absl::flat_hash_set<std::string> HostFlags(const TargetInfo& target) {
  if (!IsHostTarget(target)) return {};
  return x64::HostFlagNames();
}

absl::StatusOr<TargetSpec> HostTarget() {
  for (const TargetInfo& t : Targets()) {
    if (!IsHostTarget(t)) continue;
    TargetSpec spec;
    spec.target = &t;
    spec.flags = HostFlags(t);
    return spec;
  }
  return absl::NotFoundError("Lathe has no backend for this host's architecture");
}

}  // namespace lathe::isa
