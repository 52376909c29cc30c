// The targets Lathe knows by name and the ISA flags each accepts, parsed from the text of a
// clif `target` line ("x86_64 has_sse41 has_avx") or a `--target` option.
//
// Contract: ParseTarget returns InvalidArgument, naming the offending word and its 1-based
// column, for an unknown target or a flag the target does not know. Words apply in order: a
// flag (`has_avx`), a flag with a value (`has_avx=false`), or a preset naming several flags
// (`sse42`, `skylake`, as Cranelift's). `target x86_64` with no flags enables none of the
// optional extensions (the baseline: SSE2). EnableWithHost intersects the requested flags with
// what the host supports; MissingOnHost lists the requested flags the host lacks.
#pragma once

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"

namespace lathe::isa {

struct TargetPreset {
  absl::string_view name;
  absl::string_view base;                // a preset whose flags this one includes, or empty
  std::vector<absl::string_view> adds;   // the flags it adds to its base's
};

struct TargetInfo {
  absl::string_view name;
  std::vector<absl::string_view> flags;  // every optional flag the target accepts
  std::vector<TargetPreset> presets;
};

// Every registered target, in a fixed order.
const std::vector<TargetInfo>& Targets();
// nullptr when `name` is not registered.
const TargetInfo* FindTarget(absl::string_view name);

struct TargetSpec {
  const TargetInfo* target = nullptr;
  absl::flat_hash_set<std::string> flags;  // the `has_*` flags the line enables
  // The shared setting `enable_pinned_reg` (a `set` line, not part of the target line): one
  // register is reserved for get/set_pinned_reg in every function.
  bool enable_pinned_reg = false;
  bool Has(absl::string_view flag) const { return flags.contains(std::string(flag)); }
};

// `text` is the line without the leading "target" keyword; `where` prefixes error messages
// (e.g. "file.clif:3").
absl::StatusOr<TargetSpec> ParseTarget(absl::string_view text, absl::string_view where);

// The flags of `spec` that `host` also has.
TargetSpec EnableWithHost(const TargetSpec& spec, const absl::flat_hash_set<std::string>& host);

// The flags of `spec` that `host` lacks, sorted.
std::vector<std::string> MissingOnHost(const TargetSpec& spec, const absl::flat_hash_set<std::string>& host);

}  // namespace lathe::isa
