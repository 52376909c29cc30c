// Which IR instructions the x86-64 lowering must emit: use counts with dead pure instructions
// removed (a worklist, so chains of dead code go in linear time), and side-effect colours.
#include "ir/opcode.h"
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {
namespace {

constexpr uint16_t kEffects = ir::kTerm | ir::kBranch | ir::kCall | ir::kReturn | ir::kLoad | ir::kStore |
                              ir::kTrap | ir::kSide;

}  // namespace

bool Lowerer::Removable(ir::Inst i) const {
  const ir::InstData& d = dfg_.inst(i);
  const ir::OpcodeInfo& info = ir::Info(d.opcode);
  if ((info.flags & kEffects) == 0) return true;
  // A plain load that cannot trap (`notrap`) only reads memory.
  return info.format == ir::Format::kLoad && info.flags == (ir::kLoad | ir::kTrap) && !d.flags.trap.valid();
}

void Lowerer::CountUses(const std::vector<bool>& reachable) {
  uses_.assign(dfg_.num_values(), 0);
  colour_.assign(dfg_.num_insts(), 0);
  for (ir::Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    if (!reachable[b.index()]) continue;
    uint32_t colour = 0;
    for (ir::Inst i = f_.layout.first_inst(b); i.valid(); i = f_.layout.next_inst(i)) {
      colour_[i.index()] = colour;
      if ((ir::Info(dfg_.inst(i).opcode).flags & kEffects) != 0) ++colour;
      for (ir::Value v : dfg_.args(i)) ++uses_[dfg_.Resolve(v).index()];
      for (uint32_t bc : dfg_.block_calls(i)) {
        for (const ir::BlockArg& a : dfg_.block_call_args(bc)) {
          if (a.kind() == ir::BlockArg::kValue) ++uses_[dfg_.Resolve(a.value()).index()];
        }
      }
    }
  }
  // Dead pure instructions give their operands' uses back; each instruction enters the
  // worklist at most once (when its last used result loses its last use).
  std::vector<ir::Inst> work;
  for (ir::Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    if (!reachable[b.index()]) continue;
    for (ir::Inst i = f_.layout.first_inst(b); i.valid(); i = f_.layout.next_inst(i)) {
      if (Removable(i) && Unused(i)) work.push_back(i);
    }
  }
  while (!work.empty()) {
    ir::Inst i = work.back();
    work.pop_back();
    for (ir::Value v : dfg_.args(i)) {
      v = dfg_.Resolve(v);
      if (!Drop(v) || dfg_.value(v).kind != ir::ValueData::kResult) continue;
      ir::Inst d(dfg_.value(v).owner);
      if (Removable(d) && Unused(d)) work.push_back(d);
    }
  }
}

}  // namespace lathe::x64::lowering
