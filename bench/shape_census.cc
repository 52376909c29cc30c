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
// dropped ones is printed. Beside each shape's count, how often it is its block's first
// instruction: blocks start with instructions that read no value of their own block (constants,
// loads), and a use there must read another block's value. Beside the shapes: block sizes by how
// the block ends, parameter counts by predecessor count, the share of branching blocks with two
// or more successors, where uses find their values (another block when they had a value of their
// own block to read, a value another block already read and how many such reads back, the
// entry's, or how many instructions back in the same block) and where branch arguments find
// theirs. Blocks that only carry a split
// critical edge (one jump, from a block with several successors) are left out of the block size,
// parameter and successor counts, because the generator adds those itself when it splits edges.
// The header comment of the output adds what the generator reproduces without a table of its
// own: how concentrated cross-block uses are, and the block layout (topological for forward
// edges, split-edge blocks after their predecessor).
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
#include "regalloc/dominators.h"
#include "regalloc/function.h"
#include "regalloc/liveness.h"
#include "regalloc/validate.h"
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
constexpr uint32_t kMaxCrossReads = 16;  // the last bucket of reads per value holds this many and more
constexpr uint32_t kMaxReuseDistance = 256;  // the last bucket of reuse distances holds this and more

struct Census {
  absl::flat_hash_map<std::string, std::pair<uint64_t, InstTemplate>> shapes;
  // Per shape key: instructions that come first in their block (the entry stub aside).
  absl::flat_hash_map<std::string, uint64_t> first_shapes;
  uint64_t insts = 0, too_many_operands = 0, small_clobbers = 0;
  // Block sizes by ending (jump, conditional branch, return); parameter counts by one or more
  // predecessors.
  std::vector<uint64_t> block_sizes[3], params[2], clobber_sizes;
  uint64_t split_params = 0, split_blocks = 0, cond_edges = 0, branch_blocks = 0, cond_branch_blocks = 0, wide_branch_blocks = 0, return_blocks = 0;
  uint64_t uses = 0, cross_uses = 0, entry_uses = 0;
  // Uses that could have read a value of their class defined earlier in their block, and those of
  // them that read another block's value all the same (the rest of the cross-block uses had no
  // choice: the first instructions of a block).
  uint64_t uses_with_local = 0, cross_uses_with_local = 0;
  // Branch arguments, and those reading a value of the branching block (for a split-edge block,
  // of its predecessor).
  uint64_t branch_args = 0, local_branch_args = 0;
  // Block layout: functions whose block order is topological for the forward edges, and where
  // each split-edge block sits: right after its predecessor, after the predecessor's other split
  // blocks (its run), right before its successor.
  uint64_t functions = 0, topological = 0, split_after_pred = 0, split_in_pred_run = 0, split_before_succ = 0;
  // Cross-block operand uses: reading a value of the entry stub's successor (see Count);
  // reading a value that an earlier instruction (in block order) already read from another
  // block; distinct values so read, and those of the entry (stub or successor); values read from
  // another block by operands or branch arguments, of all defined; per function the uses going
  // to its most-read value.
  uint64_t body_entry_uses = 0, repeat_cross_uses = 0, cross_values = 0, entry_cross_values = 0, crossing_values = 0,
           top_value_uses = 0, defined_values = 0;
  // [k]: values read from other blocks by k + 1 operands (the last entry: that many or more).
  std::vector<uint64_t> cross_reads_per_value = std::vector<uint64_t>(kMaxCrossReads, 0);
  // [k]: repeated cross-block reads whose value's previous cross-block read was k + 1 such reads
  // earlier in the function (block order): how local the reuse of long-lived values is.
  std::vector<uint64_t> reuse_distances = std::vector<uint64_t>(kMaxReuseDistance, 0);
  // Live-in values summed over blocks, and blocks; the same for functions of 1,000+ instructions.
  uint64_t live_in = 0, live_blocks = 0, big_live_in = 0, big_live_blocks = 0;
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

// Whether every block but the entry has a predecessor earlier in block order and every later
// predecessor is dominated by the block (a loop back edge).
bool TopologicalLayout(const regalloc::Function& fn, const regalloc::Dominators& dom) {
  for (uint32_t b = 1; b < fn.blocks.size(); ++b) {
    const regalloc::Block& bl = fn.blocks[b];
    bool earlier = false;
    for (uint32_t p = bl.preds_begin; p < bl.preds_end; ++p) {
      const uint32_t pred = fn.preds[p];
      if (pred < b) {
        earlier = true;
      } else if (!dom.Dominates(b, pred)) {
        return false;
      }
    }
    if (!earlier) return false;
  }
  return true;
}


void CountLayout(const regalloc::Function& fn, Census* c) {
  regalloc::Dominators dom;
  ++c->functions;
  if (dom.Compute(fn) == regalloc::Dominators::kAllReachable && TopologicalLayout(fn, dom)) ++c->topological;
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    if (!IsSplitEdge(fn, b)) continue;
    const uint32_t pred = fn.preds[fn.blocks[b].preds_begin], succ = fn.succs[fn.blocks[b].succs_begin];
    if (pred + 1 == b) ++c->split_after_pred;
    if (succ == b + 1) ++c->split_before_succ;
    bool run = pred < b;
    for (uint32_t x = pred + 1; x < b && run; ++x) run = IsSplitEdge(fn, x) && fn.preds[fn.blocks[x].preds_begin] == pred;
    if (run) ++c->split_in_pred_run;
  }
}

