#include "bench/generated_program.h"

#include "regalloc/random_program.h"

namespace lathe::bench {

const char* GeneratedMixName(GeneratedMix mix) { return mix == GeneratedMix::kStress ? "stress" : "x64_shaped"; }

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
  }
  // A first guess at the block count from the average block size, then one rescale so the size
  // lands near the target.
  o.num_blocks = static_cast<uint32_t>(target_insts / 7.5);
  regalloc::GenerateRandomProgram(42, o, fn, env);
  o.num_blocks = static_cast<uint32_t>(static_cast<double>(o.num_blocks) * static_cast<double>(target_insts) /
                                       static_cast<double>(fn->insts.size()));
  regalloc::GenerateRandomProgram(42, o, fn, env);
}

}  // namespace lathe::bench
