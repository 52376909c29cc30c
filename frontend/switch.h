// Switch lowering for FunctionBuilder: map integer values to blocks and emit the dispatch.
// Consecutive keys form runs; a run of at least kMinTableRun keys becomes one `br_table`
// (after subtracting its first key and range-checking), shorter runs become `icmp eq` tests,
// and the runs are chosen between with a balanced tree of `icmp ult` comparisons, built with
// an explicit work stack. Targets receive no block arguments.
#ifndef LATHE_FRONTEND_SWITCH_H_
#define LATHE_FRONTEND_SWITCH_H_

#include <cstdint>
#include <vector>

#include "frontend/function_builder.h"

namespace lathe::frontend {

class Switch {
 public:
  static constexpr size_t kMinTableRun = 4;

  // Later entries for the same key replace earlier ones.
  void SetEntry(uint64_t key, ir::Block target);
  // Emits the dispatch on `value` (an integer) at the builder's current block, which it
  // terminates. Blocks it creates are sealed; `otherwise` and the targets are not.
  void Emit(FunctionBuilder& builder, ir::Value value, ir::Block otherwise) const;

 private:
  std::vector<std::pair<uint64_t, ir::Block>> entries_;
};

}  // namespace lathe::frontend

#endif  // LATHE_FRONTEND_SWITCH_H_
