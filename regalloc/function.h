// The function the register allocator works on, as flat arrays the client fills directly.
//
// Instructions are numbered 0..N-1; block b owns the contiguous range [insts_begin, insts_end),
// blocks tile the instruction numbers in block order, and every block ends with its only
// terminator (branch or return). Block 0 is the entry and has no parameters and no predecessors.
// Values are virtual registers (vregs) 0..num_vregs-1 in SSA form: each is defined once, by an
// operand def or a block parameter, and its definition dominates its uses. A branch passes
// arguments to its successors' parameters: the arguments of the edge to succs[s] are
// edge_args[edge_args_begin[s] .. edge_args_begin[s+1]). No edge may be critical (from a block
// with several successors to one with several predecessors). Terminators with successors may
// only use operands constrained to Any or Reg and define nothing.
// Clobber sets are pooled: Inst::clobbers indexes clobber_sets, whose entry 0 must be the empty
// set, so calls share one set.
#pragma once

#include <cstdint>
#include <vector>

#include "regalloc/operand.h"
#include "regalloc/preg.h"

namespace lathe::regalloc {

struct Block {
  uint32_t insts_begin = 0, insts_end = 0;
  uint32_t succs_begin = 0, succs_end = 0;    // into Function::succs (and edge_args_begin)
  uint32_t preds_begin = 0, preds_end = 0;    // into Function::preds
  uint32_t params_begin = 0, params_end = 0;  // into Function::params
};

enum InstFlags : uint8_t { kInstBranch = 1, kInstReturn = 2 };

struct Inst {
  uint32_t operands_begin = 0, operands_end = 0;  // into Function::operands
  uint32_t clobbers = 0;                          // index into Function::clobber_sets
  uint8_t flags = 0;                              // InstFlags
};

struct Function {
  uint32_t num_vregs = 0;
  std::vector<RegClass> vreg_class;  // one per vreg
  std::vector<Block> blocks;
  std::vector<Inst> insts;
  std::vector<Operand> operands;
  std::vector<PRegSet> clobber_sets;
  std::vector<uint32_t> succs;            // block ids
  std::vector<uint32_t> preds;            // block ids
  std::vector<uint32_t> params;           // vregs
  std::vector<uint32_t> edge_args_begin;  // size succs.size() + 1
  std::vector<uint32_t> edge_args;        // vregs

  void Clear();
};

}  // namespace lathe::regalloc
