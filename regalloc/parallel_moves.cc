#include "regalloc/parallel_moves.h"

namespace lathe::regalloc {
namespace {

constexpr uint32_t kNone = 0xffffffffu;

int LowestBit(uint64_t m) { return __builtin_ctzll(m); }

}  // namespace

void ParallelMoveResolver::Emit(Location from, Location to) {
  if (from == to) return;
  if (!(from.is_stack() && to.is_stack())) {
    out_->push_back({point_, from, to});
    return;
  }
  const RegClass c = ClassOf(from);
  const int ci = static_cast<int>(c);
  // A register to carry the value: scratch, then a free register, then a borrowed one.
  PReg via = env_->scratch[ci];
  if (via.valid() && cycle_temp_.is_reg() && cycle_temp_.reg() == via) via = PReg::Invalid();
  if (!via.valid()) {
    uint64_t f = free_[ci];
    if (cycle_temp_.is_reg() && cycle_temp_.reg().reg_class() == c) f &= ~(uint64_t{1} << cycle_temp_.reg().hw());
    if (f != 0) via = PReg(c, LowestBit(f));
  }
  if (via.valid()) {
    out_->push_back({point_, from, Location::Reg(via)});
    out_->push_back({point_, Location::Reg(via), to});
    return;
  }
  // Borrow an allocatable register: save it, carry the value, restore it.
  PReg borrow;
  for (PReg r : env_->regs[ci]) {
    if (!(cycle_temp_.is_reg() && cycle_temp_.reg() == r)) {
      borrow = r;
      break;
    }
  }
  const Location save = Location::Stack(slots_->Emergency(c, 1));
  const Location reg = Location::Reg(borrow);
  out_->push_back({point_, reg, save});
  out_->push_back({point_, from, reg});
  out_->push_back({point_, reg, to});
  out_->push_back({point_, save, reg});
}

void ParallelMoveResolver::Resolve(const std::vector<PendingMove>& moves, ProgPoint point,
                                   const MachineEnv& env, const uint64_t free_regs[kNumRegClasses],
                                   SpillSlots* slots, std::vector<Edit>* out) {
  env_ = &env;
  free_ = free_regs;
  slots_ = slots;
  out_ = out;
  point_ = point;
  cycle_temp_ = Location();
  moves_.clear();
  uint32_t max_key = 0;
  for (const PendingMove& m : moves) {
    if (m.from == m.to) continue;
    moves_.push_back(m);
    max_key = std::max(max_key, std::max(Key(m.from), Key(m.to)));
  }
  if (moves_.empty()) return;
  // Common case: no move reads a location another move writes, so any order is correct.
  if (moves_.size() <= 8) {
    bool independent = true;
    for (size_t i = 0; i < moves_.size() && independent; ++i) {
      for (size_t j = 0; j < moves_.size(); ++j) {
        if (moves_[j].from == moves_[i].to) {
          independent = false;
          break;
        }
      }
    }
    if (independent) {
      for (const PendingMove& m : moves_) Emit(m.from, m.to);
      return;
    }
  }
  EnsureKey(max_key);
  done_.assign(moves_.size(), 0);
  for (uint32_t i = 0; i < moves_.size(); ++i) {
    ++read_count_[Key(moves_[i].from)];
    writer_[Key(moves_[i].to)] = i;
  }
  ready_.clear();
  for (uint32_t i = 0; i < moves_.size(); ++i) {
    if (read_count_[Key(moves_[i].to)] == 0) ready_.push_back(i);
  }
  uint32_t remaining = static_cast<uint32_t>(moves_.size());
  uint32_t scan = 0;
  while (remaining > 0) {
    while (!ready_.empty()) {
      const uint32_t i = ready_.back();
      ready_.pop_back();
      if (done_[i]) continue;
      done_[i] = 1;
      --remaining;
      const PendingMove m = moves_[i];
      Emit(m.from, m.to);
      if (cycle_temp_.is_reg() && m.from == cycle_temp_) {
        // The temporary is free again once nobody reads it.
        bool still_read = false;
        for (uint32_t j = 0; j < moves_.size() && !still_read; ++j) {
          still_read = !done_[j] && moves_[j].from == cycle_temp_;
        }
        if (!still_read) cycle_temp_ = Location();
      }
      const uint32_t k = Key(m.from);
      if (--read_count_[k] == 0 && writer_[k] != kNone && !done_[writer_[k]]) {
        ready_.push_back(writer_[k]);
      }
    }
    if (remaining == 0) break;
    // Every remaining destination is still read: break a cycle by saving one destination.
    while (done_[scan]) ++scan;
    const Location d = moves_[scan].to;
    const RegClass c = ClassOf(d);
    const int ci = static_cast<int>(c);
    Location temp;
    if (free_[ci] != 0) {
      temp = Location::Reg(PReg(c, LowestBit(free_[ci])));
    } else if (env.scratch[ci].valid()) {
      temp = Location::Reg(env.scratch[ci]);
    } else {
      temp = Location::Stack(slots->Emergency(c, 0));
    }
    EnsureKey(Key(temp));
    Emit(d, temp);
    if (temp.is_reg()) cycle_temp_ = temp;
    for (uint32_t j = 0; j < moves_.size(); ++j) {
      if (!done_[j] && moves_[j].from == d) moves_[j].from = temp;
    }
    read_count_[Key(d)] = 0;
    ready_.push_back(scan);
  }
  // Leave the tables cleared for the next call (cycle breaks already zeroed redirected sources).
  for (const PendingMove& m : moves_) {
    read_count_[Key(m.from)] = 0;
    writer_[Key(m.to)] = kNone;
  }
}

}  // namespace lathe::regalloc
