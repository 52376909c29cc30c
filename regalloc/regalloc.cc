#include "regalloc/regalloc.h"

#include "regalloc/validate.h"

namespace lathe::regalloc {

const char* AlgorithmName(Algorithm a) {
  return a == Algorithm::kSinglePass ? "single_pass" : "optimizing";
}

absl::Status RegisterAllocator::Allocate(const Function& fn, const MachineEnv& env,
                                         Algorithm algorithm, Allocation* out) {
  out->Clear();
  if (absl::Status s = validator_.Run(fn, env, algorithm == Algorithm::kOptimizing); !s.ok()) return s;
  if (algorithm == Algorithm::kSinglePass) {
    return fast_.Run(fn, env, validator_, out);
  }
  if (absl::Status s = liveness_.Compute(fn, validator_); !s.ok()) return s;
  boundary_assignment_.Run(fn, env, liveness_, &boundary_);
  return local_.Run(fn, env, liveness_, boundary_, out);
}

}  // namespace lathe::regalloc
