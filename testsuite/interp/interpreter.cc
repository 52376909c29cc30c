#include "testsuite/interp/interpreter.h"

#include <algorithm>
#include <cstring>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "ir/opcode.h"
#include "ir/printer.h"
#include "testsuite/interp/libcalls.h"
#include "testsuite/interp/memory_ops.h"
#include "testsuite/interp/pure_ops.h"

namespace lathe::interp {
namespace {

using ir::Opcode;
using ir::Type;

// Function addresses handed out by func_addr: small enough for 32-bit pointers, disjoint from
// StackMemory's range, 16 apart so that an offset pointer is not mistaken for a function.
constexpr uint64_t kFuncAddrBase = 0x7f000000;

using Args = absl::InlinedVector<u128, 8>;

}  // namespace

Interpreter::Interpreter(std::vector<const ir::Function*> functions) : functions_(std::move(functions)) {
  for (int i = 0; i < ir::kNumOpcodes; ++i) {
    const ir::OpcodeInfo& info = ir::Info(static_cast<Opcode>(i));
    Shape& sh = shape_[static_cast<size_t>(i)];
    sh.args = static_cast<uint8_t>(std::strlen(info.operands));
    sh.results = static_cast<uint8_t>(std::strlen(info.results));
    sh.blocks = info.format == ir::Format::kJump ? 1 : info.format == ir::Format::kBrif ? 2
              : info.format == ir::Format::kBranchTable ? 1 : info.format == ir::Format::kTryCall ||
                info.format == ir::Format::kTryCallIndirect ? 1 : 0;
  }
}

const ir::Function* Interpreter::Find(std::string_view name) const {
  for (const ir::Function* f : functions_) {
    if (f->name.kind == ir::ExternalName::kTestCase && f->name.name == name) return f;
  }
  return nullptr;
}

absl::Status Interpreter::Error(const Frame& fr, ir::Inst inst, const std::string& message) const {
  const ir::Function& f = *functions_[fr.func];
  std::string where = f.name.ToString();
  if (inst.valid()) {
    uint32_t line = f.text_line(inst);
    absl::StrAppend(&where, line != 0 ? absl::StrCat(" line ", line) : std::string(), " (",
                    ir::PrintInst(f, inst), ")");
  }
  return absl::Status(absl::StatusCode::kUnimplemented, absl::StrCat(where, ": ", message));
}

size_t Interpreter::AddHostFunction(ir::ExternalName name, HostFunction fn) {
  host_.emplace_back(std::move(name), std::move(fn));
  return host_.size() - 1;
}

uint64_t Interpreter::FuncAddr(size_t function_index) { return kFuncAddrBase + 16 * uint64_t{function_index}; }
uint64_t Interpreter::HostFuncAddr(size_t host_id) { return FuncAddr(kHostBase + host_id); }

absl::StatusOr<uint32_t> Interpreter::ResolveFuncRef(const ir::Function& f, uint32_t fn_ref) const {
  if (fn_ref >= f.ext_funcs.size()) return absl::InvalidArgumentError("bad function reference");
  const ir::ExternalName& name = f.ext_funcs[fn_ref].name;
  for (size_t i = 0; i < functions_.size(); ++i) {
    const ir::ExternalName& n = functions_[i]->name;
    if (n.kind == name.kind && n.name == name.name && n.ns == name.ns && n.index == name.index) {
      return static_cast<uint32_t>(i);
    }
  }
  for (size_t i = 0; i < host_.size(); ++i) {
    const ir::ExternalName& n = host_[i].first;
    if (n.kind == name.kind && n.name == name.name && n.ns == name.ns && n.index == name.index) {
      return static_cast<uint32_t>(kHostBase + i);
    }
  }
  if (name.kind == ir::ExternalName::kTestCase) {
    if (std::optional<int> id = LibcallId(name.name)) return static_cast<uint32_t>(functions_.size() + *id);
  }
  return absl::UnimplementedError(
      absl::StrCat("call to ", name.ToString(), ", which is neither defined in the file nor a known libcall"));
}

absl::Status Interpreter::PushFrame(uint32_t func, absl::Span<const u128> args, bool* overflow) {
  *overflow = false;
  const ir::Function& f = *functions_[func];
  if (frames_.size() >= max_frames_) {
    *overflow = true;
    return absl::OkStatus();
  }
  ir::Block entry = f.entry_block();
  if (!entry.valid()) return absl::InvalidArgumentError(absl::StrCat(f.name.ToString(), " has no blocks"));
  absl::Span<const ir::Value> params = f.dfg.block_params(entry);
  if (params.size() != args.size()) {
    return absl::InvalidArgumentError(absl::StrCat(f.name.ToString(), " takes ", params.size(),
                                                   " arguments, got ", args.size()));
  }
  Frame fr;
  fr.func = func;
  fr.regs.assign(f.dfg.num_values(), 0);
  fr.stack_mark = memory_.mark();
  fr.slot_addr.resize(f.stack_slots.size(), 0);
  for (size_t s = 0; s < f.stack_slots.size(); ++s) {
    const ir::StackSlotData& sd = f.stack_slots[s];
    if (!sd.declared) continue;
    uint64_t align = uint64_t{1} << std::min<uint32_t>(sd.align_shift, 12);
    uint64_t addr = memory_.Allocate(std::max<uint64_t>(sd.size, 1), std::max<uint64_t>(align, 16));
    if (addr == 0) {
      memory_.Release(fr.stack_mark);
      *overflow = true;
      return absl::OkStatus();
    }
    fr.slot_addr[s] = addr;
  }
  for (size_t i = 0; i < params.size(); ++i) {
    Type t = f.dfg.value_type(params[i]);
    fr.regs[params[i].index()] = t.valid() && TotalBits(t) < 128 ? MaskBits(args[i], TotalBits(t)) : args[i];
  }
  fr.inst = f.layout.first_inst(entry);
  frames_.push_back(std::move(fr));
  return absl::OkStatus();
}

absl::Status Interpreter::EnterBlock(Frame& fr, uint32_t block_call, absl::Span<const u128> rets) {
  const ir::Function& f = *functions_[fr.func];
  const ir::BlockCallData& bc = f.dfg.block_call(block_call);
  absl::Span<const ir::BlockArg> bargs = f.dfg.block_call_args(block_call);
  absl::Span<const ir::Value> params = f.dfg.block_params(bc.block);
  if (bargs.size() != params.size()) return absl::InvalidArgumentError("branch argument count mismatch");
  if (!f.layout.IsBlockInserted(bc.block)) return absl::InvalidArgumentError("branch to a block not in the layout");
  // All arguments are read before any parameter is written (parallel assignment).
  Args vals;
  for (const ir::BlockArg& ba : bargs) {
    switch (ba.kind()) {
      case ir::BlockArg::kValue: {
        ir::Value v = f.dfg.Resolve(ba.value());
        if (!v.valid() || v.index() >= fr.regs.size()) return absl::InvalidArgumentError("branch argument is not a valid value");
        vals.push_back(fr.regs[v.index()]);
        break;
      }
      case ir::BlockArg::kTryCallRet:
        if (ba.index() >= rets.size()) return absl::InvalidArgumentError("ret index out of range");
        vals.push_back(rets[ba.index()]);
        break;
      case ir::BlockArg::kTryCallExn:
        return absl::UnimplementedError("exception payloads are not supported");
    }
  }
  for (size_t i = 0; i < params.size(); ++i) fr.regs[params[i].index()] = vals[i];
  fr.inst = f.layout.first_inst(bc.block);
  return absl::OkStatus();
}

absl::StatusOr<CallResult> Interpreter::Call(std::string_view name, absl::Span<const u128> args) {
  for (size_t i = 0; i < functions_.size(); ++i) {
    const ir::ExternalName& n = functions_[i]->name;
    if (n.kind == ir::ExternalName::kTestCase && n.name == name) return CallIndex(i, args);
  }
  return absl::NotFoundError(absl::StrCat("no function named %", std::string(name)));
}

absl::StatusOr<CallResult> Interpreter::CallIndex(size_t index, absl::Span<const u128> args) {
  frames_.clear();
  memory_.Release(StackMemory::kBase);
  call_start_steps_ = steps_;
  CallResult out;
  bool overflow = false;
  absl::Status s = PushFrame(static_cast<uint32_t>(index), args, &overflow);
  if (!s.ok()) return s;
  if (overflow) {
    out.trapped = true;
    out.trap = ir::TrapCode(ir::TrapCode::kStackOverflow);
    return out;
  }
  absl::StatusOr<bool> r = Run(&out);
  frames_.clear();
  memory_.Release(StackMemory::kBase);
  if (!r.ok()) return r.status();
  return out;
}

absl::StatusOr<bool> Interpreter::Run(CallResult* out) {
  u128 results[4];
  Type result_types[4];
  Type arg_types[8];
  Args args;
  for (;;) {
    Frame* fr = &frames_.back();
    const ir::Function& f = *functions_[fr->func];
    const ir::DataFlowGraph& dfg = f.dfg;
    const ir::Inst inst = fr->inst;
    if (!inst.valid()) return Error(*fr, inst, "execution ran past the end of a block");
    if (++steps_ - call_start_steps_ > step_limit_) {
      return absl::ResourceExhaustedError(absl::StrCat("step limit of ", step_limit_, " instructions exceeded"));
    }
    const ir::InstData& d = dfg.inst(inst);
    const Opcode op = d.opcode;
    absl::Span<const ir::Value> arg_values = dfg.args(inst);
    args.clear();
    for (ir::Value v : arg_values) {
      if (v.index() < fr->regs.size() && dfg.value(v).kind != ir::ValueData::kAlias) {
        args.push_back(fr->regs[v.index()]);
        continue;
      }
      ir::Value r = dfg.Resolve(v);
      if (!r.valid() || r.index() >= fr->regs.size()) return Error(*fr, inst, "operand is not a valid value");
      args.push_back(fr->regs[r.index()]);
    }
    absl::Span<const ir::Value> res_values = dfg.results(inst);
    // The interpreter expects verified IR; these cheap checks turn unverified shapes into
    // errors instead of out-of-range reads.
    if (arg_values.size() < shape_[static_cast<size_t>(op)].args ||
        res_values.size() < shape_[static_cast<size_t>(op)].results ||
        dfg.block_calls(inst).size() < shape_[static_cast<size_t>(op)].blocks) {
      return Error(*fr, inst, "malformed instruction (run the verifier first)");
    }
    auto trap = [&](uint8_t code) {
      out->trapped = true;
      out->trap = ir::TrapCode(code);
      return true;
    };
    auto next = [&]() { fr->inst = f.layout.next_inst(inst); };
    auto set_result = [&](size_t i, u128 v) {
      Type t = dfg.value_type(res_values[i]);
      if (t.is_dynamic()) t = t.dynamic_base();
      fr->regs[res_values[i].index()] = TotalBits(t) < 128 ? MaskBits(v, TotalBits(t)) : v;
    };

    // Calls, returns and control flow.
    switch (op) {
      case Opcode::kJump: {
        absl::Status s = EnterBlock(*fr, dfg.block_calls(inst)[0], {});
        if (!s.ok()) return s;
        continue;
      }
      case Opcode::kBrif: {
        Type ct = dfg.value_type(arg_values[0]);
        bool taken = MaskBits(args[0], TotalBits(ct)) != 0;
        absl::Status s = EnterBlock(*fr, dfg.block_calls(inst)[taken ? 0 : 1], {});
        if (!s.ok()) return s;
        continue;
      }
      case Opcode::kBrTable: {
        absl::Span<const uint32_t> calls = dfg.block_calls(inst);
        u128 idx = MaskBits(args[0], 32);
        uint32_t bc = idx + 1 < calls.size() ? calls[static_cast<size_t>(idx) + 1] : calls[0];
        absl::Status s = EnterBlock(*fr, bc, {});
        if (!s.ok()) return s;
        continue;
      }
      case Opcode::kReturn:
      case Opcode::kCall:
      case Opcode::kCallIndirect:
      case Opcode::kReturnCall:
      case Opcode::kReturnCallIndirect:
      case Opcode::kTryCall:
      case Opcode::kTryCallIndirect: {
        Args rets;
        uint32_t callee = 0;
        bool is_call = op != Opcode::kReturn;
        if (is_call) {
          absl::Span<const u128> call_args(args);
          if (op == Opcode::kCall || op == Opcode::kReturnCall || op == Opcode::kTryCall) {
            absl::StatusOr<uint32_t> c = ResolveFuncRef(f, d.entity);
            if (!c.ok()) return Error(*fr, inst, std::string(c.status().message()));
            callee = *c;
          } else {
            u128 addr = args[0];
            call_args = call_args.subspan(1);
            uint64_t total = functions_.size() + 64;
            const bool host = addr >= kFuncAddrBase && (addr - kFuncAddrBase) % 16 == 0 &&
                              (addr - kFuncAddrBase) / 16 >= kHostBase &&
                              (addr - kFuncAddrBase) / 16 < kHostBase + host_.size();
            if (!host && (addr < kFuncAddrBase || (addr - kFuncAddrBase) % 16 != 0 || (addr - kFuncAddrBase) / 16 >= total)) {
              return Error(*fr, inst, "indirect call to an address that is not a function");
            }
            callee = static_cast<uint32_t>((addr - kFuncAddrBase) / 16);
          }
          if (callee >= kHostBase) {
            absl::StatusOr<CallResult> r = host_[callee - kHostBase].second(call_args);
            if (!r.ok()) return Error(*fr, inst, std::string(r.status().message()));
            if (r->trapped) return trap(r->trap.code());
            rets.assign(r->values.begin(), r->values.end());
          } else if (callee >= functions_.size()) {
            int id = static_cast<int>(callee - functions_.size());
            if (call_args.size() != LibcallArity(id)) return Error(*fr, inst, "wrong number of libcall arguments");
            rets.push_back(EvalLibcall(id, call_args));
          } else {
            bool tail = op == Opcode::kReturnCall || op == Opcode::kReturnCallIndirect;
            Args copy(call_args.begin(), call_args.end());
            if (tail) {
              memory_.Release(fr->stack_mark);
              frames_.pop_back();
            }
            bool overflow = false;
            absl::Status s = PushFrame(callee, copy, &overflow);
            if (!s.ok()) return s;
            if (overflow) return trap(ir::TrapCode::kStackOverflow);
            continue;  // the callee's `return` delivers its values below
          }
        } else {
          rets.assign(args.begin(), args.end());
        }
        // Deliver `rets`: either from a libcall (the current frame stays) or from a return.
        if (!is_call || op == Opcode::kReturnCall || op == Opcode::kReturnCallIndirect) {
          memory_.Release(fr->stack_mark);
          frames_.pop_back();
          if (frames_.empty()) {
            out->values.assign(rets.begin(), rets.end());
            return true;
          }
          fr = &frames_.back();
        }
        // `fr` is now the frame whose current instruction is the call receiving `rets`.
        const ir::Function& cf = *functions_[fr->func];
        const ir::Inst call = fr->inst;
        const ir::InstData& cd = cf.dfg.inst(call);
        if (cd.opcode == Opcode::kTryCall || cd.opcode == Opcode::kTryCallIndirect) {
          absl::Status s = EnterBlock(*fr, cf.dfg.block_calls(call)[0], rets);
          if (!s.ok()) return s;
          continue;
        }
        absl::Span<const ir::Value> cres = cf.dfg.results(call);
        if (cres.size() != rets.size()) return Error(*fr, call, "callee returned a different number of values");
        for (size_t i = 0; i < cres.size(); ++i) {
          Type t = cf.dfg.value_type(cres[i]);
          fr->regs[cres[i].index()] = TotalBits(t) < 128 ? MaskBits(rets[i], TotalBits(t)) : rets[i];
        }
        fr->inst = cf.layout.next_inst(call);
        continue;
      }
      default:
        break;
    }

    switch (op) {
      case Opcode::kTrap:
        return trap(d.trap.code());
      case Opcode::kTrapz:
      case Opcode::kTrapnz: {
        Type ct = dfg.value_type(arg_values[0]);
        bool nz = MaskBits(args[0], TotalBits(ct)) != 0;
        if (nz == (op == Opcode::kTrapnz)) return trap(d.trap.code());
        next();
        continue;
      }
      case Opcode::kUaddOverflowTrap: {
        Type t = dfg.value_type(res_values[0]);
        u128 s = MaskBits(args[0] + args[1], TotalBits(t));
        if (s < MaskBits(args[0], TotalBits(t))) return trap(d.trap.code());
        set_result(0, s);
        next();
        continue;
      }
      case Opcode::kDebugtrap:
      case Opcode::kFence:
      case Opcode::kSequencePoint:
      case Opcode::kNop:
        next();
        continue;
      case Opcode::kFuncAddr: {
        absl::StatusOr<uint32_t> c = ResolveFuncRef(f, d.entity);
        if (!c.ok()) return Error(*fr, inst, std::string(c.status().message()));
        set_result(0, kFuncAddrBase + 16 * uint64_t{*c});
        next();
        continue;
      }
      case Opcode::kStackAddr: {
        if (d.entity >= fr->slot_addr.size()) return Error(*fr, inst, "bad stack slot");
        set_result(0, fr->slot_addr[d.entity] + static_cast<uint64_t>(d.imm));
        next();
        continue;
      }
      case Opcode::kGetPinnedReg:
        set_result(0, pinned_reg_);
        next();
        continue;
      case Opcode::kSetPinnedReg:
        pinned_reg_ = args[0];
        next();
        continue;
      case Opcode::kLoad: case Opcode::kUload8: case Opcode::kSload8: case Opcode::kUload16:
      case Opcode::kSload16: case Opcode::kUload32: case Opcode::kSload32: case Opcode::kUload8x8:
      case Opcode::kSload8x8: case Opcode::kUload16x4: case Opcode::kSload16x4: case Opcode::kUload32x2:
      case Opcode::kSload32x2: case Opcode::kAtomicLoad:
      case Opcode::kStore: case Opcode::kIstore8: case Opcode::kIstore16: case Opcode::kIstore32:
      case Opcode::kAtomicStore:
      case Opcode::kAtomicRmw: case Opcode::kAtomicCas: {
        const uint16_t flags = ir::Info(op).flags;
        MemResult m;
        if (op == Opcode::kAtomicRmw || op == Opcode::kAtomicCas) {
          m = ExecAtomic(d, args, dfg.value_type(res_values[0]), memory_);
        } else if (flags & ir::kStore) {
          m = ExecStore(d, args[0], dfg.value_type(arg_values[0]), args[1], memory_);
        } else {
          m = ExecLoad(d, args[0], dfg.value_type(res_values[0]), memory_);
        }
        if (m.kind == MemResult::kTrap) return trap(m.trap);
        if (m.kind == MemResult::kUnsupported) return Error(*fr, inst, m.reason);
        if (!res_values.empty()) set_result(0, m.value);
        next();
        continue;
      }
      default:
        break;
    }

    // Opcodes with effects not handled above fall through to EvalPure's "not implemented".
    if (res_values.size() > 4 || arg_values.size() > 8) return Error(*fr, inst, "too many operands");
    // Dynamic vectors run with a scale of 1: each is its base fixed vector, the value that
    // `dyn_scale_target_const` = 1 gives (a valid choice of target scale).
    auto fixed = [](Type t) { return t.is_dynamic() ? t.dynamic_base() : t; };
    for (size_t i = 0; i < arg_values.size(); ++i) arg_types[i] = fixed(dfg.value_type(arg_values[i]));
    for (size_t i = 0; i < res_values.size(); ++i) result_types[i] = fixed(dfg.value_type(res_values[i]));
    PureInst pi{&f, &d, absl::MakeConstSpan(args), absl::MakeConstSpan(arg_types, arg_values.size()),
                absl::MakeConstSpan(result_types, res_values.size())};
    PureOutcome o = EvalPure(pi, results);
    switch (o.status) {
      case EvalStatus::kOk:
        for (size_t i = 0; i < res_values.size(); ++i) set_result(i, results[i]);
        next();
        continue;
      case EvalStatus::kTrap:
        return trap(o.trap.code());
      case EvalStatus::kUnsupported:
        return Error(*fr, inst, o.reason);
    }
  }
}

}  // namespace lathe::interp
