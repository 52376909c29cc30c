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
    if (p.type.is_int() && !p.type.is_vector()) {  // vectors return in xmm0/xmm1
      ints += p.type.lane_bits() == 128 ? 2 : 1;
    } else {
      ++floats;
    }
  }
  return ints > kMaxRegReturns || floats > kMaxRegReturns;
}

ArgLayout LayoutArgs(const ir::Signature& sig) {
  ArgLayout l;
  l.callee_pops = sig.call_conv == ir::CallConv::kTail;
  l.ret_area = ReturnsInMemory(sig);
  int ni = 0, nf = 0;
  uint32_t stack = 0;
  auto on_stack = [&](uint8_t bytes) {
    stack = (stack + bytes - 1) / bytes * bytes;
    l.parts.push_back(ArgPart{ArgPart::kStack, 0, bytes, stack});
    stack += bytes;
  };
  if (l.ret_area) l.parts.push_back(ArgPart{ArgPart::kIntReg, kArgRegs[ni++], 8, 0});
  for (const ir::AbiParam& p : sig.params) {
    l.first_part.push_back(static_cast<uint32_t>(l.parts.size()));
    const bool is_float = !p.type.is_int() || p.type.is_vector();  // vectors travel in xmm registers
    const bool wide = p.type.bits_total() == 128;
    if (is_float) {
      if (nf < kMaxFloatArgs) {
        l.parts.push_back(ArgPart{ArgPart::kFloatReg, static_cast<uint8_t>(nf++), 8, 0});
      } else {
        on_stack(wide ? 16 : 8);
      }
    } else if (wide) {
      if (ni + 2 <= kMaxRegArgs) {
        l.parts.push_back(ArgPart{ArgPart::kIntReg, kArgRegs[ni++], 8, 0});
        l.parts.push_back(ArgPart{ArgPart::kIntReg, kArgRegs[ni++], 8, 0});
      } else {
        on_stack(16);
        l.parts.back().bytes = 8;  // two 8-byte halves of one 16-byte aligned slot
        l.parts.push_back(ArgPart{ArgPart::kStack, 0, 8, l.parts.back().offset + 8});
      }
    } else if (ni < kMaxRegArgs) {
      l.parts.push_back(ArgPart{ArgPart::kIntReg, kArgRegs[ni++], 8, 0});
    } else {
      on_stack(8);
    }
  }
  l.stack_bytes = (stack + 15) / 16 * 16;
  return l;
}

regalloc::PRegSet CallerSavedSet() {
  regalloc::PRegSet s;
  for (uint8_t r : {kRax, kRcx, kRdx, kRsi, kRdi, kR8, kR9, kR10}) s.Add(IntReg(r));
  for (uint8_t r = 0; r < 15; ++r) s.Add(XmmReg(r));
  return s;
}

}  // namespace lathe::x64
