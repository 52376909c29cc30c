// Builds a Function block by block (tests, tools, simple clients); fills the flat arrays and
// derives predecessor lists. Blocks are built in order; successors may name later blocks.
//
//   FunctionBuilder b;
//   uint32_t v = b.NewVreg(RegClass::kInt);
//   b.StartBlock({});
//   b.AddInst({Operand::FixedDef(v, rax)});
//   b.AddInst({Operand::Use(v, RegClass::kInt, Constraint::kReg)}, 0, kInstReturn);
//   Function fn = b.Finish();
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "regalloc/function.h"

namespace lathe::regalloc {

class FunctionBuilder {
 public:
  FunctionBuilder();

  uint32_t NewVreg(RegClass c);
  // Registers a clobber set and returns its index for AddInst.
  uint32_t AddClobberSet(const PRegSet& set);
  uint32_t StartBlock(std::initializer_list<uint32_t> params);
  uint32_t AddInst(std::initializer_list<Operand> ops, uint32_t clobbers = 0, uint8_t flags = 0);
  // Adds an edge from the current block, in order, with its arguments.
  void AddSucc(uint32_t block, std::initializer_list<uint32_t> args);
  // Ends the last block, computes predecessors and returns the function.
  Function Finish();

 private:
  void EndBlock();

  Function fn_;
  std::vector<std::pair<uint32_t, uint32_t>> edges_;  // (from, to)
  bool open_ = false;
};

}  // namespace lathe::regalloc
