#include "bench/generated_program.h"

#include <cstdint>
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
  EXPECT_GT(Sum(t.block_size_weights, t.num_block_sizes), 0u);
  EXPECT_GT(Sum(t.param_weights, t.num_param_counts), 0u);
  EXPECT_GT(Sum(t.use_distance_weights, t.num_use_distances), 0u);
  EXPECT_LE(t.cond_branch_permille, 1000u);
  EXPECT_LE(t.split_edge_permille, 1000u);
  EXPECT_LE(t.cross_block_use_permille, 1000u);
  EXPECT_LE(t.entry_value_permille, 1000u);
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

const InstTemplate kLoneDef = {1, TemplateKind::kOrdinary, false, 1,
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
