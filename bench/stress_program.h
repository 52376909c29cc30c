// The generated stress mix that //bench:regalloc allocates (and //bench:regalloc_lowered compares
// lowered code with): a random allocator input of about `target_insts` instructions from a fixed
// seed, 14 int and 16 float registers, loops within 6 blocks, and random_program.h's default
// constraint mix. The same size always gives the same function.
#pragma once

#include <cstdint>

#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::bench {

void MakeStressProgram(int64_t target_insts, regalloc::Function* fn, regalloc::MachineEnv* env);

}  // namespace lathe::bench
