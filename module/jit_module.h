// A JIT module: the functions of one CLIF file compiled for the host (x86-64 System V), placed
// in one mmap'd region (written, then protected read+execute), with direct calls between them
// resolved by name. Call() runs a function with 64-bit argument slots (integers, or the bits of
// f32/f64) and returns up to two 64-bit result slots (bits above each type's width are
// unspecified) or the trap it hit:
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
#include "regalloc/regalloc.h"

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

  // Compiles every function; fails only when executable memory cannot be set up. The functions
  // need not outlive the module. `pinned_reg`: the `enable_pinned_reg` setting (r15 is the
  // pinned register of all functions; Call() preserves the host's r15).
  static absl::StatusOr<std::unique_ptr<JitModule>> Create(absl::Span<const ir::Function* const> functions,
                                                          regalloc::Algorithm algorithm, bool pinned_reg = false);

  // `args` must have one slot per parameter register of function `index`: integers, the bits of
  // f32/f64, and two slots (low, high) for an i128. Results follow the same layout.
  absl::StatusOr<CallOutcome> Call(size_t index, absl::Span<const uint64_t> args) const;

  // Why function `index` cannot run (OK when it can); messages name the function and construct.
  const absl::Status& status(size_t index) const { return entries_[index].status; }
  size_t num_functions() const { return entries_.size(); }
  const uint8_t* code(size_t index) const { return base_ + entries_[index].offset; }
  uint32_t code_size(size_t index) const { return entries_[index].size; }

 private:
  struct Entry {
    uint32_t offset = 0, size = 0;
    size_t num_params = 0;
    absl::Status status;
    std::vector<bool> param_float, ret_float;
    bool ret_area = false;       // returns through memory (x64::ReturnsInMemory)
    std::vector<bool> ret_wide;  // per return, for reading the return area
  };
  JitModule() = default;

  uint8_t* base_ = nullptr;
  size_t mapped_ = 0;
  std::vector<Entry> entries_;
  std::vector<isa::TrapRecord> traps_;  // offsets relative to base_, sorted
};

}  // namespace lathe::module
