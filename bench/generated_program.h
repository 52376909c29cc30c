// The generated allocator inputs that //bench:regalloc allocates and //bench:regalloc_lowered sets
// beside lowered code: one random function of about `target_insts` instructions from a fixed
// seed (the same size always gives the same function), 14 int and 16 float registers, loops
// within 6 blocks, in one of three operand mixes:
//   kStress     random_program.h's default mix, harder than real code on purpose: a fifth of the
//               operands Any, 7% Stack, 17% fixed, late uses, clobbers on 10% of instructions,
//               a quarter of the values crossing blocks;
//   kX64Shaped  the mix measured on what the x86-64 backend lowers from Sightglass (docs/regalloc.md,
//               "On lowered code"): Reg operands with two-address reuses, a few fixed operands and
//               calls, no Any or Stack operands, no late uses;
//   kLoweredShapes  every instruction copies the operand list of an instruction shape of lowered
//               Sightglass code, drawn by its measured frequency (bench/lowered_shapes.h), with
//               the measured block sizes, block parameters, conditional branches and distances
//               from uses to their definitions.
#pragma once

#include <cstdint>

#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::bench {

enum class GeneratedMix { kStress, kX64Shaped, kLoweredShapes };

const char* GeneratedMixName(GeneratedMix mix);

void MakeGeneratedProgram(GeneratedMix mix, int64_t target_insts, regalloc::Function* fn, regalloc::MachineEnv* env);

}  // namespace lathe::bench
