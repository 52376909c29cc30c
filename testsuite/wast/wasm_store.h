// The wasm host layer for running translated modules in the reference interpreter: a store of
// module instances with their linear memories, tables, globals, function records and vmctx
// blocks (laid out as wasm-frontend/translator.h's embedder ABI describes), the runtime
// functions (memory.grow, bulk memory, table ops) and the `spectest` module. All runtime
// structures live in byte vectors mapped into the interpreter's address space, so interpreted
// code reaches them with ordinary loads and stores and can never touch host memory.
//
// Errors: a module that does not decode/validate/translate or cannot be linked is an error
// status (Instantiate says which); a wasm trap is a result (CallResult::trapped), never an
// error; an interpreter failure (unsupported IR, step limit) is an error status.
#ifndef LATHE_TESTSUITE_WAST_WASM_STORE_H_
#define LATHE_TESTSUITE_WAST_WASM_STORE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "ir/function.h"
#include "testsuite/interp/interpreter.h"
#include "wasm-frontend/module.h"

namespace lathe::wast {

class WasmStore {
 public:
  WasmStore();
  WasmStore(const WasmStore&) = delete;
  WasmStore& operator=(const WasmStore&) = delete;

  struct InstantiateResult {
    enum Kind { kOk, kInvalid, kUnlinkable, kTrapped } kind = kOk;
    int instance = -1;
    ir::TrapCode trap;   // kTrapped
    std::string message; // otherwise
  };
  // Decodes, validates, translates, links (imports by registered module name) and runs the
  // initializers and start function. Interpreter failures are errors.
  absl::StatusOr<InstantiateResult> Instantiate(std::vector<uint8_t> bytes);
  void Register(const std::string& name, int instance) { registered_[name] = instance; }

  // Calls exported function `field` of `instance`; args are raw bits (i32 in the low 32 bits,
  // references as ExternRef/0).
  absl::StatusOr<interp::CallResult> Invoke(int instance, const std::string& field,
                                            const std::vector<interp::u128>& args);
  absl::StatusOr<interp::u128> GetGlobal(int instance, const std::string& field);
  // The result types of exported function `field`.
  absl::StatusOr<std::vector<wasm::ValType>> ResultTypes(int instance, const std::string& field);

  // How an externref argument N is represented (never 0, which is null).
  static uint64_t ExternRef(uint64_t n) { return (uint64_t{1} << 48) | n; }
  void set_step_limit(uint64_t n) { step_limit_ = n; }

 private:
  struct Memory {
    std::unique_ptr<std::vector<uint8_t>> bytes;
    uint64_t base = 0;
    std::optional<uint32_t> max;
    std::vector<uint64_t> vmctxs;  // whose size field must follow growth
  };
  struct Table {
    uint64_t desc = 0;  // heap address of {elements, length}
    std::optional<uint32_t> max;
    wasm::ValType elem = wasm::ValType::kFuncRef;
  };
  struct ExportRef {
    wasm::ExternKind kind;
    uint64_t value;  // func: record address; global: storage address; memory/table: store index
    uint32_t type;   // func: canonical type id; global: ValType byte | mutable << 8
  };
  struct Instance {
    std::vector<uint8_t> bytes;
    std::unique_ptr<wasm::Module> module;
    uint64_t vmctx = 0;
    std::vector<uint64_t> func_records;
    std::vector<uint32_t> type_ids;
    std::vector<int> memories, tables;
    std::vector<uint64_t> globals;  // storage addresses
    std::vector<std::vector<uint64_t>> elems;  // evaluated element segments (empty once dropped)
    std::vector<bool> data_dropped;
    std::map<std::string, ExportRef> exports;
    size_t first_function = 0;  // index of its function 0 in functions_
  };

  uint64_t Alloc(uint64_t size);
  uint64_t Read64(uint64_t addr) const;
  void Write64(uint64_t addr, uint64_t v);
  void Write32(uint64_t addr, uint32_t v);
  uint32_t CanonicalType(const wasm::FuncType& t);
  uint64_t NewFuncRecord(uint64_t code, uint32_t type_id, uint64_t vmctx);
  int NewTable(wasm::ValType elem, uint32_t size, std::optional<uint32_t> max);
  uint64_t TableLength(const Table& t) const { return Read64(t.desc + 8); }
  int NewMemory(uint32_t pages, std::optional<uint32_t> max);
  void AddHost(ir::ExternalName name, interp::Interpreter::HostFunction fn);
  void AddSpectest();
  void RebuildInterpreter();
  absl::StatusOr<uint64_t> EvalConst(const Instance& inst, wasm::ConstExpr e);
  absl::StatusOr<Instance*> InstanceOfVmctx(uint64_t vmctx);
  absl::StatusOr<interp::CallResult> RunRuntime(int fn, absl::Span<const interp::u128> args);

  std::vector<uint8_t> heap_;
  std::vector<Memory> memories_;
  std::vector<Table> tables_;
  std::deque<Instance> instances_;
  absl::flat_hash_map<uint64_t, int> vmctx_to_instance_;
  std::map<std::string, int> registered_;
  std::vector<wasm::FuncType> canonical_types_;
  std::deque<ir::Function> functions_;
  std::vector<std::pair<ir::ExternalName, interp::Interpreter::HostFunction>> host_;
  std::unique_ptr<interp::Interpreter> interp_;
  uint64_t step_limit_ = 20'000'000;
};

}  // namespace lathe::wast

#endif  // LATHE_TESTSUITE_WAST_WASM_STORE_H_
