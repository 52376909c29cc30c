// Loop nesting depth per block, from natural loops of the back edges found by an iterative DFS.
// Used to weight spill costs (a use inside a loop counts more).
#pragma once

#include <cstdint>
#include <vector>

#include "regalloc/function.h"

namespace lathe::regalloc {

// Fills depth[b] for every block (0 outside loops). Blocks must be reachable from block 0.
void ComputeLoopDepth(const Function& fn, std::vector<uint32_t>* depth);

}  // namespace lathe::regalloc
