#include "bench/lowered_shapes.h"

#include <cstdint>
#include <iterator>

namespace lathe::bench {
namespace {

// The short names the generated table is written in.
using regalloc::RegClass;
constexpr regalloc::OperandKind U = regalloc::OperandKind::kUse, D = regalloc::OperandKind::kDef;
constexpr regalloc::OperandPos E = regalloc::OperandPos::kEarly, L = regalloc::OperandPos::kLate;
constexpr RegClass I = RegClass::kInt, F = RegClass::kFloat, V = RegClass::kVector;
constexpr regalloc::Constraint Any = regalloc::Constraint::kAny, Reg = regalloc::Constraint::kReg,
                               Stack = regalloc::Constraint::kStack, Fixed = regalloc::Constraint::kFixedReg,
                               Reuse = regalloc::Constraint::kReuse;
constexpr regalloc::TemplateKind Ord = regalloc::TemplateKind::kOrdinary, Jump = regalloc::TemplateKind::kJump,
                                 Cond = regalloc::TemplateKind::kCondBranch, Ret = regalloc::TemplateKind::kReturn;

#include "bench/lowered_shapes.inc"

}  // namespace

const regalloc::ProgramTemplates& LoweredShapes() {
  static constexpr regalloc::ProgramTemplates kTable = {
      kLoweredShapeTable,         std::size(kLoweredShapeTable),
      {kLoweredJumpBlockSizeWeights, kLoweredCondBlockSizeWeights, kLoweredReturnBlockSizeWeights},
      {std::size(kLoweredJumpBlockSizeWeights), std::size(kLoweredCondBlockSizeWeights),
       std::size(kLoweredReturnBlockSizeWeights)},
      {kLoweredOnePredParamWeights, kLoweredJoinParamWeights},
      {std::size(kLoweredOnePredParamWeights), std::size(kLoweredJoinParamWeights)},
      kLoweredCondBranchPermille, kLoweredSplitEdgePermille,
      kLoweredCrossBlockUsePermille, kLoweredRepeatCrossUsePermille, kLoweredEntryValuePermille,
      kLoweredLocalBranchArgPermille,
      kLoweredUseDistanceWeights, std::size(kLoweredUseDistanceWeights),
      kLoweredReuseDistanceWeights, std::size(kLoweredReuseDistanceWeights),
  };
  return kTable;
}

}  // namespace lathe::bench
