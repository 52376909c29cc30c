#include "regalloc/machine_env.h"

#include <cstring>

#include "absl/strings/str_cat.h"

namespace lathe::regalloc {

absl::Status MachineEnv::Validate() const {
  for (int c = 0; c < kNumRegClasses; ++c) {
    const auto cls = static_cast<RegClass>(c);
    if (regs[c].size() > kMaxRegsPerClass) {
      return absl::InvalidArgumentError(
          absl::StrCat("env: class ", RegClassName(cls), " lists more than 64 registers"));
    }
    PRegSet seen;
    for (PReg r : regs[c]) {
      if (!r.valid() || r.reg_class() != cls) {
        return absl::InvalidArgumentError(absl::StrCat(
            "env: class ", RegClassName(cls), " lists a register of another class or an invalid one"));
      }
      if (seen.Contains(r)) {
        return absl::InvalidArgumentError(
            absl::StrCat("env: register ", r.hw(), " of class ", RegClassName(cls), " listed twice"));
      }
      seen.Add(r);
    }
    if (scratch[c].valid()) {
      if (scratch[c].reg_class() != cls) {
        return absl::InvalidArgumentError(
            absl::StrCat("env: scratch register of class ", RegClassName(cls), " has another class"));
      }
      if (seen.Contains(scratch[c])) {
        return absl::InvalidArgumentError(absl::StrCat(
            "env: scratch register of class ", RegClassName(cls), " must not be allocatable"));
      }
    }
  }
  return absl::OkStatus();
}

bool operator==(const MachineEnv& a, const MachineEnv& b) {
  static_assert(sizeof(PReg) == 1, "registers compare as bytes");
  for (int c = 0; c < kNumRegClasses; ++c) {
    const size_t n = a.regs[c].size();
    if (n != b.regs[c].size() || a.scratch[c] != b.scratch[c]) return false;
    // Called on every allocation: one memcmp instead of a loop of PReg comparisons.
    if (n != 0 && std::memcmp(a.regs[c].data(), b.regs[c].data(), n) != 0) return false;
  }
  return true;
}

}  // namespace lathe::regalloc
