#include "regalloc/random_program.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace lathe::regalloc {
namespace {

constexpr uint32_t kNone = 0xffffffffu;

struct GenInst {
  std::vector<Operand> ops;
  uint32_t clobbers = 0;
  uint8_t flags = 0;
};

class Generator {
 public:
  Generator(uint64_t seed, const RandomProgramOptions& o, Function* fn, MachineEnv* env)
      : rng_(seed), o_(o), fn_(fn), env_(env) {}

  void Run() {
    MakeEnv();
    MakeCfg();
    ComputeDominators();
    MakeParams();
    for (uint32_t b : rpo_) MakeBlock(b);
    Emit();
  }

 private:
  void MakeEnv() {
    for (auto& r : env_->regs) r.clear();
    const uint32_t ni = std::max<uint32_t>(4, std::min<uint32_t>(o_.num_int_regs, 62));
    const uint32_t nf = std::max<uint32_t>(2, std::min<uint32_t>(o_.num_float_regs, 62));
    // Preference order differs from hardware order so both are exercised.
    for (uint32_t k = 0; k < ni; ++k) env_->regs[0].push_back(PReg(RegClass::kInt, (k + 1) % ni));
    for (uint32_t k = 0; k < nf; ++k) env_->regs[1].push_back(PReg(RegClass::kFloat, k));
    for (auto& s : env_->scratch) s = PReg();
    if (o_.scratch) {
      env_->scratch[0] = PReg(RegClass::kInt, static_cast<int>(ni));
      env_->scratch[1] = PReg(RegClass::kFloat, static_cast<int>(nf));
    }
    fn_->Clear();
    fn_->clobber_sets.push_back(PRegSet());
    // Call clobbers: the first half of the int registers and all float registers.
    PRegSet call;
    for (uint32_t k = 0; k < ni / 2 + 1; ++k) call.Add(PReg(RegClass::kInt, k));
    for (uint32_t k = 0; k < nf; ++k) call.Add(PReg(RegClass::kFloat, k));
    fn_->clobber_sets.push_back(call);
  }

  void MakeCfg() {
    const uint32_t n = std::max<uint32_t>(1, o_.num_blocks);
    succs_.assign(n, {});
    for (uint32_t b = 0; b + 1 < n; ++b) {
      if (rng_.Percent(50)) {
        succs_[b] = {b + 1};
      } else {
        uint32_t lo = 1, hi = n - 1;
        if (o_.loop_span) {
          lo = b > o_.loop_span ? b - o_.loop_span : 1;
          hi = std::min(n - 1, b + o_.loop_span);
        }
        const uint32_t t = lo + rng_.Below(hi - lo + 1);
        succs_[b] = rng_.Percent(50) ? std::vector<uint32_t>{b + 1, t} : std::vector<uint32_t>{t, b + 1};
      }
    }
    // Split critical edges with new blocks holding just a jump.
    std::vector<uint32_t> npreds(n, 0);
    for (uint32_t b = 0; b < n; ++b) {
      for (uint32_t s : succs_[b]) ++npreds[s];
    }
    for (uint32_t b = 0; b < n; ++b) {
      if (succs_[b].size() < 2) continue;
      for (uint32_t& s : succs_[b]) {
        if (npreds[s] >= 2) {
          const uint32_t x = static_cast<uint32_t>(succs_.size());
          succs_.push_back({s});
          s = x;
        }
      }
    }
    const uint32_t nb = static_cast<uint32_t>(succs_.size());
    preds_.assign(nb, {});
    for (uint32_t b = 0; b < nb; ++b) {
      for (uint32_t s : succs_[b]) preds_[s].push_back(b);
    }
  }

