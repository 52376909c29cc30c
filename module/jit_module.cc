#include "module/jit_module.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <cstring>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "isa/common/compile.h"
#include "isa/targets.h"
#include "isa/x64/abi.h"
#include "isa/common/compile.h"
#include "isa/targets.h"
#include "isa/x64/abi.h"
#include "isa/x64/libcall.h"
#include "module/entry_trampoline.h"

namespace lathe::module {
namespace {

// The active call on this thread, for the signal handler.
struct ActiveCall {
  const uint8_t* base = nullptr;
  size_t size = 0;
  const std::vector<isa::TrapRecord>* traps = nullptr;
  sigjmp_buf jump;
  ir::TrapCode trap;
};
thread_local ActiveCall* g_active = nullptr;

void OnSignal(int sig, siginfo_t*, void* context) {
  ActiveCall* call = g_active;
  auto* uc = static_cast<ucontext_t*>(context);
  uintptr_t pc = static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
  if (call != nullptr && pc >= reinterpret_cast<uintptr_t>(call->base) &&
      pc < reinterpret_cast<uintptr_t>(call->base) + call->size) {
    uint32_t off = static_cast<uint32_t>(pc - reinterpret_cast<uintptr_t>(call->base));
    auto it = std::lower_bound(call->traps->begin(), call->traps->end(), off,
                               [](const isa::TrapRecord& r, uint32_t o) { return r.offset < o; });
    call->trap = (it != call->traps->end() && it->offset == off) ? it->code
                 : sig == SIGSEGV ? ir::TrapCode(ir::TrapCode::kStackOverflow)
                                  : ir::TrapCode(ir::TrapCode::kHeapOutOfBounds);
    siglongjmp(call->jump, 1);
  }
  // Not ours: restore the default action and let the fault happen again.
  signal(sig, SIG_DFL);
}

void InstallHandlersOnce() {
  static bool done = [] {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = OnSignal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGILL, SIGFPE, SIGSEGV, SIGBUS}) sigaction(sig, &sa, nullptr);
    return true;
  }();
  (void)done;
  // Each thread needs its own alternate stack so stack overflows can be reported.
  thread_local std::vector<uint8_t> alt_stack;
  if (alt_stack.empty()) {
    alt_stack.resize(64 * 1024);
    stack_t ss;
    ss.ss_sp = alt_stack.data();
    ss.ss_size = alt_stack.size();
    ss.ss_flags = 0;
    sigaltstack(&ss, nullptr);
  }
}

// Types passed in xmm registers: floats and 128-bit vectors.
bool IsFloatType(ir::Type t) { return !t.is_int() || t.is_vector(); }
// Values taking two 64-bit slots: i128, f128 and 128-bit vectors.
bool TwoSlots(ir::Type t) { return t.bits_total() == 128; }

// A jump stub to a host symbol: jmp [rip + 0] followed by the absolute address.
void EmitHostStub(const void* address, std::vector<uint8_t>* image) {
  static constexpr uint8_t kJmpRipIndirect[] = {0xFF, 0x25, 0, 0, 0, 0};
  image->insert(image->end(), std::begin(kJmpRipIndirect), std::end(kJmpRipIndirect));
  uint64_t a = reinterpret_cast<uint64_t>(address);
  for (int k = 0; k < 8; ++k) image->push_back(static_cast<uint8_t>(a >> (8 * k)));
}

}  // namespace

JitModule::~JitModule() {
  if (base_ != nullptr) munmap(base_, mapped_);
}

