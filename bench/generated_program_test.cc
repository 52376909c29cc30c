#include "bench/generated_program.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <utility>
#include <vector>

#include "bench/lowered_shapes.h"
#include "gtest/gtest.h"
#include "regalloc/allocation.h"
#include "regalloc/checker.h"
#include "regalloc/random_program.h"
#include "regalloc/regalloc.h"
#include "regalloc/validate.h"

namespace lathe::bench {
namespace {

using regalloc::Algorithm;
using regalloc::Constraint;
using regalloc::InstTemplate;
using regalloc::OperandKind;
using regalloc::ProgramTemplates;
using regalloc::RandomProgramOptions;
using regalloc::TemplateKind;

uint64_t Sum(const uint32_t* w, size_t n) {
  uint64_t s = 0;
  for (size_t k = 0; k < n; ++k) s += w[k];
  return s;
}

TEST(LoweredShapesTest, TableIsWellFormed) {
  const ProgramTemplates& t = LoweredShapes();
  ASSERT_GT(t.num_insts, 0u);
  uint64_t weights[4] = {0, 0, 0, 0};
  for (size_t k = 0; k < t.num_insts; ++k) {
    const InstTemplate& it = t.insts[k];
    weights[static_cast<int>(it.kind)] += it.weight;
    ASSERT_LE(it.num_operands, regalloc::kMaxTemplateOperands) << "template " << k;
    for (int j = 0; j < it.num_operands; ++j) {
      const regalloc::OperandTemplate& op = it.operands[j];
      if (op.constraint == Constraint::kReuse) {
        ASSERT_EQ(op.kind, OperandKind::kDef) << "template " << k;
        ASSERT_LT(op.payload, it.num_operands) << "template " << k;
        EXPECT_EQ(it.operands[op.payload].kind, OperandKind::kUse) << "template " << k;
        EXPECT_EQ(it.operands[op.payload].reg_class, op.reg_class) << "template " << k;
      }
      if (it.kind != TemplateKind::kOrdinary) {
        EXPECT_EQ(op.kind, OperandKind::kUse) << "template " << k;
      }
    }
  }
  for (int kind = 0; kind < 4; ++kind) EXPECT_GT(weights[kind], 0u) << "no template of kind " << kind;
  for (int k = 0; k < 3; ++k) EXPECT_GT(Sum(t.block_size_weights[k], t.num_block_sizes[k]), 0u) << "block sizes " << k;
  for (int k = 0; k < 2; ++k) EXPECT_GT(Sum(t.param_weights[k], t.num_param_counts[k]), 0u) << "parameters " << k;
  EXPECT_GT(Sum(t.use_distance_weights, t.num_use_distances), 0u);
  EXPECT_GT(Sum(t.reuse_distance_weights, t.num_reuse_distances), 0u);
  EXPECT_LE(t.cond_branch_permille, 1000u);
  EXPECT_LE(t.split_edge_permille, 1000u);
  EXPECT_LE(t.cross_block_use_permille, 1000u);
  EXPECT_LE(t.repeat_cross_use_permille, 1000u);
  EXPECT_LE(t.entry_value_permille, 1000u);
  EXPECT_LE(t.local_branch_arg_permille, 1000u);
}

// Operands equal to the template's, with the fixed register at the template's position.
bool Matches(const regalloc::Function& fn, const regalloc::MachineEnv& env, const regalloc::Inst& inst,
             const InstTemplate& t) {
  if (inst.operands_end - inst.operands_begin != t.num_operands || (inst.clobbers != 0) != t.call_clobbers) return false;
  for (int j = 0; j < t.num_operands; ++j) {
    const regalloc::Operand& op = fn.operands[inst.operands_begin + j];
    const regalloc::OperandTemplate& o = t.operands[j];
    if (op.kind() != o.kind || op.pos() != o.pos || op.reg_class() != o.reg_class || op.constraint() != o.constraint) {
      return false;
    }
    if (o.constraint == Constraint::kFixedReg && op.fixed_reg() != env.regs[static_cast<int>(o.reg_class)][o.payload]) {
      return false;
    }
    if (o.constraint == Constraint::kReuse && op.reuse_index() != o.payload) return false;
  }
  return true;
}

const InstTemplate kLoneDef = {1, 1, TemplateKind::kOrdinary, false, 1,
                                {{OperandKind::kDef, regalloc::OperandPos::kLate, regalloc::RegClass::kInt, Constraint::kReg, 0}}};

// Each ordinary template alone (with the table's terminators) gives valid programs made of it.
TEST(LoweredShapesTest, EveryTemplateGivesValidPrograms) {
  const ProgramTemplates& table = LoweredShapes();
  std::vector<InstTemplate> terminators;
  for (size_t k = 0; k < table.num_insts; ++k) {
    if (table.insts[k].kind != TemplateKind::kOrdinary) terminators.push_back(table.insts[k]);
  }
  regalloc::Function fn;
  regalloc::MachineEnv env;
  for (size_t k = 0; k < table.num_insts; ++k) {
    if (table.insts[k].kind != TemplateKind::kOrdinary) continue;
    std::vector<InstTemplate> one = terminators;
    one.push_back(table.insts[k]);
    ProgramTemplates t = table;
    t.insts = one.data();
    t.num_insts = one.size();
    RandomProgramOptions o;
    o.num_int_regs = 14;
    o.num_float_regs = 16;
    o.num_blocks = 20;
    o.templates = &t;
    regalloc::GenerateRandomProgram(k, o, &fn, &env);
    ASSERT_TRUE(regalloc::ValidateFunction(fn, env).ok()) << "template " << k << ": " << regalloc::ValidateFunction(fn, env);
    uint32_t ordinary = 0, matching = 0;
    for (const regalloc::Block& b : fn.blocks) {
      // The entry's first instruction holds the function's arguments, not a template.
      for (uint32_t i = b.insts_begin + (&b == &fn.blocks[0] ? 1 : 0); i + 1 < b.insts_end; ++i) {
        ++ordinary;
        if (Matches(fn, env, fn.insts[i], table.insts[k])) {
          ++matching;
        } else {
          ASSERT_TRUE(Matches(fn, env, fn.insts[i], kLoneDef)) << "template " << k << " inst " << i;
        }
      }
    }
    // Near the entry there may be too few distinct values for a call's fixed arguments; those
    // instructions fall back to a lone Reg def.
    EXPECT_GT(ordinary, 0u) << "template " << k;
    EXPECT_GE(matching, ordinary * 9 / 10) << "template " << k;
  }
}

// Template-mode programs of several sizes and register files pass the validator, both allocators
// and the checker.
TEST(LoweredShapesTest, ProgramsAllocateAndCheck) {
  regalloc::Function fn;
  regalloc::MachineEnv env;
  regalloc::RegisterAllocator ra;
  regalloc::Allocation alloc;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    RandomProgramOptions o;
    o.templates = &LoweredShapes();
    o.num_blocks = 1 + static_cast<uint32_t>(seed % 40);
    // Small register files leave out templates with fixed registers beyond them.
    o.num_int_regs = seed % 3 == 0 ? 5 : 14;
    o.num_float_regs = seed % 3 == 0 ? 2 : 16;
    o.scratch = seed % 2 == 0;
    o.loop_span = static_cast<uint32_t>(seed % 7);
    regalloc::GenerateRandomProgram(seed, o, &fn, &env);
    ASSERT_TRUE(regalloc::ValidateFunction(fn, env).ok()) << "seed " << seed << ": " << regalloc::ValidateFunction(fn, env);
    for (Algorithm a : {Algorithm::kSinglePass, Algorithm::kOptimizing}) {
      alloc.Clear();
      absl::Status s = ra.Allocate(fn, env, a, &alloc);
      ASSERT_TRUE(s.ok()) << "seed " << seed << ": " << s;
      absl::Status c = regalloc::CheckAllocation(fn, env, alloc);
      ASSERT_TRUE(c.ok()) << "seed " << seed << ": " << c;
    }
  }
}

// Whether block a dominates block b, by the definition: b cannot be reached from the entry
// without passing through a.
bool DominatesByReachability(const regalloc::Function& fn, uint32_t a, uint32_t b) {
  if (a == b || a == 0) return true;
  std::vector<uint8_t> seen(fn.blocks.size(), 0);
  std::vector<uint32_t> work = {0};
  seen[0] = 1;
  seen[a] = 1;  // removed
  while (!work.empty()) {
    const uint32_t x = work.back();
    work.pop_back();
    if (x == b) return false;
    for (uint32_t s = fn.blocks[x].succs_begin; s < fn.blocks[x].succs_end; ++s) {
      if (!seen[fn.succs[s]]) {
        seen[fn.succs[s]] = 1;
        work.push_back(fn.succs[s]);
      }
    }
  }
  return true;
}

// Irreducible: some edge that a depth-first search finds going back to a block on its stack
// does not go to a dominator (a reducible graph has no such edge, whatever the search order).
bool Irreducible(const regalloc::Function& fn) {
  const uint32_t nb = static_cast<uint32_t>(fn.blocks.size());
  std::vector<uint8_t> state(nb, 0);  // 0 unseen, 1 on the stack, 2 done
  std::vector<std::pair<uint32_t, uint32_t>> stack = {{0, fn.blocks[0].succs_begin}};
  state[0] = 1;
  while (!stack.empty()) {
    auto& [b, next] = stack.back();
    if (next == fn.blocks[b].succs_end) {
      state[b] = 2;
      stack.pop_back();
      continue;
    }
    const uint32_t s = fn.succs[next++];
    if (state[s] == 1 && !DominatesByReachability(fn, s, b)) return true;
    if (state[s] == 0) {
      state[s] = 1;
      stack.push_back({s, fn.blocks[s].succs_begin});
    }
  }
  return false;
}

// Template mode lays blocks out as lowered code is: every block but the entry has a predecessor
// earlier in block order, and every later predecessor is dominated by the block (a loop back
// edge). The second half is impossible for an irreducible CFG; template mode makes none, as
// lowered Sightglass code has none (checked apart, so a failure says which part broke).
TEST(LoweredShapesTest, BlockOrderIsTopologicalForForwardEdges) {
  regalloc::Function fn;
  regalloc::MachineEnv env;
  int irreducible = 0;
  const int kSeeds = 300;
  for (int seed = 0; seed < kSeeds; ++seed) {
    RandomProgramOptions o;
    o.templates = &LoweredShapes();
    o.num_blocks = 2 + static_cast<uint32_t>(seed % 30);
    o.num_int_regs = 14;
    o.num_float_regs = 16;
    o.loop_span = static_cast<uint32_t>(seed % 7);
    regalloc::GenerateRandomProgram(static_cast<uint64_t>(seed), o, &fn, &env);
    const bool reducible = !Irreducible(fn);
    irreducible += reducible ? 0 : 1;
    for (uint32_t b = 1; b < fn.blocks.size(); ++b) {
      bool earlier = false;
      for (uint32_t p = fn.blocks[b].preds_begin; p < fn.blocks[b].preds_end; ++p) {
        const uint32_t pred = fn.preds[p];
        if (pred < b) {
          earlier = true;
        } else if (reducible) {
          ASSERT_TRUE(DominatesByReachability(fn, b, pred)) << "seed " << seed << ": block " << b << ", later predecessor " << pred;
        }
      }
      ASSERT_TRUE(earlier) << "seed " << seed << ": block " << b << " has no earlier predecessor";
    }
  }
  EXPECT_EQ(irreducible, 0) << "of " << kSeeds;
}

// Operands reading another block's value (uses, branch arguments aside), in block order; of the
// uses with a value of their class defined earlier in their block, those reading another block's;
// repeated reads whose value's previous such read was at most kNearReads such reads back.
constexpr uint32_t kNearReads = 8;
struct CrossUses {
  uint64_t uses = 0, cross = 0, repeat = 0, distinct = 0, with_local = 0, cross_with_local = 0, near_repeat = 0;
};

CrossUses CountCrossUses(const regalloc::Function& fn) {
  std::vector<uint32_t> def_block(fn.num_vregs, 0);
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const regalloc::Block& bl = fn.blocks[b];
    for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) def_block[fn.params[p]] = b;
    for (uint32_t k = fn.insts[bl.insts_begin].operands_begin; k < fn.insts[bl.insts_end - 1].operands_end; ++k) {
      if (fn.operands[k].is_def()) def_block[fn.operands[k].vreg()] = b;
    }
  }
  CrossUses c;
  std::vector<uint32_t> reads(fn.num_vregs, 0), last_read(fn.num_vregs, 0);
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const regalloc::Block& bl = fn.blocks[b];
    uint32_t local[regalloc::kNumRegClasses] = {0, 0, 0};
    for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) ++local[static_cast<int>(fn.vreg_class[fn.params[p]])];
    for (uint32_t i = bl.insts_begin; i < bl.insts_end; ++i) {
      const regalloc::Inst& inst = fn.insts[i];
      for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
        const regalloc::Operand& op = fn.operands[k];
        if (!op.is_use()) continue;
        ++c.uses;
        const bool choice = local[static_cast<int>(op.reg_class())] != 0;
        c.with_local += choice ? 1 : 0;
        if (def_block[op.vreg()] == b) continue;
        ++c.cross;
        c.cross_with_local += choice ? 1 : 0;
        if (reads[op.vreg()]++ == 0) {
          ++c.distinct;
        } else {
          ++c.repeat;
          c.near_repeat += c.cross - last_read[op.vreg()] <= kNearReads ? 1 : 0;
        }
        last_read[op.vreg()] = static_cast<uint32_t>(c.cross);
      }
      for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
        if (fn.operands[k].is_def()) ++local[static_cast<int>(fn.operands[k].reg_class())];
      }
    }
  }
  return c;
}