  void ComputeDominators() {
    const uint32_t nb = static_cast<uint32_t>(succs_.size());
    // Reverse post-order by iterative DFS.
    std::vector<uint32_t> post;
    std::vector<uint8_t> seen(nb, 0);
    std::vector<std::pair<uint32_t, uint32_t>> stack = {{0, 0}};
    seen[0] = 1;
    while (!stack.empty()) {
      auto& [b, next] = stack.back();
      if (next == succs_[b].size()) {
        post.push_back(b);
        stack.pop_back();
        continue;
      }
      const uint32_t s = succs_[b][next++];
      if (!seen[s]) {
        seen[s] = 1;
        stack.push_back({s, 0});
      }
    }
    rpo_.assign(post.rbegin(), post.rend());
    std::vector<uint32_t> order(nb, kNone);
    for (uint32_t k = 0; k < rpo_.size(); ++k) order[rpo_[k]] = k;
    idom_.assign(nb, kNone);
    idom_[0] = 0;
    for (bool changed = true; changed;) {
      changed = false;
      for (uint32_t k = 1; k < rpo_.size(); ++k) {
        const uint32_t b = rpo_[k];
        uint32_t nd = kNone;
        for (uint32_t p : preds_[b]) {
          if (idom_[p] == kNone) continue;
          if (nd == kNone) {
            nd = p;
            continue;
          }
          uint32_t x = p, y = nd;
          while (x != y) {
            while (order[x] > order[y]) x = idom_[x];
            while (order[y] > order[x]) y = idom_[y];
          }
          nd = x;
        }
        if (idom_[b] != nd) {
          idom_[b] = nd;
          changed = true;
        }
      }
    }
  }

  uint32_t NewVreg(RegClass c) {
    fn_->vreg_class.push_back(c);
    return fn_->num_vregs++;
  }

  RegClass RandomClass() { return rng_.Percent(o_.float_percent) ? RegClass::kFloat : RegClass::kInt; }

  void MakeParams() {
    const uint32_t nb = static_cast<uint32_t>(succs_.size());
    params_.assign(nb, {});
    values_.assign(nb, {});
    edge_args_.assign(nb, {});
    for (uint32_t b = 1; b < nb; ++b) {
      const uint32_t np = rng_.Below(o_.max_params + 1);
      for (uint32_t j = 0; j < np; ++j) {
        const uint32_t v = NewVreg(RandomClass());
        params_[b].push_back(v);
        values_[b].push_back(v);
      }
    }
  }

  // A value of class c available at the current point of block b, or kNone.
  uint32_t Pick(uint32_t b, RegClass c) {
    uint32_t x = b;
    for (uint32_t up = rng_.Below(3); up > 0 && x != 0 && rng_.Percent(o_.outer_value_percent); --up) x = idom_[x];
    for (;;) {
      const auto& vs = values_[x];
      // Prefer recent values, as real code does; scan back from a random recent position.
      const uint32_t window = std::min<uint32_t>(static_cast<uint32_t>(vs.size()), 10);
      const uint32_t start = rng_.Below(window);
      for (uint32_t k = 0; k < vs.size(); ++k) {
        const uint32_t v = vs[vs.size() - 1 - (start + k) % vs.size()];
        if (fn_->vreg_class[v] == c) return v;
      }
      if (x == 0) return kNone;
      x = idom_[x];
    }
  }

  const std::vector<PReg>& Regs(RegClass c) const { return env_->regs[static_cast<int>(c)]; }

  // A fixed register of class c not yet used by this instruction, or invalid.
  PReg FreeFixed(RegClass c, const PRegSet& used) {
    const auto& regs = Regs(c);
    const uint32_t start = rng_.Below(static_cast<uint32_t>(regs.size()));
    for (uint32_t k = 0; k < regs.size(); ++k) {
      const PReg r = regs[(start + k) % regs.size()];
      if (!used.Contains(r)) return r;
    }
    return PReg();
  }

