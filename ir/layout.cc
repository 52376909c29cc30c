#include "ir/layout.h"

#include "absl/base/internal/raw_logging.h"

namespace lathe::ir {
namespace {
constexpr uint32_t kStride = 16;
}  // namespace

void Layout::GrowBlocks(Block b) {
  if (b.index() >= blocks_.size()) blocks_.resize(b.index() + 1);
}

void Layout::GrowInsts(Inst i) {
  if (i.index() >= insts_.size()) insts_.resize(i.index() + 1);
}

void Layout::AppendBlock(Block b) {
  GrowBlocks(b);
  BlockNode& n = blocks_[b.index()];
  ABSL_RAW_CHECK(!n.inserted, "block inserted twice");
  n.inserted = true;
  n.prev = last_block_;
  n.next = Block();
  if (last_block_.valid()) {
    blocks_[last_block_.index()].next = b;
  } else {
    first_block_ = b;
  }
  last_block_ = b;
  ++num_blocks_;
}

void Layout::InsertBlockAfter(Block b, Block after) {
  GrowBlocks(b);
  ABSL_RAW_CHECK(!blocks_[b.index()].inserted && IsBlockInserted(after), "bad block insertion");
  Block next = blocks_[after.index()].next;
  BlockNode& n = blocks_[b.index()];
  n.inserted = true;
  n.prev = after;
  n.next = next;
  blocks_[after.index()].next = b;
  if (next.valid()) {
    blocks_[next.index()].prev = b;
  } else {
    last_block_ = b;
  }
  ++num_blocks_;
}

void Layout::RemoveBlock(Block b) {
  BlockNode& n = blocks_[b.index()];
  ABSL_RAW_CHECK(n.inserted && !n.first.valid(), "removing a non-empty or absent block");
  if (n.prev.valid()) blocks_[n.prev.index()].next = n.next; else first_block_ = n.next;
  if (n.next.valid()) blocks_[n.next.index()].prev = n.prev; else last_block_ = n.prev;
  n = BlockNode();
  --num_blocks_;
}

void Layout::AppendInst(Inst i, Block b) {
  GrowInsts(i);
  BlockNode& bn = blocks_[b.index()];
  InstNode& n = insts_[i.index()];
  ABSL_RAW_CHECK(!n.block.valid() && bn.inserted, "bad instruction append");
  n.block = b;
  n.prev = bn.last;
  n.next = Inst();
  if (bn.last.valid()) {
    insts_[bn.last.index()].next = i;
    uint32_t last_seq = insts_[bn.last.index()].seq;
    bn.last = i;
    if (last_seq > UINT32_MAX - kStride) {
      Renumber(b);
    } else {
      n.seq = last_seq + kStride;
    }
  } else {
    bn.first = bn.last = i;
    n.seq = kStride;
  }
}

void Layout::InsertInstBefore(Inst i, Inst before) {
  GrowInsts(i);
  InstNode& bn = insts_[before.index()];
  Block b = bn.block;
  InstNode& n = insts_[i.index()];
  ABSL_RAW_CHECK(!n.block.valid() && b.valid(), "bad instruction insertion");
  n.block = b;
  n.next = before;
  n.prev = bn.prev;
  bn.prev = i;
  if (n.prev.valid()) {
    insts_[n.prev.index()].next = i;
  } else {
    blocks_[b.index()].first = i;
  }
  uint32_t lo = n.prev.valid() ? insts_[n.prev.index()].seq : 0;
  uint32_t hi = insts_[before.index()].seq;
  if (hi - lo >= 2) {
    n.seq = lo + (hi - lo) / 2;
  } else {
    Renumber(b);
  }
}

void Layout::RemoveInst(Inst i) {
  InstNode& n = insts_[i.index()];
  BlockNode& bn = blocks_[n.block.index()];
  if (n.prev.valid()) insts_[n.prev.index()].next = n.next; else bn.first = n.next;
  if (n.next.valid()) insts_[n.next.index()].prev = n.prev; else bn.last = n.prev;
  n = InstNode();
}

void Layout::Renumber(Block b) {
  uint32_t seq = kStride;
  for (Inst i = blocks_[b.index()].first; i.valid(); i = insts_[i.index()].next) {
    insts_[i.index()].seq = seq;
    seq += kStride;
  }
}

}  // namespace lathe::ir
