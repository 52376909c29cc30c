#include "isa/x64/abi.h"

#include <algorithm>
#include <vector>

namespace lathe::x64 {

const regalloc::MachineEnv& SysVMachineEnv() {
  static const regalloc::MachineEnv* env = [] {
    auto* e = new regalloc::MachineEnv();
    // Caller-saved first, so short-lived values do not force callee-save spills in the prologue.
    for (uint8_t r : {kRax, kRcx, kRdx, kRsi, kRdi, kR8, kR9, kR10, kRbx, kR12, kR13, kR14, kR15}) {
      e->regs[0].push_back(IntReg(r));
    }
    e->scratch[0] = IntReg(kR11);
    for (uint8_t r = 0; r < 15; ++r) e->regs[1].push_back(XmmReg(r));
    e->scratch[1] = XmmReg(15);
    e->scratch[2] = regalloc::PReg::Invalid();
    return e;
  }();
  return *env;
}

const regalloc::MachineEnv& PinnedRegMachineEnv() {
  static const regalloc::MachineEnv* env = [] {
    auto* e = new regalloc::MachineEnv(SysVMachineEnv());
    std::vector<regalloc::PReg>& ints = e->regs[0];
    ints.erase(std::remove(ints.begin(), ints.end(), IntReg(kPinnedReg)), ints.end());
    return e;
  }();
  return *env;
}

bool ReturnsInMemory(const ir::Signature& sig) {
  int ints = 0, floats = 0;
  for (const ir::AbiParam& p : sig.returns) {
    if (p.type.is_int() || p.type.is_vector()) {
      ints += p.type.lane_bits() == 128 ? 2 : 1;
    } else {
      ++floats;
    }
  }
  return ints > kMaxRegReturns || floats > kMaxRegReturns;
}

regalloc::PRegSet CallerSavedSet() {
  regalloc::PRegSet s;
  for (uint8_t r : {kRax, kRcx, kRdx, kRsi, kRdi, kR8, kR9, kR10}) s.Add(IntReg(r));
  for (uint8_t r = 0; r < 15; ++r) s.Add(XmmReg(r));
  return s;
}

}  // namespace lathe::x64