  GenInst MakeCall(uint32_t b) {
    GenInst gi;
    gi.clobbers = 1;
    PRegSet used;
    const uint32_t nargs = rng_.Below(3);
    for (uint32_t a = 0; a < nargs; ++a) {
      const uint32_t v = Pick(b, RegClass::kInt);
      if (v == kNone) break;
      const PReg r = Regs(RegClass::kInt)[a];
      used.Add(r);
      gi.ops.push_back(Operand::FixedUse(v, r));
    }
    if (rng_.Percent(30)) {
      const uint32_t v = Pick(b, RegClass::kInt);
      if (v != kNone) gi.ops.push_back(Operand::Use(v, RegClass::kInt, Constraint::kStack));
    }
    const uint32_t d = NewVreg(RegClass::kInt);
    gi.ops.push_back(Operand::FixedDef(d, Regs(RegClass::kInt)[0]));
    pending_defs_.push_back(d);
    if (rng_.Percent(30)) {
      const uint32_t f = NewVreg(RegClass::kFloat);
      gi.ops.push_back(Operand::FixedDef(f, Regs(RegClass::kFloat)[0]));
      pending_defs_.push_back(f);
    }
    return gi;
  }

  GenInst MakeNormal(uint32_t b) {
    GenInst gi;
    PRegSet fixed;
    int need[kNumRegClasses] = {0, 0, 0};
    int late_need[kNumRegClasses] = {0, 0, 0};
    int late_use_need[kNumRegClasses] = {0, 0, 0};
    const bool clobber = rng_.Percent(o_.clobber_percent);
    PRegSet clob;
    if (clobber) {
      // A couple of random registers, chosen first so fixed operands avoid them.
      for (int k = 0; k < 2; ++k) {
        const RegClass c = RandomClass();
        clob.Add(Regs(c)[rng_.Below(static_cast<uint32_t>(Regs(c).size()))]);
      }
      fn_->clobber_sets.push_back(clob);
      gi.clobbers = static_cast<uint32_t>(fn_->clobber_sets.size() - 1);
    }
    auto nregs = [&](RegClass c) { return static_cast<int>(Regs(c).size()); };
    auto nclob = [&](RegClass c) { return __builtin_popcountll(clob.class_bits(c)); };
    const uint32_t nuses = rng_.Below(o_.max_uses + 1);
    for (uint32_t u = 0; u < nuses; ++u) {
      const RegClass c = RandomClass();
      const int ci = static_cast<int>(c);
      const uint32_t v = Pick(b, c);
      if (v == kNone) continue;
      const bool late = !clobber && rng_.Percent(o_.late_percent);
      const uint32_t roll = rng_.Below(100);
      Constraint k = Constraint::kAny;
      if (roll < o_.fixed_percent) {
        k = Constraint::kFixedReg;
      } else if (roll < o_.fixed_percent + o_.stack_percent) {
        k = Constraint::kStack;
      } else if (roll < 100 - o_.any_use_percent) {
        k = Constraint::kReg;
      }
      const bool needs_reg = k == Constraint::kReg || k == Constraint::kFixedReg;
      if (needs_reg && (need[ci] + 1 > nregs(c) ||
                        (late && (late_need[ci] + 1 > nregs(c) || late_use_need[ci] + 1 > nregs(c) - nclob(c))))) {
        k = Constraint::kAny;
      }
      const OperandPos pos = late ? OperandPos::kLate : OperandPos::kEarly;
      if (k == Constraint::kFixedReg) {
        PRegSet avoid = fixed;
        avoid |= clob;
        const PReg r = FreeFixed(c, avoid);
        if (r.valid()) {
          fixed.Add(r);
          gi.ops.push_back(Operand::FixedUse(v, r, pos));
        } else {
          k = Constraint::kReg;
        }
      }
      if (k != Constraint::kFixedReg) gi.ops.push_back(Operand::Use(v, c, k, pos));
      if (k == Constraint::kReg || k == Constraint::kFixedReg) {
        ++need[ci];
        if (late) {
          ++late_need[ci];
          ++late_use_need[ci];
        }
      }
    }
    const uint32_t ndefs = rng_.Below(o_.max_defs + 1) + (gi.ops.empty() ? 1 : 0);
    std::vector<uint8_t> reused(gi.ops.size(), 0);
    for (uint32_t d = 0; d < ndefs; ++d) {
      RegClass c = RandomClass();
      const uint32_t roll = rng_.Below(100);
      if (roll < o_.reuse_percent) {
        // Reuse an early Reg/Fixed use that nobody reuses yet.
        int input = -1;
        for (size_t j = 0; j < reused.size(); ++j) {
          const Operand& u = gi.ops[j];
          if (u.is_use() && u.is_early() && !reused[j] &&
              (u.constraint() == Constraint::kReg || u.constraint() == Constraint::kFixedReg)) {
            input = static_cast<int>(j);
            break;
          }
        }
        if (input >= 0) {
          reused[input] = 1;
          const RegClass rc = gi.ops[input].reg_class();
          const uint32_t v = NewVreg(rc);
          gi.ops.push_back(Operand::ReuseDef(v, rc, static_cast<uint8_t>(input)));
          pending_defs_.push_back(v);
          continue;
        }
      }
      const int ci = static_cast<int>(c);
      Constraint k = Constraint::kReg;
      const uint32_t any_from = 100 - o_.any_def_percent, stack_from = any_from - o_.stack_def_percent;
      if (roll >= any_from) {
        k = Constraint::kAny;
      } else if (roll >= stack_from) {
        k = Constraint::kStack;
      } else if (roll + o_.fixed_percent >= stack_from) {
        k = Constraint::kFixedReg;
      }
      const bool early = k != Constraint::kStack && rng_.Percent(o_.early_def_percent);
      if ((k == Constraint::kReg || k == Constraint::kFixedReg) &&
          (need[ci] + 1 > nregs(c) || late_need[ci] + 1 > nregs(c))) {
        k = Constraint::kAny;
      }
      const uint32_t v = NewVreg(c);
      const OperandPos pos = early ? OperandPos::kEarly : OperandPos::kLate;
      if (k == Constraint::kFixedReg) {
        const PReg r = FreeFixed(c, fixed);
        if (r.valid()) {
          fixed.Add(r);
          gi.ops.push_back(Operand::FixedDef(v, r, pos));
        } else {
          k = Constraint::kAny;
        }
      }
      if (k != Constraint::kFixedReg) gi.ops.push_back(Operand::Def(v, c, k, pos));
      if (k == Constraint::kReg || k == Constraint::kFixedReg) {
        ++need[ci];
        ++late_need[ci];
      }
      pending_defs_.push_back(v);
    }
    return gi;
  }

