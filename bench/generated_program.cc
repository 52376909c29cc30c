#include "bench/generated_program.h"

#include <algorithm>
#include <cmath>

#include "bench/lowered_shapes.h"
#include "regalloc/random_program.h"

namespace lathe::bench {

const char* GeneratedMixName(GeneratedMix mix) {
  switch (mix) {
    case GeneratedMix::kStress: return "stress";
    case GeneratedMix::kX64Shaped: return "x64_shaped";
    case GeneratedMix::kLoweredShapes: return "lowered_shapes";
  }
  return "?";
}

void MakeGeneratedProgram(GeneratedMix mix, int64_t target_insts, regalloc::Function* fn, regalloc::MachineEnv* env) {
  regalloc::RandomProgramOptions o;
  o.max_insts_per_block = 8;
  o.num_int_regs = 14;
  o.num_float_regs = 16;
  o.loop_span = 6;
  if (mix == GeneratedMix::kX64Shaped) {
    o.max_insts_per_block = 7;
    o.max_params = 1;
    o.call_percent = 2;
    o.fixed_percent = 3;
    o.stack_percent = 0;
    o.reuse_percent = 45;
    o.late_percent = 0;
    o.float_percent = 1;
    o.max_uses = 2;
    o.max_defs = 2;
    o.any_use_percent = 0;
    o.any_def_percent = 0;
    o.stack_def_percent = 0;
    o.early_def_percent = 3;
    o.clobber_percent = 0;
    o.outer_value_percent = 5;
  } else if (mix == GeneratedMix::kLoweredShapes) {
    o.templates = &LoweredShapes();
  }
  // A first guess at the block count from the average block size, then one rescale so the size
  // lands near the target.
  o.num_blocks = static_cast<uint32_t>(target_insts / 7.5);
  regalloc::GenerateRandomProgram(42, o, fn, env);
  o.num_blocks = static_cast<uint32_t>(static_cast<double>(o.num_blocks) * static_cast<double>(target_insts) /
                                       static_cast<double>(fn->insts.size()));
  regalloc::GenerateRandomProgram(42, o, fn, env);
  // The measured block sizes have a long tail (blocks of hundreds of instructions), so one rescale
  // can miss by a fifth; rescale until within 5%. The other mixes keep their single rescale so
  // their functions stay the same.
  for (int k = 0; k < 8 && mix == GeneratedMix::kLoweredShapes &&
                  std::abs(static_cast<double>(fn->insts.size()) - static_cast<double>(target_insts)) >
                      0.05 * static_cast<double>(target_insts);
       ++k) {
    o.num_blocks = std::max<uint32_t>(1, static_cast<uint32_t>(static_cast<double>(o.num_blocks) *
                                                               static_cast<double>(target_insts) /
                                                               static_cast<double>(fn->insts.size())));
    regalloc::GenerateRandomProgram(42, o, fn, env);
  }
}

}  // namespace lathe::bench