void Count(const regalloc::Function& fn, const regalloc::MachineEnv& env, Census* c) {
  CountLayout(fn, c);
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
  // The x86-64 lowering's entry block is a stub: it defines the arguments in their registers and
  // passes them to the parameters of the IR entry block (its only successor, which has no other
  // predecessor). Together the two are the generator's entry block.
  const regalloc::Block& entry = fn.blocks[0];
  uint32_t body_entry = kNoInst;
  if (entry.succs_end - entry.succs_begin == 1) {
    const regalloc::Block& next = fn.blocks[fn.succs[entry.succs_begin]];
    if (next.preds_end - next.preds_begin == 1) body_entry = fn.succs[entry.succs_begin];
  }
  // Per value: operands reading it from another block; whether another block reads it at all.
  std::vector<uint32_t> cross_reads(fn.num_vregs, 0), last_read(fn.num_vregs, 0);
  uint32_t read_seq = 0;
  std::vector<uint8_t> crossing(fn.num_vregs, 0);
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const regalloc::Block& bl = fn.blocks[b];
    // A split-edge block's arguments are its predecessor's to pass.
    const uint32_t home = IsSplitEdge(fn, b) ? fn.preds[bl.preds_begin] : b;
    for (uint32_t a = fn.edge_args_begin[bl.succs_begin]; a < fn.edge_args_begin[bl.succs_end]; ++a) {
      if (def_block[fn.edge_args[a]] != b) crossing[fn.edge_args[a]] = 1;
      ++c->branch_args;
      if (def_block[fn.edge_args[a]] == home) ++c->local_branch_args;
    }
  }
  for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
    const regalloc::Block& bl = fn.blocks[b];
    const uint32_t nsuccs = bl.succs_end - bl.succs_begin;
    // The generator gives split-edge blocks no parameters and makes the entry's arguments itself.
    if (b != 0 && b != body_entry && !IsSplitEdge(fn, b)) {
      Bump(c->params[bl.preds_end - bl.preds_begin > 1 ? 1 : 0], bl.params_end - bl.params_begin);
    }
    if (IsSplitEdge(fn, b)) {
      ++c->split_blocks;
      c->split_params += bl.params_end - bl.params_begin;
    } else {
      // The stub holds only the arguments, an instruction the generator makes itself.
      if (b != 0 || body_entry == kNoInst) Bump(c->block_sizes[nsuccs == 0 ? 2 : nsuccs == 1 ? 0 : 1], bl.insts_end - bl.insts_begin - 1);
      if (nsuccs == 0) ++c->return_blocks;
      if (nsuccs >= 1) ++c->branch_blocks;
      if (nsuccs >= 2) ++c->cond_branch_blocks;
      if (nsuccs >= 2) c->cond_edges += nsuccs;
      if (nsuccs >= 3) ++c->wide_branch_blocks;
    }
    // Values of each class the block has defined so far (parameters included).
    uint32_t local[regalloc::kNumRegClasses] = {0, 0, 0};
    for (uint32_t p = bl.params_begin; p < bl.params_end; ++p) ++local[static_cast<int>(fn.vreg_class[fn.params[p]])];
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
          const bool choice = local[static_cast<int>(op.reg_class())] != 0;
          c->uses_with_local += choice ? 1 : 0;

          if (def_block[v] != b) {
            ++c->cross_uses;
            c->cross_uses_with_local += choice ? 1 : 0;
            if (def_block[v] == 0) ++c->entry_uses;
            if (def_block[v] == body_entry) ++c->body_entry_uses;
            ++read_seq;
            if (cross_reads[v]++ != 0) {
              ++c->repeat_cross_uses;
              ++c->reuse_distances[std::min(read_seq - last_read[v], kMaxReuseDistance) - 1];
            } else if (def_block[v] == 0 || def_block[v] == body_entry) {
              ++c->entry_cross_values;
            }
            crossing[v] = 1;
            last_read[v] = read_seq;
          } else {
            ++c->distances[std::min(i - def_inst[v], kMaxDistance) - 1];
          }
        }
      }
      for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) {
        if (fn.operands[k].is_def()) ++local[static_cast<int>(fn.operands[k].reg_class())];
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
      if (i == bl.insts_begin && b != 0) ++c->first_shapes[key];
    }
  }
  uint32_t top = 0;
  for (uint32_t v = 0; v < fn.num_vregs; ++v) {
    c->defined_values += def_block[v] != kNoInst ? 1 : 0;
    c->crossing_values += crossing[v];
    top = std::max(top, cross_reads[v]);
    if (cross_reads[v] == 0) continue;
    ++c->cross_values;
    ++c->cross_reads_per_value[std::min(cross_reads[v], kMaxCrossReads) - 1];
  }
  c->top_value_uses += top;
  regalloc::Validator checked;
  regalloc::Liveness live;
  if (checked.Run(fn, env, /*record_exposed=*/true).ok() && live.Compute(fn, checked).ok()) {
    const bool big = fn.insts.size() >= 1000;
    for (uint32_t b = 0; b < fn.blocks.size(); ++b) {
      c->live_in += live.live_in(b).size();
      if (big) c->big_live_in += live.live_in(b).size();
    }
    c->live_blocks += fn.blocks.size();
    if (big) c->big_live_blocks += fn.blocks.size();
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
              "// conditional), %llu returning, %llu split critical edges (not counted in block sizes or\n"
              "// parameter counts; their parameters: %llu). Block sizes leave out the entry stub, parameter\n"
              "// counts the stub's successor too (the arguments).\n",
              static_cast<unsigned long long>(c.branch_blocks), static_cast<unsigned long long>(c.cond_branch_blocks),
              static_cast<unsigned long long>(c.wide_branch_blocks), static_cast<unsigned long long>(c.return_blocks),
              static_cast<unsigned long long>(c.split_blocks), static_cast<unsigned long long>(c.split_params));
  std::printf("// Uses: %llu, %llu reading another block's value, %llu of those the entry block's. Of the %llu\n"
              "// uses that had a value of their class defined earlier in their block, %llu read another block's.\n",
              static_cast<unsigned long long>(c.uses), static_cast<unsigned long long>(c.cross_uses),
              static_cast<unsigned long long>(c.entry_uses), static_cast<unsigned long long>(c.uses_with_local),
              static_cast<unsigned long long>(c.cross_uses_with_local));
  auto u = [](uint64_t x) { return static_cast<unsigned long long>(x); };
  auto pct = [](uint64_t a, uint64_t b) { return b == 0 ? 0.0 : 100.0 * static_cast<double>(a) / static_cast<double>(b); };
  std::printf("// The entry block is the lowering's stub: it defines the arguments and passes them to the IR\n"
              "// entry block's parameters as branch arguments, so no operand reads its values (real, not a\n"
              "// counting error). %llu cross-block uses (%.1f%%) read a value of the stub's successor, the IR\n"
              "// entry block, which with the stub makes up the generator's entry block.\n",
              u(c.body_entry_uses), pct(c.body_entry_uses, c.cross_uses));
  std::printf("// Cross-block uses go to few values: %llu distinct values (%.1f uses each; %.1f per 100\n"
              "// instructions); %llu uses (%.1f%%) read a value an earlier instruction in block order already read\n"
              "// from another block; %.1f%% go to each function's most-read value; of the values read from\n"
              "// another block, %llu (%.1f%%) are the entry's (stub or its successor). Values read from another\n"
              "// block by an operand or a branch argument: %llu of %llu defined (%.1f%%).\n",
              u(c.cross_values), c.cross_values == 0 ? 0.0 : static_cast<double>(c.cross_uses) / static_cast<double>(c.cross_values),
              pct(c.cross_values, c.insts), u(c.repeat_cross_uses), pct(c.repeat_cross_uses, c.cross_uses),
              pct(c.top_value_uses, c.cross_uses), u(c.entry_cross_values), pct(c.entry_cross_values, c.cross_values),
              u(c.crossing_values), u(c.defined_values), pct(c.crossing_values, c.defined_values));
  std::printf("// Branch arguments: %llu, %llu (%.1f%%) reading a value of the branching block (for a\n"
              "// split-edge block, of its predecessor).\n",
              u(c.branch_args), u(c.local_branch_args), pct(c.local_branch_args, c.branch_args));
  std::printf("// Values live into a block, per block: %.2f; in functions of 1,000+ instructions %.2f.\n",
              c.live_blocks == 0 ? 0.0 : static_cast<double>(c.live_in) / static_cast<double>(c.live_blocks),
              c.big_live_blocks == 0 ? 0.0 : static_cast<double>(c.big_live_in) / static_cast<double>(c.big_live_blocks));
  std::printf("// Values by operands reading them from other blocks (1, 2, ... %u or more):", kMaxCrossReads);
  for (uint64_t x : c.cross_reads_per_value) std::printf(" %llu", u(x));
  std::printf("\n// Layout: %llu of %llu functions have a block order topological for the forward edges (every\n"
              "// block but the entry has an earlier predecessor, every later one is dominated by it). Of the\n"
              "// %llu split-edge blocks, %llu (%.1f%%) follow their predecessor directly, %llu (%.1f%%) follow it\n"
              "// or its other split-edge blocks, %llu (%.1f%%) directly precede their successor.\n\n",
              u(c.topological), u(c.functions), u(c.split_blocks), u(c.split_after_pred), pct(c.split_after_pred, c.split_blocks),
              u(c.split_in_pred_run), pct(c.split_in_pred_run, c.split_blocks), u(c.split_before_succ),
              pct(c.split_before_succ, c.split_blocks));
  struct Shape {
    uint64_t n, first;
    const InstTemplate* t;
  };
  std::vector<Shape> all;
  for (const auto& [key, entry] : c.shapes) {
    const auto it = c.first_shapes.find(key);
    all.push_back({entry.first, it == c.first_shapes.end() ? 0 : it->second, &entry.second});
  }
  // Most frequent first; ties in a fixed order so the output does not depend on hashing.
  std::sort(all.begin(), all.end(), [](const Shape& a, const Shape& b) {
    if (a.n != b.n) return a.n > b.n;
    return std::lexicographical_compare(reinterpret_cast<const uint8_t*>(a.t),
                                        reinterpret_cast<const uint8_t*>(a.t) + sizeof(InstTemplate),
                                        reinterpret_cast<const uint8_t*>(b.t),
                                        reinterpret_cast<const uint8_t*>(b.t) + sizeof(InstTemplate));
  });
  std::printf("constexpr regalloc::InstTemplate kLoweredShapeTable[] = {\n");
  for (TemplateKind kind : {TemplateKind::kOrdinary, TemplateKind::kJump, TemplateKind::kCondBranch, TemplateKind::kReturn}) {
    uint64_t total = 0, kept = 0, kept_shapes = 0, shapes = 0;
    for (const auto& [n, first, t] : all) {
      if (t->kind != kind) continue;
      total += n;
      ++shapes;
    }
    for (const auto& [n, first, t] : all) {
      if (t->kind != kind || static_cast<double>(kept) >= kCoverage * static_cast<double>(total)) continue;
      kept += n;
      ++kept_shapes;
      std::printf("    {%llu, %llu, %s, %s, %u, {", static_cast<unsigned long long>(n), static_cast<unsigned long long>(first), KindName(kind),
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
  PrintWeights("kLoweredJumpBlockSizeWeights", c.block_sizes[0]);
  PrintWeights("kLoweredCondBlockSizeWeights", c.block_sizes[1]);
  PrintWeights("kLoweredReturnBlockSizeWeights", c.block_sizes[2]);
  PrintWeights("kLoweredOnePredParamWeights", c.params[0]);
  PrintWeights("kLoweredJoinParamWeights", c.params[1]);
  PrintWeights("kLoweredUseDistanceWeights", c.distances);
  PrintWeights("kLoweredReuseDistanceWeights", c.reuse_distances);
  std::printf("constexpr uint32_t kLoweredCondBranchPermille = %u;\n", Permille(c.cond_branch_blocks, c.branch_blocks));
  std::printf("constexpr uint32_t kLoweredSplitEdgePermille = %u;\n", Permille(c.split_blocks, c.cond_edges));
  std::printf("constexpr uint32_t kLoweredCrossBlockUsePermille = %u;\n", Permille(c.cross_uses_with_local, c.uses_with_local));
  std::printf("constexpr uint32_t kLoweredRepeatCrossUsePermille = %u;\n", Permille(c.repeat_cross_uses, c.cross_uses));
  std::printf("constexpr uint32_t kLoweredEntryValuePermille = %u;\n", Permille(c.entry_cross_values, c.cross_values));
  std::printf("constexpr uint32_t kLoweredLocalBranchArgPermille = %u;\n", Permille(c.local_branch_args, c.branch_args));
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
