// The `opt_level` setting of a compile (`set opt_level=none|speed|speed_and_size` in .clif
// files) and what it selects in the machine layer: `none` the single-pass register allocator
// (compile speed first), the others the optimizing one. Unknown names are InvalidArgument.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "regalloc/regalloc.h"

namespace lathe::isa {

enum class OptLevel { kNone, kSpeed, kSpeedAndSize };

absl::StatusOr<OptLevel> ParseOptLevel(std::string_view name);
regalloc::Algorithm AllocatorFor(OptLevel level);

}  // namespace lathe::isa
