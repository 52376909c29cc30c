// Random allocator inputs for tests, benchmarks and fuzzing.
//
// Generates a valid Function and MachineEnv from a seed: a random CFG with forward jumps and loops
// (back edges), critical edges split, SSA values drawn from dominating definitions (dominator tree
// by Cooper-Harvey-Kennedy), block parameters with branch arguments, call-like instructions with
// fixed arguments, a fixed result and a clobber set, and random Any/Reg/Stack/Fixed/Reuse
// constraints with early and late positions, kept within what the register file can satisfy.
// The same seed and options always give the same program.
//
// Template mode (options.templates set): instead of drawing operand counts and constraints per
// operand, every instruction copies the operand list of a template drawn by weight (a measured
// table of instruction shapes, e.g. bench/lowered_shapes.h), filled with dominating values of the
// right class and new vregs for defs; block sizes (by how the block ends), parameters (by
// predecessor count; none on split-edge blocks), conditional branches, a block's first
// instruction and where uses and branch arguments find their values follow the table, including
// how few values take the uses that read another block. The CFG is reducible and laid out as
// lowered code is: reverse postorder, each block added to split an edge right after its
// predecessor (with its other such blocks), so block order is topological for the forward
// edges. Without templates the generator is unchanged.
#pragma once

#include <cstddef>
#include <cstdint>

#include "regalloc/function.h"
#include "regalloc/machine_env.h"

namespace lathe::regalloc {

// One operand of an instruction template.
struct OperandTemplate {
  OperandKind kind;
  OperandPos pos;
  RegClass reg_class;
  Constraint constraint;
  // FixedReg: the register's position in the environment's preference order (regs[class]);
  // Reuse: the input operand's index. Otherwise 0.
  uint8_t payload;
};

inline constexpr int kMaxTemplateOperands = 12;

enum class TemplateKind : uint8_t {
  kOrdinary,    // not a terminator
  kJump,        // branch to one successor
  kCondBranch,  // branch to two or more successors
  kReturn,
};

struct InstTemplate {
  uint32_t weight;
  // Weight among the first instructions of blocks (which can read only parameters of their own
  // block): a block's first ordinary instruction is drawn by this one.
  uint32_t first_weight;
  TemplateKind kind;
  bool call_clobbers;  // clobbers the generator's call set (caller-saved registers)
  uint8_t num_operands;
  OperandTemplate operands[kMaxTemplateOperands];
};

// A measured table of instruction shapes with the block and value facts measured beside it.
// Histograms are weights by index; the last entry of use_distance_weights stands for that
// distance or more.
struct ProgramTemplates {
  const InstTemplate* insts;
  size_t num_insts;
  // [k]: blocks of k + 1 instructions, terminator included, by how they end: a jump, a
  // conditional branch, a return (lowered code's one-instruction blocks are nearly all jumps).
  const uint32_t* block_size_weights[3];
  size_t num_block_sizes[3];
  // [k]: blocks (but the entry and split-edge blocks) with k parameters, for blocks with one
  // predecessor and with several (parameters mostly sit at joins).
  const uint32_t* param_weights[2];
  size_t num_param_counts[2];
  // Of the blocks (not counting split critical edges) that end in a branch, per mille with two
  // or more successors.
  uint32_t cond_branch_permille;
  // Edges out of blocks with several successors that get a block of their own (a jump) even when
  // they are not critical, per mille.
  uint32_t split_edge_permille;
  // Of the uses (operands, not branch arguments) that could read a value of their class defined
  // earlier in their block, per mille reading another block's value instead (the others have no
  // choice); of all uses reading another block's value, per mille reading one that an earlier
  // instruction (in block order) already read from another block (see reuse_distance_weights);
  // of the values read from another block, per mille defined in the entry block.
  uint32_t cross_block_use_permille;
  uint32_t repeat_cross_use_permille;
  uint32_t entry_value_permille;
  // Branch arguments reading a value of the branching block (for a split-edge block, of its
  // predecessor), per mille.
  uint32_t local_branch_arg_permille;
  const uint32_t* use_distance_weights;  // [k]: same-block uses of the value defined k + 1 instructions back
  size_t num_use_distances;
  // [k]: repeated cross-block reads whose value was last read from another block k + 1 such reads
  // earlier: a few values read again and again, mostly close together (the last entry: that
  // distance or more).
  const uint32_t* reuse_distance_weights;
  size_t num_reuse_distances;
};

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
  // Template mode (see above) when set: only num_blocks, the register counts, scratch and
  // loop_span above still apply. Templates the environment cannot satisfy are skipped.
  const ProgramTemplates* templates = nullptr;
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
