// Registers that instructions clobber or fix, with constant-time "which registers are blocked
// strictly between instructions s and e" queries for the optimizing allocator's linear scan.
//
// Fill it with Add() in increasing instruction order (only instructions that block something),
// then Build(). Between() ORs the masks of the blocked instructions in (s, e): a per-instruction
// rank finds them, short runs are ORed directly, long ones from a sparse table over chunks of
// blocked instructions. Build is linear in instructions plus O(m/16 log m) for m blocked ones;
// the object keeps its buffers across functions.
#pragma once

#include <cstdint>
#include <vector>

#include "regalloc/preg.h"

namespace lathe::regalloc {

class BlockedRegs {
 public:
  void Reset(uint32_t num_insts);
  // `pos` must exceed every earlier Add's position and be below num_insts.
  void Add(uint32_t pos, const PRegSet& regs);
  void Build();

  // Hardware-number bits of class c blocked by some instruction p with s < p < e (s, e < num_insts).
  uint64_t Between(uint32_t s, uint32_t e, RegClass c) const {
    if (e <= s + 1) return 0;
    return Ranks(rank_[s + 1], rank_[e], static_cast<int>(c));
  }

 private:
  static constexpr uint32_t kChunkLog = 4;
  static constexpr uint32_t kChunk = 1u << kChunkLog;

  uint64_t Ranks(uint32_t lo, uint32_t hi, int c) const;

  uint32_t num_insts_ = 0, filled_ = 0, num_chunks_ = 0;
  std::vector<uint32_t> rank_;      // rank_[i]: blocked instructions before i (size num_insts + 1)
  std::vector<PRegSet> sets_;                     // per blocked instruction, in order
  std::vector<uint64_t> masks_[kNumRegClasses];  // the same, per class
  // table_[c][l * num_chunks_ + k]: OR of chunks k .. k + 2^l - 1.
  std::vector<uint64_t> table_[kNumRegClasses];
};

}  // namespace lathe::regalloc
