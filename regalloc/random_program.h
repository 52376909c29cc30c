// Random allocator inputs for tests, benchmarks and fuzzing.
//
// Generates a valid Function and MachineEnv from a seed: a random CFG with forward jumps and loops
// (back edges), critical edges split, SSA values drawn from dominating definitions (dominator tree
// by Cooper-Harvey-Kennedy), block parameters with branch arguments, call-like instructions with
// fixed arguments, a fixed result and a clobber set, and random Any/Reg/Stack/Fixed/Reuse
// constraints with early and late positions, kept within what the register file can satisfy.
// The same seed and options always give the same program.
#pragma once

#include <cstdint>

#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::regalloc {

struct RandomProgramOptions {
  uint32_t num_blocks = 8;            // before critical-edge splitting
  uint32_t max_insts_per_block = 8;   // including the terminator
  uint32_t num_int_regs = 6;          // at least 4
  uint32_t num_float_regs = 4;        // at least 2
  bool scratch = true;
  uint32_t max_params = 3;
  uint32_t loop_span = 0;             // 0: branch targets anywhere; else within +-span blocks
  uint32_t call_percent = 8;
  uint32_t fixed_percent = 12;
  uint32_t stack_percent = 8;
  uint32_t reuse_percent = 15;
  uint32_t late_percent = 10;
  uint32_t float_percent = 25;
  // Shape of ordinary instructions: operand counts, the share of Any operands (the rest of the
  // non-fixed, non-stack ones are Reg), defs written early, instructions with a small clobber set.
  uint32_t max_uses = 3;
  uint32_t max_defs = 2;
  uint32_t any_use_percent = 30;
  uint32_t any_def_percent = 15;
  uint32_t stack_def_percent = 5;
  uint32_t early_def_percent = 10;
  uint32_t clobber_percent = 5;
  // How often an operand reads a value of a dominating block instead of the current one (per step
  // up the dominator tree, at most two steps): the share of values live across blocks.
  uint32_t outer_value_percent = 40;
};

// Small deterministic generator (xorshift64*), also used by tests that mutate allocations.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull) {
    if (s_ == 0) s_ = 1;
  }
  uint64_t Next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1Dull;
  }
  uint32_t Below(uint32_t n) { return n == 0 ? 0 : static_cast<uint32_t>((Next() >> 16) % n); }
  bool Percent(uint32_t p) { return Below(100) < p; }

 private:
  uint64_t s_;
};

void GenerateRandomProgram(uint64_t seed, const RandomProgramOptions& options, Function* fn,
                           MachineEnv* env);

}  // namespace lathe::regalloc
