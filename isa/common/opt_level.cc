#include "isa/common/opt_level.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace lathe::isa {

absl::StatusOr<OptLevel> ParseOptLevel(std::string_view name) {
  if (name == "none") return OptLevel::kNone;
  if (name == "speed") return OptLevel::kSpeed;
  if (name == "speed_and_size") return OptLevel::kSpeedAndSize;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown opt_level '", std::string(name), "' (expected none, speed or speed_and_size)"));
}

regalloc::Algorithm AllocatorFor(OptLevel level) {
  return level == OptLevel::kNone ? regalloc::Algorithm::kSinglePass : regalloc::Algorithm::kOptimizing;
}

}  // namespace lathe::isa