  void MakeBlock(uint32_t b) {
    auto& insts = block_insts_.emplace_back();
    block_of_.push_back(b);
    const uint32_t n = 1 + rng_.Below(std::max<uint32_t>(1, o_.max_insts_per_block));
    if (b == 0) {
      // Function arguments: fixed int and float registers, plus a stack argument.
      GenInst args;
      args.ops.push_back(Operand::FixedDef(NewVreg(RegClass::kInt), Regs(RegClass::kInt)[0]));
      args.ops.push_back(Operand::FixedDef(NewVreg(RegClass::kInt), Regs(RegClass::kInt)[1]));
      args.ops.push_back(Operand::FixedDef(NewVreg(RegClass::kFloat), Regs(RegClass::kFloat)[0]));
      args.ops.push_back(Operand::Def(NewVreg(RegClass::kInt), RegClass::kInt, Constraint::kStack));
      for (const Operand& op : args.ops) values_[0].push_back(op.vreg());
      insts.push_back(std::move(args));
    }
    for (uint32_t k = 1; k < n; ++k) {
      pending_defs_.clear();
      GenInst gi = rng_.Percent(o_.call_percent) ? MakeCall(b) : MakeNormal(b);
      for (uint32_t v : pending_defs_) values_[b].push_back(v);
      insts.push_back(std::move(gi));
    }
    GenInst term;
    if (succs_[b].empty()) {
      term.flags = kInstReturn;
      if (rng_.Percent(70)) {
        const uint32_t v = Pick(b, RegClass::kInt);
        if (v != kNone) term.ops.push_back(Operand::FixedUse(v, Regs(RegClass::kInt)[0]));
      }
    } else {
      term.flags = kInstBranch;
      if (succs_[b].size() > 1 || rng_.Percent(20)) {
        const uint32_t v = Pick(b, RegClass::kInt);
        if (v != kNone) {
          term.ops.push_back(Operand::Use(v, RegClass::kInt, rng_.Percent(50) ? Constraint::kReg : Constraint::kAny));
        }
      }
      auto& args = edge_args_[b];
      args.assign(succs_[b].size(), {});
      for (size_t s = 0; s < succs_[b].size(); ++s) {
        for (uint32_t p : params_[succs_[b][s]]) args[s].push_back(Pick(b, fn_->vreg_class[p]));
      }
    }
    insts.push_back(std::move(term));
  }

