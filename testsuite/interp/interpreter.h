// The reference interpreter: executes the functions of one CLIF file exactly as specified,
// as the oracle that compiled code is checked against. Values are raw bits (see lane.h).
// Calls between the file's functions (including tail calls, indirect calls through
// `func_addr`, multiple returns and the normal-return edge of `try_call`) run on an explicit
// frame stack, so the interpreted call depth never grows the host stack. Stack slots live in
// StackMemory; out-of-range accesses trap with the access's trap code.
//
// Outcomes: a normal return (the returned values), a trap (its trap code), or an error status
// when the program cannot be interpreted: an opcode or type the interpreter does not
// implement (Unimplemented), a call to a function the file does not define, malformed IR, or
// the step limit being exceeded (ResourceExhausted). An error is never reported as a result.
#ifndef LATHE_TESTSUITE_INTERP_INTERPRETER_H_
#define LATHE_TESTSUITE_INTERP_INTERPRETER_H_

#include <array>
#include <functional>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ir/function.h"
#include "ir/opcode.h"
#include "testsuite/interp/lane.h"
#include "testsuite/interp/stack_memory.h"

namespace lathe::interp {

struct CallResult {
  bool trapped = false;
  ir::TrapCode trap;
  std::vector<u128> values;  // one per return of the signature when not trapped
};

class Interpreter {
 public:
  static constexpr uint64_t kDefaultStepLimit = 200'000'000;
  static constexpr size_t kMaxFrames = 20'000;  // deeper calls trap with stack_overflow

  // The functions must outlive the interpreter.
  explicit Interpreter(std::vector<const ir::Function*> functions);

  // Calls the function named `name` (without '%'). `args` must match its parameters.
  absl::StatusOr<CallResult> Call(std::string_view name, absl::Span<const u128> args);
  absl::StatusOr<CallResult> CallIndex(size_t index, absl::Span<const u128> args);

  const ir::Function* Find(std::string_view name) const;

  // Embedder hooks (used by the wasm host layer). A host function is called by `call` of its
  // external name or by `call_indirect` of HostFuncAddr(id); it returns its values or a trap.
  using HostFunction = std::function<absl::StatusOr<CallResult>(absl::Span<const u128> args)>;
  // Returns the id of the new host function.
  size_t AddHostFunction(ir::ExternalName name, HostFunction fn);
  static uint64_t FuncAddr(size_t function_index);
  static uint64_t HostFuncAddr(size_t host_id);
  // See StackMemory::MapRegion.
  void MapRegion(uint64_t base, std::vector<uint8_t>* bytes) { memory_.MapRegion(base, bytes); }

  void set_step_limit(uint64_t limit) { step_limit_ = limit; }
  // Lowers the call depth at which calls trap with stack_overflow (at most kMaxFrames), for
  // embedders whose frames are large.
  void set_max_frames(size_t n) { max_frames_ = n < kMaxFrames ? n : kMaxFrames; }
  // Instructions executed since construction.
  uint64_t steps() const { return steps_; }

 private:
  struct Frame {
    uint32_t func = 0;
    ir::Inst inst;  // the instruction to execute next
    std::vector<u128> regs;
    std::vector<uint64_t> slot_addr;
    uint64_t stack_mark = 0;
  };

  absl::Status PushFrame(uint32_t func, absl::Span<const u128> args, bool* overflow);
  absl::Status EnterBlock(Frame& fr, uint32_t block_call, absl::Span<const u128> rets);
  absl::StatusOr<bool> Run(CallResult* out);
  // Returns the callee index (functions_ index, or libcall id >= functions_.size()).
  absl::StatusOr<uint32_t> ResolveFuncRef(const ir::Function& f, uint32_t fn_ref) const;
  absl::Status Error(const Frame& fr, ir::Inst inst, const std::string& message) const;

  // Fixed operand, result and branch-target counts of each opcode (from the opcode table).
  struct Shape {
    uint8_t args = 0, results = 0, blocks = 0;
  };
  std::array<Shape, ir::kNumOpcodes> shape_;

  std::vector<const ir::Function*> functions_;
  // Callee ids at or above kHostBase are host functions.
  static constexpr uint32_t kHostBase = 1u << 20;
  std::vector<std::pair<ir::ExternalName, HostFunction>> host_;
  std::vector<Frame> frames_;
  StackMemory memory_;
  u128 pinned_reg_ = 0;
  uint64_t steps_ = 0;
  uint64_t step_limit_ = kDefaultStepLimit;
  size_t max_frames_ = kMaxFrames;
  uint64_t call_start_steps_ = 0;
};

}  // namespace lathe::interp

#endif  // LATHE_TESTSUITE_INTERP_INTERPRETER_H_
