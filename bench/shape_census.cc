// Census of the instruction shapes in the machine functions the x86-64 backend lowers from the
// Sightglass modules (bench/lowered_functions.h), printed on stdout as the C++ data file
// bench/lowered_shapes.inc: the regalloc::ProgramTemplates tables of the generator's template
// mode (regalloc/random_program.h). Regenerate with
//   bazel run -c opt //bench:shape_census > bench/lowered_shapes.inc
//
// A shape is the instruction's kind (ordinary, jump, conditional branch, return), whether it has a
// clobber set, and its ordered operands: use/def, early/late, class, constraint, and for FixedReg
// the register's position in the environment's preference order, for Reuse the input index. Per
// kind the commonest shapes covering 99% of the kind's instructions are kept; the share of the
// dropped ones is printed. Beside the shapes: block sizes and parameter counts, the share of
// branching blocks with two or more successors, and where uses find their values (another block,
// the entry block, or how many instructions back in the same block). Blocks that only carry a
// split critical edge (one jump, from a block with several successors) are left out of the block
// size and successor counts, because the generator adds those itself when it splits edges.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "bench/lowered_functions.h"
#include "regalloc/function.h"
#include "regalloc/machine_env.h"
#include "regalloc/random_program.h"

namespace lathe::bench {
namespace {

using regalloc::Constraint;
using regalloc::InstTemplate;
using regalloc::OperandTemplate;
using regalloc::TemplateKind;

constexpr double kCoverage = 0.99;
constexpr uint32_t kMaxDistance = 32;  // the last distance bucket holds this distance and more
constexpr uint32_t kNoInst = 0xffffffffu;
constexpr int kCallLikeClobbers = 8;  // clobber sets of this many registers or more are calls'.

struct Census {
  absl::flat_hash_map<std::string, std::pair<uint64_t, InstTemplate>> shapes;
  uint64_t insts = 0, too_many_operands = 0, small_clobbers = 0;
  std::vector<uint64_t> block_sizes, params, clobber_sizes;
  uint64_t split_blocks = 0, cond_edges = 0, branch_blocks = 0, cond_branch_blocks = 0, wide_branch_blocks = 0, return_blocks = 0;
  uint64_t uses = 0, cross_uses = 0, entry_uses = 0;
  std::vector<uint64_t> distances = std::vector<uint64_t>(kMaxDistance, 0);
};

void Bump(std::vector<uint64_t>& h, size_t k) {
  if (h.size() <= k) h.resize(k + 1, 0);
  ++h[k];
}

// A block that only carries a split critical edge: a lone jump from a block with several successors.
bool IsSplitEdge(const regalloc::Function& fn, uint32_t b) {
  const regalloc::Block& bl = fn.blocks[b];
  if (bl.insts_end - bl.insts_begin != 1 || bl.succs_end - bl.succs_begin != 1 || bl.preds_end - bl.preds_begin != 1) {
    return false;
  }
  const regalloc::Block& pred = fn.blocks[fn.preds[bl.preds_begin]];
  return pred.succs_end - pred.succs_begin >= 2;
}

void Count(const regalloc::Function& fn, const regalloc::MachineEnv& env, Census* c) {
  std::vector<uint32_t> def_block(fn.num_vregs, kNoInst), def_inst(fn.num_vregs, kNoInst);
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const regalloc::Block& bl = fn.blocks[b];
    // Parameters count as defined just before the block's first instruction.
    for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) {
      def_block[fn.params[p]] = b;
      def_inst[fn.params[p]] = bl.insts_begin - 1;
    }
    for (uint32_t i = bl.insts_begin; i < bl.insts_end; ++i) {
      for (uint32_t k = fn.insts[i].operands_begin; k < fn.insts[i].operands_end; ++k) {
        const regalloc::Operand& op = fn.operands[k];
        if (op.is_def()) {
          def_block[op.vreg()] = b;
          def_inst[op.vreg()] = i;
        }
      }
    }
  }
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const regalloc::Block& bl = fn.blocks[b];
    const uint32_t nsuccs = bl.succs_end - bl.succs_begin;
    if (b != 0) Bump(c->params, bl.params_end - bl.params_begin);
    if (IsSplitEdge(fn, b)) {
      ++c->split_blocks;
    } else {
      Bump(c->block_sizes, bl.insts_end - bl.insts_begin - 1);
      if (nsuccs == 0) ++c->return_blocks;
      if (nsuccs >= 1) ++c->branch_blocks;
      if (nsuccs >= 2) ++c->cond_branch_blocks;
      if (nsuccs >= 2) c->cond_edges += nsuccs;
      if (nsuccs >= 3) ++c->wide_branch_blocks;
    }
    for (uint32_t i = bl.insts_begin; i < bl.insts_end; ++i) {
      const regalloc::Inst& inst = fn.insts[i];
      ++c->insts;
      InstTemplate t{};
      t.kind = (inst.flags & regalloc::kInstReturn) != 0   ? TemplateKind::kReturn
               : (inst.flags & regalloc::kInstBranch) == 0 ? TemplateKind::kOrdinary
               : nsuccs >= 2                               ? TemplateKind::kCondBranch
                                                           : TemplateKind::kJump;
      const int clobbered = inst.clobbers == 0 ? 0
                                               : __builtin_popcountll(fn.clobber_sets[inst.clobbers].class_bits(regalloc::RegClass::kInt)) +
                                                     __builtin_popcountll(fn.clobber_sets[inst.clobbers].class_bits(regalloc::RegClass::kFloat)) +
                                                     __builtin_popcountll(fn.clobber_sets[inst.clobbers].class_bits(regalloc::RegClass::kVector));
      Bump(c->clobber_sizes, static_cast<size_t>(clobbered));
      // Calls clobber every caller-saved register; a small set (division's rax or rdx) is another
      // shape, which the generator has no template field for: counted apart below.
      t.call_clobbers = clobbered >= kCallLikeClobbers;
      const bool small_clobbers = clobbered != 0 && !t.call_clobbers;
      const uint32_t n = inst.operands_end - inst.operands_begin;
      for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
        const regalloc::Operand& op = fn.operands[k];
        if (op.is_use()) {
          ++c->uses;
          const uint32_t v = op.vreg();
          if (def_block[v] != b) {
            ++c->cross_uses;
            if (def_block[v] == 0) ++c->entry_uses;
          } else {
            ++c->distances[std::min(i - def_inst[v], kMaxDistance) - 1];
          }
        }
      }
      if (n > static_cast<uint32_t>(regalloc::kMaxTemplateOperands)) {
        ++c->too_many_operands;
        continue;
      }
      if (small_clobbers) {
        ++c->small_clobbers;
        continue;
      }
      t.num_operands = static_cast<uint8_t>(n);
      std::string key(1, static_cast<char>(static_cast<int>(t.kind) * 2 + (t.call_clobbers ? 1 : 0)));
      for (uint32_t k = 0; k < n; ++k) {
        const regalloc::Operand& op = fn.operands[inst.operands_begin + k];
        OperandTemplate& o = t.operands[k];
        o = {op.kind(), op.pos(), op.reg_class(), op.constraint(), 0};
        if (op.constraint() == Constraint::kFixedReg) {
          const auto& regs = env.regs[static_cast<int>(op.reg_class())];
          o.payload = static_cast<uint8_t>(std::find(regs.begin(), regs.end(), op.fixed_reg()) - regs.begin());
        } else if (op.constraint() == Constraint::kReuse) {
          o.payload = static_cast<uint8_t>(op.reuse_index());
        }
        key += static_cast<char>(static_cast<int>(o.kind) | static_cast<int>(o.pos) << 1 |
                                 static_cast<int>(o.reg_class) << 2 | static_cast<int>(o.constraint) << 4);
        key += static_cast<char>(o.payload);
      }
      auto& entry = c->shapes[key];
      if (entry.first++ == 0) entry.second = t;
    }
  }
}

