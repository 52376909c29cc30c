// Loop nesting depth per block, from natural loops of the back edges found by an iterative DFS.
// Used to weight spill costs (a use inside a loop counts more).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "regalloc/function.h"

namespace lathe::regalloc {

class LoopDepth {
 public:
  // Fills depth[b] for every block (0 outside loops). Blocks must be reachable from block 0.
  // The object keeps its scratch buffers across functions.
  void Compute(const Function& fn, std::vector<uint32_t>* depth);

 private:
  std::vector<uint8_t> state_;
  std::vector<std::pair<uint32_t, uint32_t>> stack_;       // (block, next successor index)
  std::vector<std::pair<uint32_t, uint32_t>> back_edges_;  // (latch, header)
  std::vector<uint32_t> pre_, pre_end_, mark_, work_;
};

}  // namespace lathe::regalloc