// The benchmark's 10,000-instruction function reads other blocks' values as often as the table
// says where it has a choice, and mostly values already read from another block (few distinct
// long-lived values), read again about as soon as the table says (which bounds how far values
// live).
TEST(GeneratedProgramTest, LoweredShapesCrossBlockUsesFollowTable) {
  regalloc::Function fn;
  regalloc::MachineEnv env;
  MakeGeneratedProgram(GeneratedMix::kLoweredShapes, 10000, &fn, &env);
  const ProgramTemplates& t = LoweredShapes();
  const CrossUses c = CountCrossUses(fn);
  ASSERT_GT(c.cross, 0u);
  ASSERT_GT(c.with_local, 0u);
  const double cross_share = static_cast<double>(c.cross_with_local) / static_cast<double>(c.with_local);
  const double repeat_share = static_cast<double>(c.repeat) / static_cast<double>(c.cross);
  std::printf("cross-block uses %.3f of all (%.3f without a choice), %.3f of those with a choice (table %.3f); "
              "repeats %.3f (table %.3f)\n",
              static_cast<double>(c.cross) / static_cast<double>(c.uses),
              static_cast<double>(c.uses - c.with_local) / static_cast<double>(c.uses), cross_share,
              t.cross_block_use_permille / 1000.0, repeat_share, t.repeat_cross_use_permille / 1000.0);
  EXPECT_NEAR(cross_share, t.cross_block_use_permille / 1000.0, 0.03);
  EXPECT_NEAR(repeat_share, t.repeat_cross_use_permille / 1000.0, 0.08);
  const double near_share = static_cast<double>(c.near_repeat) / static_cast<double>(c.repeat);
  const double table_near = static_cast<double>(Sum(t.reuse_distance_weights, std::min<size_t>(kNearReads, t.num_reuse_distances))) /
                            static_cast<double>(Sum(t.reuse_distance_weights, t.num_reuse_distances));
  std::printf("repeats at most %u reads back: %.3f (table %.3f)\n", kNearReads, near_share, table_near);
  EXPECT_NEAR(near_share, table_near, 0.08);
}

// The benchmark's functions: near the requested size, valid, and made of the table's shapes.
TEST(GeneratedProgramTest, LoweredShapesMixAtBenchmarkSizes) {
  regalloc::Function fn;
  regalloc::MachineEnv env;
  for (int64_t size : {1000, 10000}) {
    MakeGeneratedProgram(GeneratedMix::kLoweredShapes, size, &fn, &env);
    ASSERT_TRUE(regalloc::ValidateFunction(fn, env).ok()) << regalloc::ValidateFunction(fn, env);
    EXPECT_GT(fn.insts.size(), static_cast<size_t>(size) / 2);
    EXPECT_LT(fn.insts.size(), static_cast<size_t>(size) * 2);
    const ProgramTemplates& t = LoweredShapes();
    size_t matched = 0;
    for (const regalloc::Inst& inst : fn.insts) {
      for (size_t k = 0; k < t.num_insts; ++k) {
        if (Matches(fn, env, inst, t.insts[k])) {
          ++matched;
          break;
        }
      }
    }
    // All but the entry's argument instruction.
    EXPECT_EQ(matched + 1, fn.insts.size());
  }
}

}  // namespace
}  // namespace lathe::bench
