// Statistics that characterize register-allocator input (regalloc::Function): block and
// instruction shape, operand constraints and positions, clobbers, block parameters, and how many
// values live across blocks. //bench:regalloc_lowered uses them to set lowered code beside the
// generated stress mix.
//
// Add() sums one function in, after regalloc::Validator accepts it (otherwise it returns the
// validator's error and counts nothing). Rows() gives the derived figures as ratios of the
// sums, so each function weighs by its size. Percentages are 0..100.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"
#include "regalloc/validate.h"

namespace lathe::bench {

class AllocInputStats {
 public:
  // Functions of at least this many instructions count as large.
  static constexpr uint64_t kLargeFunction = 1000;

  absl::Status Add(const regalloc::Function& fn, const regalloc::MachineEnv& env);

  // (name, value) in a fixed order; the names are the same for every object.
  std::vector<std::pair<std::string, double>> Rows() const;

  uint64_t functions() const { return functions_; }
  uint64_t insts() const { return insts_; }
  uint64_t max_insts() const { return max_insts_; }

 private:
  regalloc::Validator validator_;
  uint64_t functions_ = 0, blocks_ = 0, insts_ = 0, max_insts_ = 0, insts_in_large_ = 0;
  uint64_t operands_ = 0, uses_ = 0, defs_ = 0, late_uses_ = 0, early_defs_ = 0;
  uint64_t by_constraint_[5] = {0, 0, 0, 0, 0};
  uint64_t float_operands_ = 0;
  uint64_t clobber_insts_ = 0;
  uint64_t block_params_ = 0, edges_ = 0, edge_args_ = 0;
  uint64_t max_succs_ = 0, max_preds_ = 0;  // of one block
  uint64_t vregs_ = 0, defined_vregs_ = 0, crossing_vregs_ = 0;
};

}  // namespace lathe::bench