absl::StatusOr<std::unique_ptr<JitModule>> JitModule::Create(absl::Span<const ir::Function* const> functions,
                                                            isa::OptLevel level, const isa::TargetSpec* target,
                                                            const HostSymbols* symbols) {
  absl::StatusOr<isa::TargetSpec> host = isa::HostTarget();
  if (!host.ok()) return host.status();
  const isa::TargetSpec& spec = target != nullptr ? *target : *host;
  if (spec.target == nullptr || !isa::IsHostTarget(*spec.target)) {
    return absl::InvalidArgumentError("the JIT compiles for the host's target only");
  }
  absl::StatusOr<std::unique_ptr<isa::TargetIsa>> isa_or = isa::CreateTargetIsa(spec);
  if (!isa_or.ok()) return isa_or.status();
  isa::TargetIsa& isa = **isa_or;
  isa::CompileContext ctx;
  std::unique_ptr<JitModule> m(new JitModule());
  absl::flat_hash_map<std::string, size_t> by_name;
  for (size_t i = 0; i < functions.size(); ++i) by_name[functions[i]->name.ToString()] = i;
  isa::CodeBuffer buf;
  // The entry trampoline comes first, at offset 0.
  EmitEntryTrampoline(&buf);
  absl::Status tramp = buf.Finish();
  if (!tramp.ok()) return tramp;
  std::vector<uint8_t> image = buf.bytes();
  struct Patch {
    size_t caller;
    uint32_t at;
    size_t callee;       // a function index, or
    uint32_t stub = 0;   // the offset of a host symbol's jump stub when callee == SIZE_MAX
  };
  std::vector<Patch> patches;
  absl::flat_hash_map<std::string, const void*> used_symbols;
  std::vector<std::pair<size_t, std::string>> patch_names;  // (patch, host symbol) for stubs
  for (size_t i = 0; i < functions.size(); ++i) {
    const ir::Function& f = *functions[i];
    Entry e;
    for (const ir::AbiParam& p : f.signature.params) {
      e.params.push_back(p.type);
      e.num_params += TwoSlots(p.type) ? 2 : 1;
    }
    for (const ir::AbiParam& p : f.signature.returns) e.returns.push_back(p.type);
    e.layout = x64::LayoutArgs(f.signature);
    e.status = isa::Compile(f, isa, level, ctx, &buf);
    if (!e.status.ok()) {
      m->entries_.push_back(std::move(e));
      continue;
    }
    while (image.size() % 16 != 0) image.push_back(0xCC);
    e.offset = static_cast<uint32_t>(image.size());
    e.size = static_cast<uint32_t>(buf.bytes().size());
    image.insert(image.end(), buf.bytes().begin(), buf.bytes().end());
    for (const isa::TrapRecord& t : buf.traps()) m->traps_.push_back({e.offset + t.offset, t.code});
    for (const isa::CallReloc& r : buf.relocs()) {
      const std::string name = x64::IsLibcallReloc(r.callee) ? absl::StrCat("%", x64::LibcallName(r.callee))
                                                             : f.ext_funcs[r.callee].name.ToString();
      auto it = by_name.find(name);
      if (it != by_name.end()) {
        patches.push_back({i, e.offset + r.offset, it->second});
        continue;
      }
      const void* host = symbols != nullptr ? symbols->Find(name) : nullptr;
      if (host == nullptr) {
        e.status = absl::UnimplementedError(absl::StrCat("function ", f.name.ToString(), " calls ", name,
                                                         ", which neither this module nor the host symbols define"));
        break;
      }
      used_symbols[name] = host;
      patches.push_back({i, e.offset + r.offset, SIZE_MAX});
      patch_names.push_back({patches.size() - 1, name});
    }
    m->entries_.push_back(std::move(e));
  }
  // One jump stub per host symbol, after the functions.
  absl::flat_hash_map<std::string, uint32_t> stub_at;
  for (auto& [patch, name] : patch_names) {
    auto it = stub_at.find(name);
    if (it == stub_at.end()) {
      while (image.size() % 16 != 0) image.push_back(0xCC);
      it = stub_at.emplace(name, static_cast<uint32_t>(image.size())).first;
      EmitHostStub(used_symbols[name], &image);
    }
    patches[patch].stub = it->second;
  }
  // A function calling one that failed cannot run either (transitively).
  for (bool changed = true; changed;) {
    changed = false;
    for (const Patch& p : patches) {
      if (p.callee == SIZE_MAX) continue;
      if (m->entries_[p.caller].status.ok() && !m->entries_[p.callee].status.ok()) {
        m->entries_[p.caller].status = absl::Status(
            m->entries_[p.callee].status.code(),
            absl::StrCat("calls ", functions[p.callee]->name.ToString(), ": ", m->entries_[p.callee].status.message()));
        changed = true;
      }
    }
  }
  for (const Patch& p : patches) {
    if (!m->entries_[p.caller].status.ok()) continue;
    int64_t target = p.callee == SIZE_MAX ? p.stub : m->entries_[p.callee].offset;
    int32_t rel = static_cast<int32_t>(target - (static_cast<int64_t>(p.at) + 4));
    std::memcpy(&image[p.at], &rel, 4);
  }
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  m->mapped_ = std::max<size_t>(page, (image.size() + page - 1) / page * page);
  void* mem = mmap(nullptr, m->mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return absl::ResourceExhaustedError("mmap of JIT code failed");
  m->base_ = static_cast<uint8_t*>(mem);
  std::memcpy(m->base_, image.data(), image.size());
  if (mprotect(m->base_, m->mapped_, PROT_READ | PROT_EXEC) != 0) {
    return absl::InternalError("mprotect of JIT code to read+execute failed");
  }
  std::sort(m->traps_.begin(), m->traps_.end(),
            [](const isa::TrapRecord& a, const isa::TrapRecord& b) { return a.offset < b.offset; });
  return m;
}

absl::StatusOr<CallOutcome> JitModule::Call(size_t index, absl::Span<const uint64_t> args) const {
  if (index >= entries_.size()) return absl::InvalidArgumentError(absl::StrCat("no function ", index));
  if (!entries_[index].status.ok()) return entries_[index].status;
  if (args.size() != entries_[index].num_params) {
    return absl::InvalidArgumentError(absl::StrCat("function ", index, " takes ", entries_[index].num_params,
                                                   " argument slots, got ", args.size()));
  }
  InstallHandlersOnce();
  const Entry& e = entries_[index];
  const x64::ArgLayout& lay = e.layout;
  EntryFrame frame;
  frame.target = reinterpret_cast<uint64_t>(code(index));
  std::vector<uint64_t> stack(lay.stack_bytes / 8 + 2, 0);
  std::vector<uint64_t> area(2 * e.returns.size() + 2, 0);
  // Puts one 64-bit slot (half 0 or 1 of a part) where the layout says.
  auto place = [&](const x64::ArgPart& p, int half, uint64_t v) {
    switch (p.kind) {
      case x64::ArgPart::kIntReg:
        for (int k = 0; k < 6; ++k) {
          if (x64::kArgRegs[k] == p.reg) frame.ints[k] = v;
        }
        break;
      case x64::ArgPart::kFloatReg: frame.xmm[p.reg][half] = v; break;
      case x64::ArgPart::kStack: stack[p.offset / 8 + half] = v; break;
    }
  };
  size_t part = 0, slot = 0;
  if (lay.ret_area) place(lay.parts[part++], 0, reinterpret_cast<uint64_t>(area.data()));
  for (ir::Type t : e.params) {
    if (!TwoSlots(t)) {
      place(lay.parts[part++], 0, args[slot++]);
    } else if (IsFloatType(t)) {  // f128 or a vector: one part of two halves
      place(lay.parts[part], 0, args[slot++]);
      place(lay.parts[part++], 1, args[slot++]);
    } else {  // i128: two parts
      place(lay.parts[part++], 0, args[slot++]);
      place(lay.parts[part++], 0, args[slot++]);
    }
  }
  frame.stack_words = (lay.stack_bytes / 8 + 1) / 2 * 2;
  frame.stack_end = stack.data() + frame.stack_words;
  auto trampoline = reinterpret_cast<EntryTrampoline>(base_);
  ActiveCall call;
  call.base = base_;
  call.size = mapped_;
  call.traps = &traps_;
  ActiveCall* saved = g_active;
  CallOutcome out;
  g_active = &call;
  if (sigsetjmp(call.jump, 1) == 0) {
    trampoline(&frame);
    if (lay.ret_area) {
      for (size_t i = 0; i < e.returns.size(); ++i) {
        out.values.push_back(area[2 * i]);
        if (TwoSlots(e.returns[i])) out.values.push_back(area[2 * i + 1]);
      }
    } else {
      size_t ki = 0, kf = 0;
      for (ir::Type t : e.returns) {
        if (IsFloatType(t)) {
          const uint64_t* x = frame.out_xmm[kf++ % 2];
          out.values.push_back(x[0]);
          if (TwoSlots(t)) out.values.push_back(x[1]);
        } else {
          out.values.push_back(frame.out_ints[ki++ % 2]);
          if (TwoSlots(t)) out.values.push_back(frame.out_ints[ki++ % 2]);
        }
      }
    }
  } else {
    out.trapped = true;
    out.trap = call.trap;
  }
  g_active = saved;
  return out;
}

}  // namespace lathe::module
