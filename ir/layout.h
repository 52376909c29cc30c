// Program order: the sequence of blocks in a function and of instructions in each block, as
// doubly linked lists over entity indexes. Every instruction carries a sequence number that
// grows along its block, so "does a come before b" is a constant-time comparison; insertion
// takes the midpoint of its neighbours' numbers and renumbers the block only when they touch.
#ifndef LATHE_IR_LAYOUT_H_
#define LATHE_IR_LAYOUT_H_

#include <cstdint>
#include <vector>

#include "ir/entities.h"

namespace lathe::ir {

class Layout {
 public:
  // Blocks.
  void AppendBlock(Block b);
  void InsertBlockAfter(Block b, Block after);
  void RemoveBlock(Block b);  // the block must be empty
  bool IsBlockInserted(Block b) const { return b.index() < blocks_.size() && blocks_[b.index()].inserted; }
  Block first_block() const { return first_block_; }
  Block last_block() const { return last_block_; }
  Block next_block(Block b) const { return blocks_[b.index()].next; }
  Block prev_block(Block b) const { return blocks_[b.index()].prev; }
  Block entry_block() const { return first_block_; }
  size_t num_blocks_inserted() const { return num_blocks_; }

  // Instructions.
  void AppendInst(Inst i, Block b);
  void InsertInstBefore(Inst i, Inst before);
  void RemoveInst(Inst i);
  bool IsInstInserted(Inst i) const { return i.index() < insts_.size() && insts_[i.index()].block.valid(); }
  Block inst_block(Inst i) const { return i.index() < insts_.size() ? insts_[i.index()].block : Block(); }
  Inst first_inst(Block b) const { return blocks_[b.index()].first; }
  Inst last_inst(Block b) const { return blocks_[b.index()].last; }
  Inst next_inst(Inst i) const { return insts_[i.index()].next; }
  Inst prev_inst(Inst i) const { return insts_[i.index()].prev; }
  // True when a and b are in the same block and a is strictly earlier.
  bool InstBefore(Inst a, Inst b) const {
    const InstNode& na = insts_[a.index()];
    const InstNode& nb = insts_[b.index()];
    return na.block == nb.block && na.seq < nb.seq;
  }

 private:
  struct BlockNode {
    Block prev, next;
    Inst first, last;
    bool inserted = false;
  };
  struct InstNode {
    Block block;
    Inst prev, next;
    uint32_t seq = 0;
  };
  void GrowBlocks(Block b);
  void GrowInsts(Inst i);
  void Renumber(Block b);

  std::vector<BlockNode> blocks_;
  std::vector<InstNode> insts_;
  Block first_block_, last_block_;
  size_t num_blocks_ = 0;
};

}  // namespace lathe::ir

#endif  // LATHE_IR_LAYOUT_H_
