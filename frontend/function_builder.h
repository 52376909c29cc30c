// FunctionBuilder: builds an ir::Function in SSA form from code that thinks in mutable
// variables. Declare a variable with a type, define it (DefVar) and read it (UseVar) in any
// block; the builder inserts block parameters and branch arguments where control flow merges,
// following Braun et al., "Simple and Efficient Construction of Static Single Assignment Form"
// (CC 2013). A block is *sealed* once all its predecessors are known; reads in unsealed blocks
// create provisional parameters completed at sealing. Parameters that turn out to be redundant
// (all incoming values equal) are removed. Everything runs on explicit worklists, so deep
// control flow cannot overflow the stack.
//
// Misuse (reading an undeclared variable, emitting into a filled block, branching from
// nowhere, ...) does not crash: the first problem is recorded and returned by Finalize(),
// and later calls do nothing harmful.
#ifndef LATHE_FRONTEND_FUNCTION_BUILDER_H_
#define LATHE_FRONTEND_FUNCTION_BUILDER_H_

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "ir/condcodes.h"
#include "ir/function.h"

namespace lathe::frontend {

struct VariableTag {
  static constexpr const char kPrefix[] = "var";
};
using Variable = ir::EntityRef<VariableTag>;

class FunctionBuilder {
 public:
  // Builds into `f`, which must outlive the builder. If `f` has no blocks yet, nothing is
  // created until the caller makes the entry block (see AppendEntryParams).
  explicit FunctionBuilder(ir::Function* f) : f_(f) {}

  // Blocks.
  ir::Block CreateBlock();
  // Makes `b` the insertion point, adding it to the layout at the end if it is not there.
  void SwitchToBlock(ir::Block b);
  ir::Block current_block() const { return cur_; }
  // Declares that every predecessor of `b` is known.
  void SealBlock(ir::Block b);
  void SealAllBlocks();
  // Adds one parameter per signature parameter to `b` (the entry block).
  void AppendEntryParams(ir::Block b);
  ir::Value AppendBlockParam(ir::Block b, ir::Type t);

  // Variables.
  Variable DeclareVar(ir::Type t);
  void DefVar(Variable v, ir::Value value);
  ir::Value UseVar(Variable v);

  ir::Type ValueType(ir::Value v) const {
    return f_->dfg.value_valid(v) ? f_->dfg.value_type(v) : ir::Type();
  }

  // Instructions. Each appends to the current block.
  ir::Value Iconst(ir::Type t, int64_t imm);
  ir::Value Unary(ir::Opcode op, ir::Value x);                       // ctrl from x
  ir::Value Convert(ir::Opcode op, ir::Type to, ir::Value x);        // uextend.i64 x, ...
  ir::Value Binary(ir::Opcode op, ir::Value x, ir::Value y);         // ctrl from x
  ir::Value Icmp(ir::IntCC cc, ir::Value x, ir::Value y);
  ir::Value Select(ir::Value c, ir::Value x, ir::Value y);
  ir::Value F32const(float v);
  ir::Value F64const(double v);
  ir::Value Load(ir::Type t, ir::MemFlags flags, ir::Value addr, int32_t offset = 0);
  void Store(ir::MemFlags flags, ir::Value x, ir::Value addr, int32_t offset = 0);
  ir::Value StackAddr(ir::Type pointer, ir::StackSlot slot, int32_t offset = 0);
  // Direct and indirect calls; the results follow the callee's signature.
  absl::Span<const ir::Value> Call(ir::FuncRef callee, absl::Span<const ir::Value> args);
  absl::Span<const ir::Value> CallIndirect(ir::SigRef sig, ir::Value callee, absl::Span<const ir::Value> args);
  void Jump(ir::Block target, absl::Span<const ir::Value> args = {});
  void Brif(ir::Value c, ir::Block then_block, absl::Span<const ir::Value> then_args,
            ir::Block else_block, absl::Span<const ir::Value> else_args);
  // `index` must be i32; table entries take no arguments.
  void BrTable(ir::Value index, ir::Block otherwise, absl::Span<const ir::Block> table);
  void Return(absl::Span<const ir::Value> values);
  void Trap(ir::TrapCode code);
  // The general form: operands and block calls given explicitly; `ctrl` may be invalid when
  // the opcode takes its type from an operand. Returns the new instruction.
  struct Target {
    ir::Block block;
    std::vector<ir::Value> args;
  };
  ir::Inst Emit(ir::InstData data, absl::Span<const ir::Value> args, absl::Span<const Target> targets);

  // Finishes construction: removes redundant block parameters, rewrites uses of removed ones
  // and reports the first misuse, unsealed block or unterminated block.
  absl::Status Finalize();

 private:
  struct PredEdge {
    ir::Block block;  // predecessor
    uint32_t call;    // block call (in the branch instruction) that targets this block
  };
  struct BlockState {
    bool sealed = false;
    bool filled = false;  // ends in a terminator
    std::vector<PredEdge> preds;
    std::vector<std::pair<Variable, ir::Value>> incomplete;  // provisional params, by variable
    std::vector<ir::Value> var_params;  // params the builder made for variables (removable)
  };
  void Fail(std::string msg) {
    if (status_.ok()) status_ = absl::FailedPreconditionError(std::move(msg));
  }
  BlockState& state(ir::Block b);
  bool CanEmit();
  ir::Value ReadVariable(Variable v, ir::Block b);
  // Completes provisional parameter `param` of `b` for `var`; returns the value it stands for.
  ir::Value CompleteParam(Variable var, ir::Block b, ir::Value param);
  ir::Value RunReadMachine(Variable var, ir::Block b, ir::Value pending_param);
  bool TryRemoveTrivial(ir::Block b, ir::Value param);
  void AppendBranchArg(const PredEdge& e, ir::Value v);

  ir::Function* f_;
  ir::Block cur_;
  absl::Status status_;
  std::vector<BlockState> blocks_;
  std::vector<ir::Type> var_types_;
  absl::flat_hash_map<uint64_t, ir::Value> defs_;  // (variable << 32 | block) -> value
};

}  // namespace lathe::frontend

#endif  // LATHE_FRONTEND_FUNCTION_BUILDER_H_
