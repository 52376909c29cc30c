// The IR verifier: checks that a Function is well formed before anything consumes it.
// It checks block structure and terminators, entity references, operand and result types
// against the opcode table, branch arguments against block parameters, call and return
// arguments against signatures, SSA dominance of every use, the entry block against the
// signature, the preamble (global-value cycles and types, alias regions, vmctx), and a set of
// per-opcode rules (lane indexes, constant sizes, memory flags, tail calls, exceptions).
// It collects every error rather than stopping at the first.
#ifndef LATHE_IR_VERIFIER_H_
#define LATHE_IR_VERIFIER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ir/function.h"

namespace lathe::ir {

struct VerifierOptions {
  // The target's pointer type (the type of vmctx and symbol global values and of exception
  // payloads); when invalid, i64 is assumed and address operands are not width-checked.
  Type pointer_type;
  // With a valid pointer_type: require load/store/atomic addresses to have that type.
  bool check_address_width = true;
};

struct VerifierError {
  Inst inst;    // valid when the error is about an instruction
  Block block;  // valid when it is about a block header
  std::string message;
};

std::vector<VerifierError> Verify(const Function& f, const VerifierOptions& options = {});

// "inst3 (v3 = iadd v1, v2): message", "block2: message" or just the message.
std::string FormatVerifierError(const Function& f, const VerifierError& e);

// OK, or an InvalidArgument status listing every error (one per line).
absl::Status VerifyFunction(const Function& f, const VerifierOptions& options = {});

}  // namespace lathe::ir

#endif  // LATHE_IR_VERIFIER_H_
