// Which IR instructions the x86-64 lowering must emit: use counts with dead pure instructions
// removed (a worklist, so chains of dead code go in linear time), and side-effect colours.
#include <array>

#include "ir/opcode.h"
#include "isa/x64/lowerer.h"

namespace lathe::x64::lowering {
namespace {

constexpr uint16_t kEffects = ir::kTerm | ir::kBranch | ir::kCall | ir::kReturn | ir::kLoad | ir::kStore |
                              ir::kTrap | ir::kSide;

enum Kind : uint8_t { kPure, kEffectful, kPlainLoad };  // kPlainLoad: removable when notrap

// Per opcode, from the opcode table (a constant, so this initialization may read it); looked
// at for every instruction.
const std::array<uint8_t, 256> kKinds = [] {
  std::array<uint8_t, 256> k{};
  for (int op = 0; op < ir::kNumOpcodes; ++op) {
    const ir::OpcodeInfo& info = ir::Info(static_cast<ir::Opcode>(op));
    k[op] = (info.flags & kEffects) == 0                                                   ? kPure
            : info.format == ir::Format::kLoad && info.flags == (ir::kLoad | ir::kTrap) ? kPlainLoad
                                                                                          : kEffectful;
  }
  return k;
}();

}  // namespace

bool Lowerer::Removable(ir::Inst i) const {
  const ir::InstData& d = dfg_.inst(i);
  uint8_t kind = kKinds[static_cast<uint8_t>(d.opcode)];
  // A plain load that cannot trap (`notrap`) only reads memory.
  return kind == kPure || (kind == kPlainLoad && !d.flags.trap.valid());
}

void Lowerer::CountUses(const std::vector<bool>& reachable) {
  uses_.assign(dfg_.num_values(), 0);
  colour_.assign(dfg_.num_insts(), 0);
  for (ir::Block b = f_.layout.first_block(); b.valid(); b = f_.layout.next_block(b)) {
    if (!reachable[b.index()]) continue;
    uint32_t colour = 0;
    for (ir::Inst i = f_.layout.first_inst(b); i.valid(); i = f_.layout.next_inst(i)) {
      colour_[i.index()] = colour;
      if (kKinds[static_cast<uint8_t>(dfg_.inst(i).opcode)] != kPure) ++colour;
      for (ir::Value v : dfg_.args(i)) {
        if (dfg_.value(v).kind == ir::ValueData::kAlias) v = dfg_.Resolve(v);
        ++uses_[v.index()];
      }
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
