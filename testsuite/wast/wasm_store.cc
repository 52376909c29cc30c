#include "testsuite/wast/wasm_store.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"
#include "wasm-frontend/operator_reader.h"
#include "wasm-frontend/translator.h"

namespace lathe::wast {
namespace {

using interp::CallResult;
using interp::u128;

constexpr uint64_t kHeapBase = uint64_t{1} << 32;
constexpr uint64_t kMemoryBase = uint64_t{1} << 36;  // memory k at kMemoryBase + k << 33
constexpr uint32_t kMaxPages = 65536;
// Growth beyond this many pages fails (memory.grow returns -1) to bound host memory use.
constexpr uint32_t kPageCap = 2048;
constexpr uint32_t kTableCap = 10'000'000;
constexpr size_t kMaxCallDepth = 1'000;
constexpr uint32_t kRuntimeNamespace = 1;
constexpr uint32_t kSpectestNamespace = 2;
constexpr uint32_t kFirstModuleNamespace = 3;
constexpr wasm::VmctxLayout kLayout;

CallResult Values(std::vector<u128> v) {
  CallResult r;
  r.values = std::move(v);
  return r;
}

}  // namespace

WasmStore::WasmStore() {
  for (int fn = 0; fn < static_cast<int>(wasm::RuntimeFn::kCount); ++fn) {
    AddHost(ir::ExternalName::User(kRuntimeNamespace, fn),
            [this, fn](absl::Span<const u128> args) { return RunRuntime(fn, args); });
  }
  AddSpectest();
  RebuildInterpreter();
}

uint64_t WasmStore::Alloc(uint64_t size) {
  uint64_t start = (heap_.size() + 15) & ~uint64_t{15};
  heap_.resize(start + std::max<uint64_t>(size, 1), 0);
  return kHeapBase + start;
}

uint64_t WasmStore::Read64(uint64_t addr) const {
  uint64_t v = 0;
  std::memcpy(&v, heap_.data() + (addr - kHeapBase), 8);
  return v;
}
void WasmStore::Write64(uint64_t addr, uint64_t v) { std::memcpy(heap_.data() + (addr - kHeapBase), &v, 8); }
void WasmStore::Write32(uint64_t addr, uint32_t v) { std::memcpy(heap_.data() + (addr - kHeapBase), &v, 4); }

uint32_t WasmStore::CanonicalType(const wasm::FuncType& t) {
  for (size_t i = 0; i < canonical_types_.size(); ++i) {
    if (canonical_types_[i] == t) return static_cast<uint32_t>(i + 1);
  }
  canonical_types_.push_back(t);
  return static_cast<uint32_t>(canonical_types_.size());
}

uint64_t WasmStore::NewFuncRecord(uint64_t code, uint32_t type_id, uint64_t vmctx) {
  uint64_t rec = Alloc(24);
  Write64(rec + wasm::kFuncRecordCode, code);
  Write32(rec + wasm::kFuncRecordTypeId, type_id);
  Write64(rec + wasm::kFuncRecordVmctx, vmctx);
  return rec;
}

int WasmStore::NewTable(wasm::ValType elem, uint32_t size, std::optional<uint32_t> max) {
  Table t;
  t.desc = Alloc(16);
  const uint64_t elems = Alloc(uint64_t{8} * size);
  Write64(t.desc, elems);
  Write64(t.desc + 8, size);
  t.max = max;
  t.elem = elem;
  tables_.push_back(t);
  return static_cast<int>(tables_.size() - 1);
}

int WasmStore::NewMemory(uint32_t pages, std::optional<uint32_t> max) {
  Memory m;
  m.bytes = std::make_unique<std::vector<uint8_t>>(uint64_t{pages} << 16, 0);
  m.base = kMemoryBase + (uint64_t{memories_.size()} << 33);
  m.max = max;
  memories_.push_back(std::move(m));
  if (interp_ != nullptr) interp_->MapRegion(memories_.back().base, memories_.back().bytes.get());
  return static_cast<int>(memories_.size() - 1);
}

void WasmStore::AddHost(ir::ExternalName name, interp::Interpreter::HostFunction fn) {
  host_.emplace_back(std::move(name), std::move(fn));
}

void WasmStore::AddSpectest() {
  Instance inst;
  using wasm::ValType;
  auto add_print = [&](const char* name, std::vector<ValType> params) {
    const size_t id = host_.size();
    AddHost(ir::ExternalName::User(kSpectestNamespace, static_cast<uint32_t>(id)),
            [](absl::Span<const u128>) -> absl::StatusOr<CallResult> { return Values({}); });
    wasm::FuncType t{std::move(params), {}};
    const uint32_t type_id = CanonicalType(t);
    const uint64_t rec = NewFuncRecord(interp::Interpreter::HostFuncAddr(id), type_id, 0);
    inst.exports[name] = {wasm::ExternKind::kFunc, rec, type_id};
  };
  add_print("print", {});
  add_print("print_i32", {ValType::kI32});
  add_print("print_i64", {ValType::kI64});
  add_print("print_f32", {ValType::kF32});
  add_print("print_f64", {ValType::kF64});
  add_print("print_i32_f32", {ValType::kI32, ValType::kF32});
  add_print("print_f64_f64", {ValType::kF64, ValType::kF64});
  auto add_global = [&](const char* name, ValType t, uint64_t bits) {
    const uint64_t g = Alloc(8);
    Write64(g, bits);
    inst.exports[name] = {wasm::ExternKind::kGlobal, g, static_cast<uint32_t>(t)};
  };
  float f32 = 666.6f;
  double f64 = 666.6;
  uint32_t f32_bits;
  uint64_t f64_bits;
  std::memcpy(&f32_bits, &f32, 4);
  std::memcpy(&f64_bits, &f64, 8);
  add_global("global_i32", ValType::kI32, 666);
  add_global("global_i64", ValType::kI64, 666);
  add_global("global_f32", ValType::kF32, f32_bits);
  add_global("global_f64", ValType::kF64, f64_bits);
  inst.exports["table"] = {wasm::ExternKind::kTable, static_cast<uint64_t>(NewTable(ValType::kFuncRef, 10, 20)), 0};
  inst.exports["memory"] = {wasm::ExternKind::kMemory, static_cast<uint64_t>(NewMemory(1, 2)), 0};
  instances_.push_back(std::move(inst));
  registered_["spectest"] = 0;
}

void WasmStore::RebuildInterpreter() {
  std::vector<const ir::Function*> fs;
  fs.reserve(functions_.size());
  for (const ir::Function& f : functions_) fs.push_back(&f);
  interp_ = std::make_unique<interp::Interpreter>(std::move(fs));
  // Wasm frames can hold thousands of values; bound the depth so exhaustion stays cheap.
  interp_->set_max_frames(kMaxCallDepth);
  interp_->MapRegion(kHeapBase, &heap_);
  for (Memory& m : memories_) interp_->MapRegion(m.base, m.bytes.get());
  for (auto& [name, fn] : host_) interp_->AddHostFunction(name, fn);
}

absl::StatusOr<WasmStore::Instance*> WasmStore::InstanceOfVmctx(uint64_t vmctx) {
  auto it = vmctx_to_instance_.find(vmctx);
  if (it == vmctx_to_instance_.end()) return absl::InternalError("runtime call with an unknown vmctx");
  return &instances_[it->second];
}

absl::StatusOr<uint64_t> WasmStore::EvalConst(const Instance& inst, wasm::ConstExpr e) {
  wasm::OperatorReader r(inst.module->bytes, e.begin, e.end);
  wasm::Operator op;
  std::vector<uint64_t> stack;
  while (!r.AtEnd()) {
    if (absl::Status s = r.Next(&op); !s.ok()) return s;
    switch (op.opcode) {
      case wasm::Opcode::kI32Const:
      case wasm::Opcode::kI64Const:
      case wasm::Opcode::kF32Const:
      case wasm::Opcode::kF64Const:
        stack.push_back(op.bits);
        break;
      case wasm::Opcode::kRefNull:
        stack.push_back(0);
        break;
      case wasm::Opcode::kRefFunc:
        if (op.index >= inst.func_records.size()) return absl::InvalidArgumentError("bad ref.func");
        stack.push_back(inst.func_records[op.index]);
        break;
      case wasm::Opcode::kGlobalGet:
        if (op.index >= inst.globals.size()) return absl::InvalidArgumentError("bad global.get");
        stack.push_back(Read64(inst.globals[op.index]));
        break;
      case wasm::Opcode::kI32Add: case wasm::Opcode::kI32Sub: case wasm::Opcode::kI32Mul:
      case wasm::Opcode::kI64Add: case wasm::Opcode::kI64Sub: case wasm::Opcode::kI64Mul: {
        // Extended constant expressions.
        if (stack.size() < 2) return absl::InvalidArgumentError("constant expression stack underflow");
        const uint64_t y = stack.back();
        stack.pop_back();
        uint64_t& x = stack.back();
        const wasm::Opcode o = op.opcode;
        if (o == wasm::Opcode::kI32Add || o == wasm::Opcode::kI64Add) x += y;
        else if (o == wasm::Opcode::kI32Sub || o == wasm::Opcode::kI64Sub) x -= y;
        else x *= y;
        if (o == wasm::Opcode::kI32Add || o == wasm::Opcode::kI32Sub || o == wasm::Opcode::kI32Mul) x &= 0xffffffffu;
        break;
      }
      case wasm::Opcode::kEnd:
        break;
      default:
        return absl::UnimplementedError(absl::StrCat("constant expression operator ", wasm::GetOpcodeInfo(op.opcode).name));
    }
  }
  if (stack.size() != 1) return absl::InvalidArgumentError("constant expression without one value");
  return stack[0];
}

absl::StatusOr<WasmStore::InstantiateResult> WasmStore::Instantiate(std::vector<uint8_t> bytes) {
  InstantiateResult res;
  Instance inst;
  inst.bytes = std::move(bytes);
  auto decoded = wasm::DecodeModule(inst.bytes);
  if (!decoded.ok()) {
    res.kind = InstantiateResult::kInvalid;
    res.message = std::string(decoded.status().message());
    return res;
  }
  inst.module = std::make_unique<wasm::Module>(std::move(*decoded));
  const wasm::Module& m = *inst.module;
  if (absl::Status s = wasm::ValidateModule(m); !s.ok()) {
    res.kind = InstantiateResult::kInvalid;
    res.message = std::string(s.message());
    return res;
  }
  const int index = static_cast<int>(instances_.size());
  const uint32_t ns = kFirstModuleNamespace + static_cast<uint32_t>(index);
  for (const wasm::FuncType& t : m.types) inst.type_ids.push_back(CanonicalType(t));

  // Link imports.
  auto unlinkable = [&](std::string msg) {
    res.kind = InstantiateResult::kUnlinkable;
    res.message = std::move(msg);
    return res;
  };
  inst.vmctx = Alloc(48);
  for (const wasm::Import& imp : m.imports) {
    auto reg = registered_.find(imp.module);
    if (reg == registered_.end()) return unlinkable(absl::StrCat("unknown import module ", imp.module));
    const Instance& from = instances_[reg->second];
    auto ex = from.exports.find(imp.name);
    if (ex == from.exports.end() || ex->second.kind != imp.kind)
      return unlinkable(absl::StrCat("unknown import ", imp.module, ".", imp.name));
    const ExportRef& e = ex->second;
    switch (imp.kind) {
      case wasm::ExternKind::kFunc:
        if (e.type != inst.type_ids[imp.func_type]) return unlinkable("incompatible import type");
        inst.func_records.push_back(e.value);
        break;
      case wasm::ExternKind::kGlobal:
        if (e.type != (static_cast<uint32_t>(imp.global.type) | (imp.global.is_mutable ? 0x100u : 0u)))
          return unlinkable("incompatible import type");
        inst.globals.push_back(e.value);
        break;
      case wasm::ExternKind::kMemory: {
        const Memory& mem = memories_[e.value];
        const uint64_t pages = mem.bytes->size() >> 16;
        const auto& lim = imp.memory.limits;
        if (pages < lim.min || (lim.max && (!mem.max || *mem.max > *lim.max)))
          return unlinkable("incompatible import type");
        inst.memories.push_back(static_cast<int>(e.value));
        break;
      }
      case wasm::ExternKind::kTable: {
        const Table& t = tables_[e.value];
        const auto& lim = imp.table.limits;
        if (t.elem != imp.table.elem || TableLength(t) < lim.min || (lim.max && (!t.max || *t.max > *lim.max)))
          return unlinkable("incompatible import type");
        inst.tables.push_back(static_cast<int>(e.value));
        break;
      }
    }
  }
  // Defined functions: translate, then give each a record.
  inst.first_function = functions_.size();
  wasm::TranslateOptions opts;
  opts.func_namespace = ns;
  opts.runtime_namespace = kRuntimeNamespace;
  std::vector<ir::Function> translated;
  for (uint32_t i = 0; i < m.bodies.size(); ++i) {
    auto f = wasm::TranslateFunction(m, i, opts);
    if (!f.ok()) return f.status();
    translated.push_back(std::move(*f));
  }
  for (uint32_t i = 0; i < m.bodies.size(); ++i) {
    const uint32_t fi = m.num_imported_funcs + i;
    // Function addresses are interpreter indices, stable because functions_ only grows.
    const uint64_t code = interp::Interpreter::FuncAddr(inst.first_function + i);
    inst.func_records.push_back(NewFuncRecord(code, inst.type_ids[m.func_types[fi]], inst.vmctx));
  }
  for (ir::Function& f : translated) functions_.push_back(std::move(f));
  for (size_t i = m.num_imported_tables; i < m.tables.size(); ++i)
    inst.tables.push_back(NewTable(m.tables[i].elem, m.tables[i].limits.min, m.tables[i].limits.max));
  for (size_t i = m.num_imported_memories; i < m.memories.size(); ++i)
    inst.memories.push_back(NewMemory(m.memories[i].limits.min, m.memories[i].limits.max));
  for (const wasm::Global& g : m.globals) {
    auto v = EvalConst(inst, g.init);
    if (!v.ok()) return v.status();
    const uint64_t addr = Alloc(8);
    Write64(addr, *v);
    inst.globals.push_back(addr);
  }
  // vmctx and its arrays.
  if (!inst.memories.empty()) {
    Memory& mem = memories_[inst.memories[0]];
    Write64(inst.vmctx + kLayout.memory_base, mem.base);
    Write64(inst.vmctx + kLayout.memory_size, mem.bytes->size());
    mem.vmctxs.push_back(inst.vmctx);
  }
  const uint64_t globals = Alloc(8 * inst.globals.size());
  for (size_t i = 0; i < inst.globals.size(); ++i) Write64(globals + 8 * i, inst.globals[i]);
  const uint64_t tables = Alloc(16 * inst.tables.size());
  // Each instance holds copies of its tables' descriptors (the ABI puts them inline in the
  // array); growth rewrites every copy (sync_tables in RunRuntime).
  for (size_t i = 0; i < inst.tables.size(); ++i) {
    Write64(tables + 16 * i, Read64(tables_[inst.tables[i]].desc));
    Write64(tables + 16 * i + 8, Read64(tables_[inst.tables[i]].desc + 8));
  }
  const uint64_t types = Alloc(4 * inst.type_ids.size());
  for (size_t i = 0; i < inst.type_ids.size(); ++i) Write32(types + 4 * i, inst.type_ids[i]);
  const uint64_t funcs = Alloc(8 * inst.func_records.size());
  for (size_t i = 0; i < inst.func_records.size(); ++i) Write64(funcs + 8 * i, inst.func_records[i]);
  Write64(inst.vmctx + kLayout.globals, globals);
  Write64(inst.vmctx + kLayout.tables, tables);
  Write64(inst.vmctx + kLayout.type_ids, types);
  Write64(inst.vmctx + kLayout.funcs, funcs);
  for (const wasm::Export& e : m.exports) {
    ExportRef r{e.kind, 0, 0};
    switch (e.kind) {
      case wasm::ExternKind::kFunc:
        r.value = inst.func_records[e.index];
        r.type = inst.type_ids[m.func_types[e.index]];
        break;
      case wasm::ExternKind::kGlobal:
        r.value = inst.globals[e.index];
        r.type = static_cast<uint32_t>(m.global_types[e.index].type) | (m.global_types[e.index].is_mutable ? 0x100u : 0u);
        break;
      case wasm::ExternKind::kMemory:
        r.value = static_cast<uint64_t>(inst.memories[e.index]);
        break;
      case wasm::ExternKind::kTable:
        r.value = static_cast<uint64_t>(inst.tables[e.index]);
        break;
    }
    inst.exports[e.name] = r;
  }
  inst.data_dropped.assign(m.datas.size(), false);
  for (const wasm::ElemSegment& seg : m.elems) {
    std::vector<uint64_t> refs;
    if (seg.uses_exprs) {
      for (const wasm::ConstExpr& e : seg.exprs) {
        auto v = EvalConst(inst, e);
        if (!v.ok()) return v.status();
        refs.push_back(*v);
      }
    } else {
      for (uint32_t f : seg.func_indices) refs.push_back(f < inst.func_records.size() ? inst.func_records[f] : 0);
    }
    inst.elems.push_back(std::move(refs));
  }
  instances_.push_back(std::move(inst));
  Instance& live = instances_.back();
  vmctx_to_instance_[live.vmctx] = index;
  RebuildInterpreter();
  res.instance = index;

  // Segment initialization, in order, then the start function; a trap leaves earlier effects.
  auto trapped = [&](ir::TrapCode code) {
    res.kind = InstantiateResult::kTrapped;
    res.trap = code;
    return res;
  };
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const wasm::ElemSegment& seg = m.elems[i];
    if (seg.mode == wasm::SegmentMode::kActive) {
      auto off = EvalConst(live, seg.offset);
      if (!off.ok()) return off.status();
      std::vector<u128> args = {live.vmctx, static_cast<uint32_t>(seg.table), static_cast<uint32_t>(i),
                                static_cast<uint32_t>(*off), 0, static_cast<uint32_t>(live.elems[i].size())};
      auto r = RunRuntime(static_cast<int>(wasm::RuntimeFn::kTableInit), args);
      if (!r.ok()) return r.status();
      if (r->values[0] != 0) return trapped(wasm::kTrapTableOutOfBounds);
    }
    if (seg.mode != wasm::SegmentMode::kPassive) live.elems[i].clear();
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const wasm::DataSegment& seg = m.datas[i];
    if (seg.mode != wasm::SegmentMode::kActive) continue;
    auto off = EvalConst(live, seg.offset);
    if (!off.ok()) return off.status();
    std::vector<u128> args = {live.vmctx, static_cast<uint32_t>(i), static_cast<uint32_t>(*off), 0, seg.init.size()};
    auto r = RunRuntime(static_cast<int>(wasm::RuntimeFn::kMemoryInit), args);
    if (!r.ok()) return r.status();
    live.data_dropped[i] = true;
    if (r->values[0] != 0) return trapped(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
  }
  if (m.start) {
    const uint32_t s = *m.start;
    if (s < m.num_imported_funcs) {
      // An imported start function is a host print or another instance's function.
      return res;
    }
    std::vector<u128> args = {live.vmctx};
    interp_->set_step_limit(step_limit_);
    auto r = interp_->CallIndex(live.first_function + (s - m.num_imported_funcs), args);
    if (!r.ok()) return r.status();
    if (r->trapped) return trapped(r->trap);
  }
  return res;
}

absl::StatusOr<CallResult> WasmStore::RunRuntime(int fn, absl::Span<const u128> args) {
  if (args.empty()) return absl::InternalError("runtime call without vmctx");
  auto inst_or = InstanceOfVmctx(static_cast<uint64_t>(args[0]));
  if (!inst_or.ok()) return inst_or.status();
  Instance& inst = **inst_or;
  auto a = [&](size_t i) -> uint64_t { return i < args.size() ? static_cast<uint64_t>(args[i]) : 0; };
  auto a32 = [&](size_t i) -> uint64_t { return static_cast<uint32_t>(a(i)); };
  const u128 ok = 0, fail = 1;
  auto mem = [&]() -> Memory* { return inst.memories.empty() ? nullptr : &memories_[inst.memories[0]]; };
  auto table = [&](uint64_t t) -> Table* { return t < inst.tables.size() ? &tables_[inst.tables[t]] : nullptr; };
  auto sync_tables = [&](int store_index) {
    // Every instance's copy of a descriptor must follow the shared one.
    for (Instance& other : instances_) {
      if (other.module == nullptr) continue;
      const uint64_t arr = Read64(other.vmctx + kLayout.tables);
      for (size_t i = 0; i < other.tables.size(); ++i) {
        if (other.tables[i] != store_index) continue;
        Write64(arr + 16 * i, Read64(tables_[store_index].desc));
        Write64(arr + 16 * i + 8, Read64(tables_[store_index].desc + 8));
      }
    }
  };
  switch (static_cast<wasm::RuntimeFn>(fn)) {
    case wasm::RuntimeFn::kMemoryGrow: {
      Memory* m = mem();
      if (m == nullptr) return absl::InternalError("memory.grow without memory");
      const uint64_t old = m->bytes->size() >> 16, delta = a32(1);
      const uint64_t limit = std::min<uint64_t>(m->max.value_or(kMaxPages), kPageCap);
      if (old + delta > limit) return Values({0xffffffffu});
      m->bytes->resize((old + delta) << 16, 0);
      for (uint64_t vm : m->vmctxs) Write64(vm + kLayout.memory_size, m->bytes->size());
      return Values({static_cast<uint32_t>(old)});
    }
    case wasm::RuntimeFn::kMemoryFill: {
      Memory* m = mem();
      const uint64_t d = a32(1), n = a32(3);
      if (m == nullptr || d + n > m->bytes->size()) return Values({fail});
      std::memset(m->bytes->data() + d, static_cast<int>(a(2) & 0xff), n);
      return Values({ok});
    }
    case wasm::RuntimeFn::kMemoryCopy: {
      Memory* m = mem();
      const uint64_t d = a32(1), s = a32(2), n = a32(3);
      if (m == nullptr || d + n > m->bytes->size() || s + n > m->bytes->size()) return Values({fail});
      std::memmove(m->bytes->data() + d, m->bytes->data() + s, n);
      return Values({ok});
    }
    case wasm::RuntimeFn::kMemoryInit: {
      Memory* m = mem();
      const uint64_t seg = a32(1), d = a32(2), s = a32(3), n = a32(4);
      if (seg >= inst.module->datas.size()) return absl::InternalError("bad data segment");
      const wasm::ByteRange init = inst.module->datas[seg].init;
      const uint64_t len = inst.data_dropped[seg] ? 0 : init.size();
      if (m == nullptr || s + n > len || d + n > m->bytes->size()) return Values({fail});
      if (n != 0) std::memcpy(m->bytes->data() + d, inst.module->bytes.data() + init.begin + s, n);
      return Values({ok});
    }
    case wasm::RuntimeFn::kDataDrop:
      if (a32(1) < inst.data_dropped.size()) inst.data_dropped[a32(1)] = true;
      return Values({});
    case wasm::RuntimeFn::kTableGrow: {
      Table* t = table(a32(1));
      if (t == nullptr) return absl::InternalError("bad table");
      const uint64_t old = TableLength(*t), delta = a32(3);
      const uint64_t limit = std::min<uint64_t>(t->max.value_or(0xffffffffu), kTableCap);
      if (old + delta > limit) return Values({0xffffffffu});
      const uint64_t elems = Alloc(8 * (old + delta));
      const uint64_t from = Read64(t->desc);
      for (uint64_t i = 0; i < old; ++i) Write64(elems + 8 * i, Read64(from + 8 * i));
      for (uint64_t i = old; i < old + delta; ++i) Write64(elems + 8 * i, a(2));
      Write64(t->desc, elems);
      Write64(t->desc + 8, old + delta);
      sync_tables(inst.tables[a32(1)]);
      return Values({static_cast<uint32_t>(old)});
    }
    case wasm::RuntimeFn::kTableFill: {
      Table* t = table(a32(1));
      const uint64_t d = a32(2), n = a32(4);
      if (t == nullptr || d + n > TableLength(*t)) return Values({fail});
      const uint64_t elems = Read64(t->desc);
      for (uint64_t i = 0; i < n; ++i) Write64(elems + 8 * (d + i), a(3));
      return Values({ok});
    }
    case wasm::RuntimeFn::kTableCopy: {
      Table* dt = table(a32(1));
      Table* st = table(a32(2));
      const uint64_t d = a32(3), s = a32(4), n = a32(5);
      if (dt == nullptr || st == nullptr || d + n > TableLength(*dt) || s + n > TableLength(*st))
        return Values({fail});
      std::vector<uint64_t> tmp(n);
      const uint64_t se = Read64(st->desc), de = Read64(dt->desc);
      for (uint64_t i = 0; i < n; ++i) tmp[i] = Read64(se + 8 * (s + i));
      for (uint64_t i = 0; i < n; ++i) Write64(de + 8 * (d + i), tmp[i]);
      return Values({ok});
    }
    case wasm::RuntimeFn::kTableInit: {
      Table* t = table(a32(1));
      const uint64_t seg = a32(2), d = a32(3), s = a32(4), n = a32(5);
      if (seg >= inst.elems.size()) return absl::InternalError("bad element segment");
      const std::vector<uint64_t>& refs = inst.elems[seg];
      if (t == nullptr || s + n > refs.size() || d + n > TableLength(*t)) return Values({fail});
      const uint64_t de = Read64(t->desc);
      for (uint64_t i = 0; i < n; ++i) Write64(de + 8 * (d + i), refs[s + i]);
      return Values({ok});
    }
    case wasm::RuntimeFn::kElemDrop:
      if (a32(1) < inst.elems.size()) inst.elems[a32(1)].clear();
      return Values({});
    case wasm::RuntimeFn::kCount:
      break;
  }
  return absl::InternalError("unknown runtime function");
}

absl::StatusOr<CallResult> WasmStore::Invoke(int instance, const std::string& field,
                                             const std::vector<u128>& args) {
  if (instance < 0 || static_cast<size_t>(instance) >= instances_.size())
    return absl::NotFoundError("no such instance");
  const Instance& inst = instances_[instance];
  auto ex = inst.exports.find(field);
  if (ex == inst.exports.end() || ex->second.kind != wasm::ExternKind::kFunc)
    return absl::NotFoundError(absl::StrCat("no exported function ", field));
  const uint64_t rec = ex->second.value;
  const uint64_t code = Read64(rec + wasm::kFuncRecordCode);
  const uint64_t vmctx = Read64(rec + wasm::kFuncRecordVmctx);
  const uint64_t index = (code - interp::Interpreter::FuncAddr(0)) / 16;
  if (index >= functions_.size()) return absl::UnimplementedError("invoking a host function directly");
  std::vector<u128> all = {vmctx};
  all.insert(all.end(), args.begin(), args.end());
  interp_->set_step_limit(step_limit_);
  return interp_->CallIndex(index, all);
}

absl::StatusOr<std::vector<wasm::ValType>> WasmStore::ResultTypes(int instance, const std::string& field) {
  if (instance < 0 || static_cast<size_t>(instance) >= instances_.size())
    return absl::NotFoundError("no such instance");
  const Instance& inst = instances_[instance];
  auto ex = inst.exports.find(field);
  if (ex == inst.exports.end() || ex->second.kind != wasm::ExternKind::kFunc)
    return absl::NotFoundError(absl::StrCat("no exported function ", field));
  const uint32_t id = ex->second.type;
  if (id == 0 || id > canonical_types_.size()) return absl::InternalError("bad type id");
  return canonical_types_[id - 1].results;
}

absl::StatusOr<u128> WasmStore::GetGlobal(int instance, const std::string& field) {
  if (instance < 0 || static_cast<size_t>(instance) >= instances_.size())
    return absl::NotFoundError("no such instance");
  const Instance& inst = instances_[instance];
  auto ex = inst.exports.find(field);
  if (ex == inst.exports.end() || ex->second.kind != wasm::ExternKind::kGlobal)
    return absl::NotFoundError(absl::StrCat("no exported global ", field));
  uint64_t v = Read64(ex->second.value);
  const auto t = static_cast<wasm::ValType>(ex->second.type & 0xff);
  if (t == wasm::ValType::kI32 || t == wasm::ValType::kF32) v &= 0xffffffffu;
  return u128{v};
}

}  // namespace lathe::wast