const char* KindName(TemplateKind k) {
  switch (k) {
    case TemplateKind::kOrdinary: return "Ord";
    case TemplateKind::kJump: return "Jump";
    case TemplateKind::kCondBranch: return "Cond";
    case TemplateKind::kReturn: return "Ret";
  }
  return "?";
}

std::string OperandText(const OperandTemplate& o) {
  static const char* const kConstraints[] = {"Any", "Reg", "Stack", "Fixed", "Reuse"};
  static const char* const kClasses[] = {"I", "F", "V"};
  return std::string("{") + (o.kind == regalloc::OperandKind::kUse ? "U" : "D") + ", " +
         (o.pos == regalloc::OperandPos::kEarly ? "E" : "L") + ", " + kClasses[static_cast<int>(o.reg_class)] + ", " +
         kConstraints[static_cast<int>(o.constraint)] + ", " + std::to_string(o.payload) + "}";
}

void PrintWeights(const char* name, const std::vector<uint64_t>& h) {
  std::printf("constexpr uint32_t %s[] = {", name);
  for (size_t k = 0; k < h.size(); ++k) {
    std::printf("%s%llu,", k % 16 == 0 ? "\n    " : " ", static_cast<unsigned long long>(h[k]));
  }
  std::printf("\n};\n");
}

uint32_t Permille(uint64_t a, uint64_t b) { return b == 0 ? 0 : static_cast<uint32_t>((1000 * a + b / 2) / b); }

