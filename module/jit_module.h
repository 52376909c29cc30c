// A JIT module: the functions of one CLIF file compiled for the host (x86-64 System V) through
// the compile driver (isa/common/compile.h), placed
// in one mmap'd region (written, then protected read+execute), with direct calls between them
// resolved by name and calls to other names resolved against host symbols (through a jump stub
// holding the symbol's absolute address). Call() runs a function of any signature the backend
// compiles (stack arguments, f128 in xmm registers, returns through memory) through an entry
// trampoline, with 64-bit argument slots (integers, or the bits of f16/f32/f64; an i128 or f128
// takes two, low then high) and returns the result slots the same way (bits above each type's
// width are unspecified) or the trap it hit:
// ud2 / faults inside the module's code are mapped through its trap records while the call is
// active (SIGILL, SIGFPE, SIGSEGV, SIGBUS on an alternate signal stack), anything else keeps
// its default behaviour. A function that does not compile (or calls one that does not, or calls a
// function the module does not define) keeps its error, which status() and Call() return; the
// other functions still run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "ir/function.h"
#include "isa/common/code_buffer.h"
#include "isa/common/opt_level.h"
#include "isa/common/target_registry.h"
#include "isa/x64/abi.h"
#include "module/host_symbols.h"

namespace lathe::module {

struct CallOutcome {
  bool trapped = false;
  ir::TrapCode trap;
  std::vector<uint64_t> values;  // one slot per return register (an i128 takes two)
};

class JitModule {
 public:
  ~JitModule();
  JitModule(const JitModule&) = delete;
  JitModule& operator=(const JitModule&) = delete;

  // Compiles every function for `target` (nullptr: the host with every extension it has); the
  // caller makes sure the host has the target's flags. Calls to names the module does not
  // define resolve against `symbols` (may be null; only read during Create). Fails when the
  // target is not the host's or executable memory cannot be set up. The functions need not
  // outlive the module.
  static absl::StatusOr<std::unique_ptr<JitModule>> Create(absl::Span<const ir::Function* const> functions,
                                                          isa::OptLevel level,
                                                          const isa::TargetSpec* target = nullptr,
                                                          const HostSymbols* symbols = nullptr);

  // `args` must have one slot per parameter of function `index`, two (low, high) for an i128
  // or f128. Results follow the same layout.
  absl::StatusOr<CallOutcome> Call(size_t index, absl::Span<const uint64_t> args) const;

  // Why function `index` cannot run (OK when it can); messages name the function and construct.
  const absl::Status& status(size_t index) const { return entries_[index].status; }
  size_t num_functions() const { return entries_.size(); }
  const uint8_t* code(size_t index) const { return base_ + entries_[index].offset; }
  uint32_t code_size(size_t index) const { return entries_[index].size; }

 private:
  struct Entry {
    uint32_t offset = 0, size = 0;
    size_t num_params = 0;  // argument slots
    absl::Status status;
    std::vector<ir::Type> params, returns;
    x64::ArgLayout layout;
  };
  JitModule() = default;

  uint8_t* base_ = nullptr;
  size_t mapped_ = 0;
  std::vector<Entry> entries_;
  std::vector<isa::TrapRecord> traps_;  // offsets relative to base_, sorted
};

}  // namespace lathe::module
