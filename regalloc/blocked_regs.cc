#include "regalloc/blocked_regs.h"

#include <cstddef>

namespace lathe::regalloc {
namespace {

uint32_t FloorLog2(uint32_t x) { return 31 - static_cast<uint32_t>(__builtin_clz(x)); }

}  // namespace

void BlockedRegs::Reset(uint32_t num_insts) {
  num_insts_ = num_insts;
  filled_ = 0;
  rank_.resize(num_insts + 1);
  sets_.clear();
}

void BlockedRegs::Add(uint32_t pos, const PRegSet& regs) {
  const uint32_t count = static_cast<uint32_t>(sets_.size());
  uint32_t* rank = rank_.data();
  for (uint32_t i = filled_; i <= pos; ++i) rank[i] = count;
  filled_ = pos + 1;
  sets_.push_back(regs);
}

void BlockedRegs::Build() {
  const uint32_t m = static_cast<uint32_t>(sets_.size());
  for (uint32_t i = filled_; i <= num_insts_; ++i) rank_[i] = m;
  filled_ = num_insts_ + 1;
  // Per class, so queries read contiguous words.
  for (int c = 0; c < kNumRegClasses; ++c) {
    masks_[c].resize(m);
    for (uint32_t j = 0; j < m; ++j) masks_[c][j] = sets_[j].class_bits(static_cast<RegClass>(c));
  }
  num_chunks_ = (m + kChunk - 1) / kChunk;
  if (num_chunks_ == 0) return;
  const uint32_t levels = FloorLog2(num_chunks_) + 1;
  for (int c = 0; c < kNumRegClasses; ++c) {
    std::vector<uint64_t>& t = table_[c];
    t.resize(static_cast<size_t>(levels) * num_chunks_);
    const std::vector<uint64_t>& masks = masks_[c];
    for (uint32_t k = 0; k < num_chunks_; ++k) {
      uint64_t x = 0;
      const uint32_t end = k * kChunk + kChunk < m ? k * kChunk + kChunk : m;
      for (uint32_t j = k * kChunk; j < end; ++j) x |= masks[j];
      t[k] = x;
    }
    for (uint32_t l = 1; l < levels; ++l) {
      const uint64_t* prev = t.data() + (l - 1) * num_chunks_;
      uint64_t* cur = t.data() + l * num_chunks_;
      const uint32_t half = 1u << (l - 1);
      // Entries whose span would run past the end are never read.
      for (uint32_t k = 0; k + 2 * half <= num_chunks_; ++k) cur[k] = prev[k] | prev[k + half];
    }
  }
}

uint64_t BlockedRegs::Ranks(uint32_t lo, uint32_t hi, int c) const {
  const uint64_t* masks = masks_[c].data();
  uint64_t x = 0;
  // Short runs (most live ranges) are cheaper to OR than to look up.
  if (hi - lo <= 2 * kChunk) {
    for (uint32_t j = lo; j < hi; ++j) x |= masks[j];
    return x;
  }
  // Whole chunks [cl, ch) from two overlapping table entries; the partial chunks directly.
  const uint32_t cl = (lo + kChunk - 1) >> kChunkLog, ch = hi >> kChunkLog;
  for (uint32_t j = lo; j < (cl << kChunkLog); ++j) x |= masks[j];
  for (uint32_t j = ch << kChunkLog; j < hi; ++j) x |= masks[j];
  const uint32_t l = FloorLog2(ch - cl);
  const uint64_t* t = table_[c].data() + static_cast<size_t>(l) * num_chunks_;
  return x | t[cl] | t[ch - (1u << l)];
}

}  // namespace lathe::regalloc