void Print(const Census& c, const LoweredSource& src) {
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
  std::printf("// Generated by `bazel run -c opt //bench:shape_census > bench/lowered_shapes.inc` on %s\n", date);
  std::printf("// (bench/shape_census.cc says what is counted). Do not edit: measured data, not tuned.\n");
  std::printf("// Source: %zu lowered Sightglass functions, %llu instructions (%llu functions left out).\n",
              src.inputs.size(), static_cast<unsigned long long>(c.insts), static_cast<unsigned long long>(src.rejected));
  std::printf("// Operands: {use/def, early/late, class, constraint, fixed-register position or reuse input}.\n");
  std::printf("// Clobber set sizes (registers: instructions):");
  for (size_t k = 0; k < c.clobber_sizes.size(); ++k) {
    if (c.clobber_sizes[k] != 0) std::printf(" %zu: %llu", k, static_cast<unsigned long long>(c.clobber_sizes[k]));
  }
  std::printf("\n// Left out of the shapes: %llu instructions with more than %d operands, %llu with a clobber set\n"
              "// of fewer than %d registers (not a call's).\n",
              static_cast<unsigned long long>(c.too_many_operands), regalloc::kMaxTemplateOperands,
              static_cast<unsigned long long>(c.small_clobbers), kCallLikeClobbers);
  std::printf("// Blocks: %llu ending in a branch, %llu of them with 2+ successors (%llu with 3+, counted as\n"
              "// conditional), %llu returning, %llu split critical edges (not counted in block sizes).\n",
              static_cast<unsigned long long>(c.branch_blocks), static_cast<unsigned long long>(c.cond_branch_blocks),
              static_cast<unsigned long long>(c.wide_branch_blocks), static_cast<unsigned long long>(c.return_blocks),
              static_cast<unsigned long long>(c.split_blocks));
  std::printf("// Uses: %llu, %llu reading another block's value, %llu of those the entry block's.\n\n",
              static_cast<unsigned long long>(c.uses), static_cast<unsigned long long>(c.cross_uses),
              static_cast<unsigned long long>(c.entry_uses));
  std::vector<std::pair<uint64_t, const InstTemplate*>> all;
  for (const auto& [key, entry] : c.shapes) all.emplace_back(entry.first, &entry.second);
  // Most frequent first; ties in a fixed order so the output does not depend on hashing.
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return std::lexicographical_compare(reinterpret_cast<const uint8_t*>(a.second),
                                        reinterpret_cast<const uint8_t*>(a.second) + sizeof(InstTemplate),
                                        reinterpret_cast<const uint8_t*>(b.second),
                                        reinterpret_cast<const uint8_t*>(b.second) + sizeof(InstTemplate));
  });
  std::printf("constexpr regalloc::InstTemplate kLoweredShapeTable[] = {\n");
  for (TemplateKind kind : {TemplateKind::kOrdinary, TemplateKind::kJump, TemplateKind::kCondBranch, TemplateKind::kReturn}) {
    uint64_t total = 0, kept = 0, kept_shapes = 0, shapes = 0;
    for (const auto& [n, t] : all) {
      if (t->kind != kind) continue;
      total += n;
      ++shapes;
    }
    for (const auto& [n, t] : all) {
      if (t->kind != kind || static_cast<double>(kept) >= kCoverage * static_cast<double>(total)) continue;
      kept += n;
      ++kept_shapes;
      std::printf("    {%llu, %s, %s, %u, {", static_cast<unsigned long long>(n), KindName(kind),
                  t->call_clobbers ? "true" : "false", t->num_operands);
      for (int k = 0; k < t->num_operands; ++k) std::printf("%s%s", k ? ", " : "", OperandText(t->operands[k]).c_str());
      std::printf("}},  // %.2f%%\n", 100.0 * static_cast<double>(n) / static_cast<double>(c.insts));
    }
    std::printf("    // %s: %llu instructions in %llu shapes; kept %llu shapes; dropped %llu instructions (%.2f%% of all)\n",
                KindName(kind), static_cast<unsigned long long>(total), static_cast<unsigned long long>(shapes),
                static_cast<unsigned long long>(kept_shapes), static_cast<unsigned long long>(total - kept),
                100.0 * static_cast<double>(total - kept) / static_cast<double>(c.insts));
  }
  std::printf("};\n\n");
  PrintWeights("kLoweredBlockSizeWeights", c.block_sizes);
  PrintWeights("kLoweredParamWeights", c.params);
  PrintWeights("kLoweredUseDistanceWeights", c.distances);
  std::printf("constexpr uint32_t kLoweredCondBranchPermille = %u;\n", Permille(c.cond_branch_blocks, c.branch_blocks));
  std::printf("constexpr uint32_t kLoweredSplitEdgePermille = %u;\n", Permille(c.split_blocks, c.cond_edges));
  std::printf("constexpr uint32_t kLoweredCrossBlockUsePermille = %u;\n", Permille(c.cross_uses, c.uses));
  std::printf("constexpr uint32_t kLoweredEntryValuePermille = %u;\n", Permille(c.entry_uses, c.cross_uses));
}

}  // namespace
}  // namespace lathe::bench

int main() {
  using namespace lathe::bench;
  std::unique_ptr<lathe::isa::TargetIsa> target = HostIsa();
  if (target == nullptr) {
    std::fprintf(stderr, "shape_census: needs an x86-64 host\n");
    return 1;
  }
  LoweredCollector collector(*target);
  LoweredSource sightglass;
  CollectSightglass(collector, &sightglass);
  if (sightglass.inputs.empty()) {
    std::fprintf(stderr, "shape_census: no Sightglass functions (run through bazel run)\n");
    return 1;
  }
  Census census;
  for (const MachineInput& in : sightglass.inputs) Count(in.fn, in.env, &census);
  Print(census, sightglass);
  return 0;
}
