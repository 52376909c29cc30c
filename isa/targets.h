// The backends built into Lathe, by name: an explicit table (no static registration, which
// static libraries would drop without alwayslink). Names and flags are parsed by
// isa/common/target_registry.h; this file creates the TargetIsa and knows the host.
//
// Contract: CreateTargetIsa compiles for exactly the flags of `spec` (Unimplemented for a
// registered target without a backend). HostTarget is the host's target with every extension it
// has (NotFound on a host Lathe has no backend for). HostFlags is empty for a target that is not
// the host's.
#pragma once

#include <memory>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "isa/common/target_isa.h"
#include "isa/common/target_registry.h"

namespace lathe::isa {

absl::StatusOr<std::unique_ptr<TargetIsa>> CreateTargetIsa(const TargetSpec& spec);

absl::StatusOr<TargetSpec> HostTarget();

// The flags of `target` the host supports; empty unless `target` is the host's architecture.
absl::flat_hash_set<std::string> HostFlags(const TargetInfo& target);

// Whether code for `target` runs on this host.
bool IsHostTarget(const TargetInfo& target);

}  // namespace lathe::isa
