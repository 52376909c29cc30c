// A small machine description shared by the unit tests: int r0-r3 (scratch r7), float f0-f1.
#pragma once

#include "regalloc/machine_env.h"

namespace lathe::regalloc {

inline MachineEnv TestEnv(bool scratch = true) {
  MachineEnv env;
  for (int k = 0; k < 4; ++k) env.regs[0].push_back(PReg(RegClass::kInt, k));
  for (int k = 0; k < 2; ++k) env.regs[1].push_back(PReg(RegClass::kFloat, k));
  if (scratch) env.scratch[0] = PReg(RegClass::kInt, 7);
  return env;
}

inline PReg R(int k) { return PReg(RegClass::kInt, k); }
inline PReg F(int k) { return PReg(RegClass::kFloat, k); }

}  // namespace lathe::regalloc
