// Semantics of the instructions that compute values from values only: integer, bitwise,
// float, comparison, conversion, constant and vector-lane opcodes (no memory, no control
// flow, no calls). Scalars and vectors share one lane-wise implementation. Division by zero
// and failed float-to-int conversions come back as traps; an opcode or type this file does
// not implement comes back as kUnsupported with a reason, never as a made-up value.
#ifndef LATHE_TESTSUITE_INTERP_PURE_OPS_H_
#define LATHE_TESTSUITE_INTERP_PURE_OPS_H_

#include <string>

#include "absl/types/span.h"
#include "ir/function.h"
#include "testsuite/interp/lane.h"

namespace lathe::interp {

enum class EvalStatus { kOk, kTrap, kUnsupported };

struct PureInst {
  const ir::Function* f;
  const ir::InstData* d;
  absl::Span<const u128> args;
  absl::Span<const ir::Type> arg_types;
  absl::Span<const ir::Type> result_types;
};

struct PureOutcome {
  EvalStatus status = EvalStatus::kOk;
  ir::TrapCode trap;
  std::string reason;  // kUnsupported
};

// Writes one entry of `results` per result type.
PureOutcome EvalPure(const PureInst& in, u128* results);

}  // namespace lathe::interp

#endif  // LATHE_TESTSUITE_INTERP_PURE_OPS_H_
