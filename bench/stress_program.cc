#include "bench/stress_program.h"

#include "regalloc/random_program.h"

namespace lathe::bench {

void MakeStressProgram(int64_t target_insts, regalloc::Function* fn, regalloc::MachineEnv* env) {
  regalloc::RandomProgramOptions o;
  // About 7 instructions per generated block (split edges included); loops stay local.
  o.num_blocks = static_cast<uint32_t>(target_insts / 7.5);
  o.max_insts_per_block = 8;
  o.num_int_regs = 14;
  o.num_float_regs = 16;
  o.loop_span = 6;
  regalloc::GenerateRandomProgram(42, o, fn, env);
  // Rescale the block count once so the size lands near the target.
  o.num_blocks = static_cast<uint32_t>(static_cast<double>(o.num_blocks) * static_cast<double>(target_insts) /
                                       static_cast<double>(fn->insts.size()));
  regalloc::GenerateRandomProgram(42, o, fn, env);
}

}  // namespace lathe::bench