  void Emit() {
    const uint32_t nb = static_cast<uint32_t>(succs_.size());
    std::vector<uint32_t> slot(nb, kNone);
    for (uint32_t k = 0; k < block_of_.size(); ++k) slot[block_of_[k]] = k;
    fn_->blocks.resize(nb);
    fn_->edge_args_begin.push_back(0);
    for (uint32_t b = 0; b < nb; ++b) {
      Block& bl = fn_->blocks[b];
      bl.insts_begin = static_cast<uint32_t>(fn_->insts.size());
      for (const GenInst& gi : block_insts_[slot[b]]) {
        Inst inst;
        inst.operands_begin = static_cast<uint32_t>(fn_->operands.size());
        fn_->operands.insert(fn_->operands.end(), gi.ops.begin(), gi.ops.end());
        inst.operands_end = static_cast<uint32_t>(fn_->operands.size());
        inst.clobbers = gi.clobbers;
        inst.flags = gi.flags;
        fn_->insts.push_back(inst);
      }
      bl.insts_end = static_cast<uint32_t>(fn_->insts.size());
      bl.succs_begin = static_cast<uint32_t>(fn_->succs.size());
      for (size_t s = 0; s < succs_[b].size(); ++s) {
        fn_->succs.push_back(succs_[b][s]);
        for (uint32_t a : edge_args_[b][s]) fn_->edge_args.push_back(a);
        fn_->edge_args_begin.push_back(static_cast<uint32_t>(fn_->edge_args.size()));
      }
      bl.succs_end = static_cast<uint32_t>(fn_->succs.size());
      bl.preds_begin = static_cast<uint32_t>(fn_->preds.size());
      fn_->preds.insert(fn_->preds.end(), preds_[b].begin(), preds_[b].end());
      bl.preds_end = static_cast<uint32_t>(fn_->preds.size());
      bl.params_begin = static_cast<uint32_t>(fn_->params.size());
      fn_->params.insert(fn_->params.end(), params_[b].begin(), params_[b].end());
      bl.params_end = static_cast<uint32_t>(fn_->params.size());
    }
  }

  Rng rng_;
  const RandomProgramOptions& o_;
  Function* fn_;
  MachineEnv* env_;
  std::vector<std::vector<uint32_t>> succs_, preds_, params_, values_;
  std::vector<uint32_t> rpo_, idom_, pending_defs_, block_of_;
  std::vector<std::vector<GenInst>> block_insts_;
  std::vector<std::vector<std::vector<uint32_t>>> edge_args_;
};

}  // namespace

void GenerateRandomProgram(uint64_t seed, const RandomProgramOptions& options, Function* fn,
                           MachineEnv* env) {
  Generator(seed, options, fn, env).Run();
}

}  // namespace lathe::regalloc
