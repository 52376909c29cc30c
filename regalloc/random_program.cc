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
    if (o_.templates != nullptr) PrepareTemplates();
    MakeCfg();
    ComputeDominators();
    if (t_ != nullptr) NumberDominatorTree();
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
    num_cfg_blocks_ = n;
    succs_.assign(n, {});
    // Template mode keeps the CFG reducible, as every lowered Sightglass function is (wasm's
    // control flow is structured): a branch back goes to a dominator. fidom: immediate dominators
    // over the forward edges, final for b once the blocks before it have their successors, and
    // unchanged by back edges to dominators.
    std::vector<uint32_t> fidom(t_ != nullptr ? n : 0, kNone);
    if (t_ != nullptr) fidom[0] = 0;
    auto add_forward = [&](uint32_t p, uint32_t s) {
      if (fidom[s] == kNone) {
        fidom[s] = p;
        return;
      }
      uint32_t x = p, y = fidom[s];
      while (x != y) {
        if (x > y) {
          x = fidom[x];
        } else {
          y = fidom[y];
        }
      }
      fidom[s] = x;
    };
    for (uint32_t b = 0; b + 1 < n; ++b) {
      const bool one_succ = t_ != nullptr ? rng_.Below(1000) >= t_->cond_branch_permille : rng_.Percent(50);
      if (one_succ) {
        succs_[b] = {b + 1};
      } else {
        uint32_t lo = 1, hi = n - 1;
        if (o_.loop_span) {
          lo = b > o_.loop_span ? b - o_.loop_span : 1;
          hi = std::min(n - 1, b + o_.loop_span);
        }
        uint32_t t = lo + rng_.Below(hi - lo + 1);
        if (t_ != nullptr && t <= b) {
          // The nearest dominator of b at or above t (b itself: a loop of one block), never the
          // entry, which has no predecessors.
          uint32_t d = b;
          while (d > t && fidom[d] != 0) d = fidom[d];
          t = d;
        }
        succs_[b] = rng_.Percent(50) ? std::vector<uint32_t>{b + 1, t} : std::vector<uint32_t>{t, b + 1};
      }
      if (t_ != nullptr) {
        for (uint32_t s : succs_[b]) {
          if (s > b) add_forward(b, s);
        }
      }
    }
    // Split critical edges with new blocks holding just a jump (in template mode, as many other
    // edges out of conditional branches as the table says).
    std::vector<uint32_t> npreds(n, 0);
    for (uint32_t b = 0; b < n; ++b) {
      for (uint32_t s : succs_[b]) ++npreds[s];
    }
    for (uint32_t b = 0; b < n; ++b) {
      if (succs_[b].size() < 2) continue;
      for (uint32_t& s : succs_[b]) {
        if (npreds[s] >= 2 || (t_ != nullptr && rng_.Below(1000) < t_->split_edge_permille)) {
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
    vreg_block_.push_back(cur_block_);
    cross_read_.push_back(0);
    return fn_->num_vregs++;
  }

  RegClass RandomClass() { return rng_.Percent(o_.float_percent) ? RegClass::kFloat : RegClass::kInt; }

  void MakeParams() {
    const uint32_t nb = static_cast<uint32_t>(succs_.size());
    params_.assign(nb, {});
    values_.assign(nb, {});
    edge_args_.assign(nb, {});
    value_pos_.assign(nb, {});
    // In template mode blocks added to split an edge take none, as in lowered code: their jump
    // passes the successor's arguments.
    const uint32_t with_params = t_ != nullptr ? num_cfg_blocks_ : nb;
    for (uint32_t b = 1; b < with_params; ++b) {
      cur_block_ = b;
      const uint32_t np = t_ != nullptr ? Draw(param_cum_[preds_[b].size() > 1 ? 1 : 0]) : rng_.Below(o_.max_params + 1);
      for (uint32_t j = 0; j < np; ++j) {
        const RegClass c = t_ != nullptr ? (rng_.Below(1000) < float_def_permille_ ? RegClass::kFloat : RegClass::kInt)
                                         : RandomClass();
        const uint32_t v = NewVreg(c);
        params_[b].push_back(v);
        values_[b].push_back(v);
        value_pos_[b].push_back(-1);
      }
    }
  }

  // A value of class c available at the current point of block b, or kNone.
  uint32_t Pick(uint32_t b, RegClass c) {
    uint32_t x = b;
    for (uint32_t up = rng_.Below(3); up > 0 && x != 0 && rng_.Percent(o_.outer_value_percent); --up) x = idom_[x];
    return PickFrom(x, c);
  }

  // A value of class c defined in block x or, failing that, in its nearest dominator with one.
  uint32_t PickFrom(uint32_t x, RegClass c) {
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

  // Template mode.

  // Preorder numbers and subtree sizes of the dominator tree, so that Dominates() is O(1): a
  // block's subtree is the interval [pre, pre + size). RPO lists every block after its idom.
  void NumberDominatorTree() {
    const uint32_t nb = static_cast<uint32_t>(succs_.size());
    dom_pre_.assign(nb, 0);
    dom_size_.assign(nb, 1);
    for (size_t k = rpo_.size(); k-- > 1;) dom_size_[idom_[rpo_[k]]] += dom_size_[rpo_[k]];
    std::vector<uint32_t> next_child(nb, 0);
    next_child[0] = 1;
    for (size_t k = 1; k < rpo_.size(); ++k) {
      const uint32_t b = rpo_[k];
      dom_pre_[b] = next_child[idom_[b]];
      next_child[idom_[b]] += dom_size_[b];
      next_child[b] = dom_pre_[b] + 1;
    }
  }

  bool Dominates(uint32_t a, uint32_t b) const { return dom_pre_[b] - dom_pre_[a] < dom_size_[a]; }

  // A value of class c from another block for a use in block b (not the entry). As often as the
  // table says, one already read from another block: the read a drawn reuse distance back in
  // the sequence of such reads, so that a value read often is read again often (lowered code
  // reads its heap base and context from most blocks) and reuse stays as local as measured;
  // it must dominate b, which a few draws usually find. Otherwise a value of the entry or of b's
  // immediate dominator that no other block reads yet.
  uint32_t PickCross(uint32_t b, RegClass c) {
    if (!cross_reads_.empty() && rng_.Below(1000) < t_->repeat_cross_use_permille) {
      const uint32_t n = static_cast<uint32_t>(cross_reads_.size()), far = static_cast<uint32_t>(reuse_cum_.size());
      for (int attempt = 0; attempt < 8; ++attempt) {
        const uint32_t d = 1 + Draw(reuse_cum_);
        if (d > n) continue;
        // The last bucket stands for its distance or more.
        const uint32_t v = cross_reads_[d == far ? rng_.Below(n - d + 1) : n - d];
        const uint32_t def = vreg_block_[v];
        if (fn_->vreg_class[v] == c && def != b && Dominates(def, b)) return v;
      }
    }
    return PickUnread(rng_.Below(1000) < t_->entry_value_permille ? 0 : idom_[b], c);
  }

  // The latest value of class c in block x or its nearest dominators that no other block has read
  // yet (the census counts a value's first read from another block apart from later ones); any
  // value of the class (PickFrom) if a few blocks up have none.
  uint32_t PickUnread(uint32_t x, RegClass c) {
    for (uint32_t y = x, up = 0; up < 4; ++up, y = idom_[y]) {
      const auto& vs = values_[y];
      for (size_t k = vs.size(); k-- > 0;) {
        if (fn_->vreg_class[vs[k]] == c && !cross_read_[vs[k]]) return vs[k];
      }
      if (y == 0) break;
    }
    return PickFrom(x, c);
  }

  // Index drawn with probability proportional to its weight (cum: running sums; never empty).
  uint32_t Draw(const std::vector<uint64_t>& cum) {
    const uint64_t x = rng_.Below(static_cast<uint32_t>(cum.back()));
    return static_cast<uint32_t>(std::upper_bound(cum.begin(), cum.end(), x) - cum.begin());
  }

  static std::vector<uint64_t> Cumulative(const uint32_t* weights, size_t n) {
    std::vector<uint64_t> cum;
    uint64_t sum = 0;
    for (size_t k = 0; k < n; ++k) cum.push_back(sum += weights[k]);
    if (cum.empty() || sum == 0) cum.assign(1, 1);  // no data: always index 0
    return cum;
  }

  // Whether the generator's environment can satisfy template t: its classes have registers, its
  // fixed registers exist, and with the call clobber set no late use needs a clobbered register.
  bool Usable(const InstTemplate& t) const {
    if (t.num_operands > kMaxTemplateOperands) return false;
    const PRegSet& clob = fn_->clobber_sets[t.call_clobbers ? 1 : 0];
    int late_uses[kNumRegClasses] = {0, 0, 0};
    for (int k = 0; k < t.num_operands; ++k) {
      const OperandTemplate& op = t.operands[k];
      const auto& regs = Regs(op.reg_class);
      if (regs.empty()) return false;
      const bool late_use = op.kind == OperandKind::kUse && op.pos == OperandPos::kLate;
      if (op.constraint == Constraint::kFixedReg) {
        if (op.payload >= regs.size() || (late_use && clob.Contains(regs[op.payload]))) return false;
      }
      if (late_use && (op.constraint == Constraint::kReg || op.constraint == Constraint::kFixedReg)) {
        ++late_uses[static_cast<int>(op.reg_class)];
      }
    }
    for (int c = 0; c < kNumRegClasses; ++c) {
      const int free = static_cast<int>(Regs(static_cast<RegClass>(c)).size()) -
                       __builtin_popcountll(clob.class_bits(static_cast<RegClass>(c)));
      if (late_uses[c] > free) return false;
    }
    return true;
  }

  void PrepareTemplates() {
    t_ = o_.templates;
    uint64_t defs = 0, float_defs = 0;
    for (size_t k = 0; k < t_->num_insts; ++k) {
      const InstTemplate& t = t_->insts[k];
      if (t.weight == 0 || !Usable(t)) continue;
      auto& list = by_kind_[static_cast<int>(t.kind)];
      list.templates.push_back(&t);
      list.cum.push_back((list.cum.empty() ? 0 : list.cum.back()) + t.weight);
      list.first_cum.push_back((list.first_cum.empty() ? 0 : list.first_cum.back()) + t.first_weight);
      for (int j = 0; j < t.num_operands; ++j) {
        if (t.operands[j].kind != OperandKind::kDef) continue;
        defs += t.weight;
        if (t.operands[j].reg_class != RegClass::kInt) float_defs += t.weight;
      }
    }
    // Block parameters take the class mix of the values instructions define.
    float_def_permille_ = defs == 0 ? 0 : static_cast<uint32_t>(1000 * float_defs / defs);
    for (int k = 0; k < 3; ++k) block_size_cum_[k] = Cumulative(t_->block_size_weights[k], t_->num_block_sizes[k]);
    for (int k = 0; k < 2; ++k) param_cum_[k] = Cumulative(t_->param_weights[k], t_->num_param_counts[k]);
    distance_cum_ = Cumulative(t_->use_distance_weights, t_->num_use_distances);
    reuse_cum_ = Cumulative(t_->reuse_distance_weights, t_->num_reuse_distances);
  }

  // A value of class c for a use in instruction k of block b: from another block when b has no
  // value of the class yet, or as often as the table says when it has; else the value of the
  // block defined about a drawn distance back (the nearest earlier one of the class, or the
  // oldest later one).
  uint32_t PickShaped(uint32_t b, uint32_t k, RegClass c) {
    const auto& vs = values_[b];
    const bool local = std::any_of(vs.begin(), vs.end(), [&](uint32_t v) { return fn_->vreg_class[v] == c; });
    if (b != 0 && (!local || rng_.Below(1000) < t_->cross_block_use_permille)) return PickCross(b, c);
    const int target = static_cast<int>(k) - 1 - static_cast<int>(Draw(distance_cum_));
    uint32_t best = kNone;
    for (size_t j = vs.size(); j-- > 0;) {
      if (fn_->vreg_class[vs[j]] != c) continue;
      best = vs[j];
      if (value_pos_[b][j] <= target) break;
    }
    return best;  // kNone only in the entry, which has no other block to read from
  }

  // Fills template t for instruction k of block b; false (with nothing defined) when its uses
  // cannot be given values: no value of a class, or only values already fixed to another register.
  bool FillTemplate(uint32_t b, uint32_t k, const InstTemplate& t, GenInst* gi) {
    uint32_t use_vreg[kMaxTemplateOperands];
    PReg fixed_reg[kMaxTemplateOperands];
    for (int j = 0; j < t.num_operands; ++j) {
      const OperandTemplate& op = t.operands[j];
      fixed_reg[j] = op.constraint == Constraint::kFixedReg ? Regs(op.reg_class)[op.payload] : PReg();
      if (op.kind != OperandKind::kUse) continue;
      uint32_t v = kNone;
      // Two fixed uses of one register read one value; one value never goes to two fixed registers.
      for (int i = 0; i < j && fixed_reg[j].valid(); ++i) {
        if (t.operands[i].kind == OperandKind::kUse && fixed_reg[i] == fixed_reg[j]) v = use_vreg[i];
      }
      // A value already in another fixed register of this instruction is not taken again: first
      // redraw, then take the latest other value of the class that dominates.
      auto taken = [&](uint32_t x) {
        for (int i = 0; i < j && fixed_reg[j].valid(); ++i) {
          if (t.operands[i].kind == OperandKind::kUse && use_vreg[i] == x && fixed_reg[i].valid()) return true;
        }
        return false;
      };
      for (int attempt = 0; v == kNone && attempt < 4; ++attempt) {
        v = PickShaped(b, k, op.reg_class);
        if (v == kNone) return false;
        if (taken(v)) v = kNone;
      }
      for (uint32_t x = b; v == kNone;) {
        const auto& vs = values_[x];
        for (size_t i = vs.size(); i-- > 0 && v == kNone;) {
          if (fn_->vreg_class[vs[i]] == op.reg_class && !taken(vs[i])) v = vs[i];
        }
        if (v != kNone) break;
        if (x == 0) return false;
        x = idom_[x];
      }
      use_vreg[j] = v;
    }
    // Every operand reading another block's value counts as an earlier read for PickCross, however
    // it was found, as the census counts them.
    for (int j = 0; j < t.num_operands; ++j) {
      if (t.operands[j].kind == OperandKind::kUse && vreg_block_[use_vreg[j]] != b) {
        cross_reads_.push_back(use_vreg[j]);
        cross_read_[use_vreg[j]] = 1;
      }
    }
    gi->clobbers = t.call_clobbers ? 1 : 0;
    for (int j = 0; j < t.num_operands; ++j) {
      const OperandTemplate& op = t.operands[j];
      if (op.kind == OperandKind::kUse) {
        gi->ops.push_back(fixed_reg[j].valid() ? Operand::FixedUse(use_vreg[j], fixed_reg[j], op.pos)
                                               : Operand::Use(use_vreg[j], op.reg_class, op.constraint, op.pos));
        continue;
      }
      const uint32_t v = NewVreg(op.reg_class);
      pending_defs_.push_back(v);
      if (op.constraint == Constraint::kReuse) {
        gi->ops.push_back(Operand::ReuseDef(v, op.reg_class, op.payload));
      } else if (fixed_reg[j].valid()) {
        gi->ops.push_back(Operand::FixedDef(v, fixed_reg[j], op.pos));
      } else {
        gi->ops.push_back(Operand::Def(v, op.reg_class, op.constraint, op.pos));
      }
    }
    return true;
  }

  // An instruction of the given kind from the table (by first_weight for a block's first
  // instruction, if the table has such weights); a bare one if no template fits in a few draws.
  GenInst MakeFromTemplate(uint32_t b, uint32_t k, TemplateKind kind, bool first) {
    const auto& list = by_kind_[static_cast<int>(kind)];
    const bool by_first = first && !list.first_cum.empty() && list.first_cum.back() != 0;
    for (int attempt = 0; attempt < 8 && !list.templates.empty(); ++attempt) {
      GenInst gi;
      if (FillTemplate(b, k, *list.templates[Draw(by_first ? list.first_cum : list.cum)], &gi)) return gi;
    }
    GenInst gi;
    if (kind == TemplateKind::kOrdinary) {
      const uint32_t v = NewVreg(RegClass::kInt);
      gi.ops.push_back(Operand::Def(v, RegClass::kInt, Constraint::kReg));
      pending_defs_.push_back(v);
    }
    return gi;
  }

  void MakeBlock(uint32_t b) {
    cur_block_ = b;
    auto& insts = block_insts_.emplace_back();
    block_of_.push_back(b);
    // In template mode a block added to split an edge holds only its jump, as in lowered code
    // (the measured block sizes leave such blocks out); other sizes are drawn for how the block ends.
    const size_t nsuccs = succs_[b].size();
    const uint32_t n = t_ == nullptr            ? 1 + rng_.Below(std::max<uint32_t>(1, o_.max_insts_per_block))
                       : b >= num_cfg_blocks_ ? 1
                                              : 1 + Draw(block_size_cum_[nsuccs == 0 ? 2 : nsuccs == 1 ? 0 : 1]);
    if (b == 0) {
      // Function arguments: fixed int and float registers, plus a stack argument.
      GenInst args;
      args.ops.push_back(Operand::FixedDef(NewVreg(RegClass::kInt), Regs(RegClass::kInt)[0]));
      args.ops.push_back(Operand::FixedDef(NewVreg(RegClass::kInt), Regs(RegClass::kInt)[1]));
      args.ops.push_back(Operand::FixedDef(NewVreg(RegClass::kFloat), Regs(RegClass::kFloat)[0]));
      args.ops.push_back(Operand::Def(NewVreg(RegClass::kInt), RegClass::kInt, Constraint::kStack));
      for (const Operand& op : args.ops) {
        values_[0].push_back(op.vreg());
        value_pos_[0].push_back(0);
      }
      insts.push_back(std::move(args));
    }
    for (uint32_t k = 1; k < n; ++k) {
      pending_defs_.clear();
      const uint32_t at = static_cast<uint32_t>(insts.size());
      GenInst gi = t_ != nullptr                  ? MakeFromTemplate(b, at, TemplateKind::kOrdinary, k == 1)
                   : rng_.Percent(o_.call_percent) ? MakeCall(b)
                                                   : MakeNormal(b);
      for (uint32_t v : pending_defs_) {
        values_[b].push_back(v);
        value_pos_[b].push_back(static_cast<int>(at));
      }
      insts.push_back(std::move(gi));
    }
    if (t_ != nullptr) {
      MakeTemplateTerminator(b, &insts);
      return;
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

  void MakeTemplateTerminator(uint32_t b, std::vector<GenInst>* insts) {
    const uint32_t at = static_cast<uint32_t>(insts->size());
    const size_t nsuccs = succs_[b].size();
    const TemplateKind kind = nsuccs == 0   ? TemplateKind::kReturn
                              : nsuccs == 1 ? TemplateKind::kJump
                                            : TemplateKind::kCondBranch;
    // Terminators keep the kind's weights: the CFG, not a draw, decides which kind ends a block.
    GenInst term = MakeFromTemplate(b, at, kind, false);
    term.flags = nsuccs == 0 ? kInstReturn : kInstBranch;
    auto& args = edge_args_[b];
    args.assign(nsuccs, {});
    // Branch arguments come from the branching block (for a split-edge block, its predecessor) as
    // often as the table says, else from the values other blocks read. The entry's arguments
    // dominate every block and have both classes, so a value is always found.
    const uint32_t home = b >= num_cfg_blocks_ ? idom_[b] : b;
    for (size_t s = 0; s < nsuccs; ++s) {
      for (uint32_t p : params_[succs_[b][s]]) {
        const RegClass c = fn_->vreg_class[p];
        const bool local = b == 0 || rng_.Below(1000) < t_->local_branch_arg_permille;
        args[s].push_back(local ? PickFrom(home, c) : PickCross(b, c));
      }
    }
    insts->push_back(std::move(term));
  }

  // The order blocks are emitted in (CFG block per position). Template mode lays them out as the
  // x86-64 lowering does (reverse postorder, split-edge blocks right after their predecessor),
  // which the census found topological for the forward edges in every Sightglass function.
  std::vector<uint32_t> Layout() const {
    const uint32_t nb = static_cast<uint32_t>(succs_.size());
    std::vector<uint32_t> layout;
    if (t_ == nullptr) {
      for (uint32_t b = 0; b < nb; ++b) layout.push_back(b);
      return layout;
    }
    // Every split-edge block has one predecessor, an original block, and every original block is
    // reachable (each jumps or falls through to the next), so this lists all blocks once.
    for (uint32_t b : rpo_) {
      if (b >= num_cfg_blocks_) continue;
      layout.push_back(b);
      for (uint32_t s : succs_[b]) {
        if (s >= num_cfg_blocks_) layout.push_back(s);
      }
    }
    return layout;
  }

  void Emit() {
    const uint32_t nb = static_cast<uint32_t>(succs_.size());
    std::vector<uint32_t> slot(nb, kNone);
    for (uint32_t k = 0; k < block_of_.size(); ++k) slot[block_of_[k]] = k;
    const std::vector<uint32_t> layout = Layout();
    std::vector<uint32_t> position(nb, kNone);
    for (uint32_t k = 0; k < nb; ++k) position[layout[k]] = k;
    fn_->blocks.resize(nb);
    fn_->edge_args_begin.push_back(0);
    for (uint32_t at = 0; at < nb; ++at) {
      const uint32_t b = layout[at];
      Block& bl = fn_->blocks[at];
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
        fn_->succs.push_back(position[succs_[b][s]]);
        for (uint32_t a : edge_args_[b][s]) fn_->edge_args.push_back(a);
        fn_->edge_args_begin.push_back(static_cast<uint32_t>(fn_->edge_args.size()));
      }
      bl.succs_end = static_cast<uint32_t>(fn_->succs.size());
      bl.preds_begin = static_cast<uint32_t>(fn_->preds.size());
      // Predecessors in block order, as the lowering lists them.
      for (uint32_t p : preds_[b]) fn_->preds.push_back(position[p]);
      if (t_ != nullptr) std::sort(fn_->preds.begin() + bl.preds_begin, fn_->preds.end());
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
  // Template mode: the table, its usable templates per kind with running weight sums, and each
  // value's defining instruction within its block (-1 for parameters), parallel to values_.
  struct TemplateList {
    std::vector<const InstTemplate*> templates;
    std::vector<uint64_t> cum, first_cum;
  };
  const ProgramTemplates* t_ = nullptr;
  TemplateList by_kind_[4];
  // Block sizes by ending (jump, conditional branch, return); parameters by one or more predecessors.
  std::vector<uint64_t> block_size_cum_[3], param_cum_[2], distance_cum_, reuse_cum_;
  uint32_t float_def_permille_ = 0;
  uint32_t num_cfg_blocks_ = 0;  // blocks before edge splitting
  std::vector<std::vector<int>> value_pos_;
  // Each vreg's defining block; the values operands read from another block, once per read; the
  // dominator tree's numbering (NumberDominatorTree).
  uint32_t cur_block_ = 0;
  std::vector<uint32_t> vreg_block_, cross_reads_, dom_pre_, dom_size_;
  std::vector<uint8_t> cross_read_;  // per vreg: in cross_reads_
};

}  // namespace

void GenerateRandomProgram(uint64_t seed, const RandomProgramOptions& options, Function* fn,
                           MachineEnv* env) {
  Generator(seed, options, fn, env).Run();
}

}  // namespace lathe::regalloc
