#include "module/jit_module.h"

#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "isa/x64/abi.h"
#include "isa/x64/backend.h"

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

// Entry signatures: six integer slots (rdi..r9) and eight doubles (xmm0..xmm7) cover every
// register signature; a callee ignores the registers it does not read. The return struct picks
// the registers: two integers (rax, rdx), two doubles (xmm0, xmm1) or one of each (rax, xmm0).
struct TwoWords {
  uint64_t a, b;
};
struct TwoDoubles {
  double a, b;
};
struct WordDouble {
  uint64_t a;
  double b;
};
template <typename R>
using EntryFn = R (*)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, double, double, double, double,
                      double, double, double, double);

// Code compiled with enable_pinned_reg may return with r15 (the pinned register) changed; this
// tells the compiler so right after each entry call, so that the caller saves and restores r15
// as System V requires of it.
inline __attribute__((always_inline)) void AfterEntryCall() { asm volatile("" ::: "r15", "memory"); }

uint64_t Bits(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return u;
}
double FromBits(uint64_t u) {
  double d;
  std::memcpy(&d, &u, 8);
  return d;
}
bool IsFloatType(ir::Type t) { return !t.is_int() && !t.is_vector(); }
bool IsWide(ir::Type t) { return t.is_int() && !t.is_vector() && t.lane_bits() == 128; }

}  // namespace

JitModule::~JitModule() {
  if (base_ != nullptr) munmap(base_, mapped_);
}

absl::StatusOr<std::unique_ptr<JitModule>> JitModule::Create(absl::Span<const ir::Function* const> functions,
                                                            regalloc::Algorithm algorithm, bool pinned_reg) {
  std::unique_ptr<JitModule> m(new JitModule());
  absl::flat_hash_map<std::string, size_t> by_name;
  for (size_t i = 0; i < functions.size(); ++i) by_name[functions[i]->name.ToString()] = i;
  x64::Backend backend;
  backend.set_pinned_reg(pinned_reg);
  isa::CodeBuffer buf;
  std::vector<uint8_t> image;
  struct Patch {
    size_t caller;
    uint32_t at;
    size_t callee;
  };
  std::vector<Patch> patches;
  for (size_t i = 0; i < functions.size(); ++i) {
    const ir::Function& f = *functions[i];
    Entry e;
    // One slot per register: an i128 takes two (low, high).
    for (const ir::AbiParam& p : f.signature.params) {
      e.param_float.push_back(IsFloatType(p.type));
      if (IsWide(p.type)) e.param_float.push_back(false);
    }
    e.num_params = e.param_float.size();
    e.ret_area = x64::ReturnsInMemory(f.signature);
    for (const ir::AbiParam& p : f.signature.returns) e.ret_wide.push_back(IsWide(p.type));
    for (const ir::AbiParam& p : f.signature.returns) {
      e.ret_float.push_back(IsFloatType(p.type));
      if (IsWide(p.type)) e.ret_float.push_back(false);
    }
    e.status = backend.Compile(f, algorithm, &buf);
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
      const ir::ExternalName& name = f.ext_funcs[r.callee].name;
      auto it = by_name.find(name.ToString());
      if (it == by_name.end()) {
        e.status = absl::UnimplementedError(absl::StrCat("function ", f.name.ToString(), " calls ", name.ToString(),
                                                         ", which this module does not define"));
        break;
      }
      patches.push_back({i, e.offset + r.offset, it->second});
    }
    m->entries_.push_back(std::move(e));
  }
  // A function calling one that failed cannot run either (transitively).
  for (bool changed = true; changed;) {
    changed = false;
    for (const Patch& p : patches) {
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
    int32_t rel = static_cast<int32_t>(static_cast<int64_t>(m->entries_[p.callee].offset) - (p.at + 4));
    std::memcpy(&image[p.at], &rel, 4);
  }
  if (image.empty()) image.push_back(0xCC);
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
                                                   " arguments, got ", args.size()));
  }
  InstallHandlersOnce();
  const Entry& e = entries_[index];
  uint64_t a[6] = {0, 0, 0, 0, 0, 0};
  double x[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t ni = 0, nf = 0;
  std::vector<uint64_t> area(2 * e.ret_wide.size() + 2, 0);
  if (e.ret_area) a[ni++] = reinterpret_cast<uint64_t>(area.data());
  for (size_t i = 0; i < args.size(); ++i) {
    if (e.param_float[i]) {
      if (nf < 8) x[nf++] = FromBits(args[i]);
    } else if (ni < 6) {
      a[ni++] = args[i];
    }
  }
  size_t float_rets = 0;
  for (bool fl : e.ret_float) float_rets += fl;
  size_t int_rets = e.ret_float.size() - float_rets;
  if (!e.ret_area &&
      (float_rets > 2 || int_rets > 2 || (float_rets > 0 && int_rets > 1) || (int_rets > 0 && float_rets > 1))) {
    return absl::UnimplementedError("the JIT's entry calls support at most two integer, two float, or one of each returns");
  }
  void* code_ptr = const_cast<uint8_t*>(code(index));
  ActiveCall call;
  call.base = base_;
  call.size = mapped_;
  call.traps = &traps_;
  ActiveCall* saved = g_active;
  CallOutcome out;
  g_active = &call;
  if (sigsetjmp(call.jump, 1) == 0) {
    uint64_t ints[2] = {0, 0}, floats[2] = {0, 0};
    if (e.ret_area) {
      reinterpret_cast<EntryFn<TwoWords>>(code_ptr)(a[0], a[1], a[2], a[3], a[4], a[5], x[0], x[1], x[2], x[3], x[4],
                                                    x[5], x[6], x[7]);
      AfterEntryCall();
    } else if (float_rets == 0) {
      TwoWords r = reinterpret_cast<EntryFn<TwoWords>>(code_ptr)(a[0], a[1], a[2], a[3], a[4], a[5], x[0], x[1], x[2],
                                                                 x[3], x[4], x[5], x[6], x[7]);
      AfterEntryCall();
      ints[0] = r.a;
      ints[1] = r.b;
    } else if (int_rets == 0) {
      TwoDoubles r = reinterpret_cast<EntryFn<TwoDoubles>>(code_ptr)(a[0], a[1], a[2], a[3], a[4], a[5], x[0], x[1],
                                                                     x[2], x[3], x[4], x[5], x[6], x[7]);
      AfterEntryCall();
      floats[0] = Bits(r.a);
      floats[1] = Bits(r.b);
    } else {
      WordDouble r = reinterpret_cast<EntryFn<WordDouble>>(code_ptr)(a[0], a[1], a[2], a[3], a[4], a[5], x[0], x[1],
                                                                     x[2], x[3], x[4], x[5], x[6], x[7]);
      AfterEntryCall();
      ints[0] = r.a;
      floats[0] = Bits(r.b);
    }
    if (e.ret_area) {
      for (size_t i = 0; i < e.ret_wide.size(); ++i) {
        out.values.push_back(area[2 * i]);
        if (e.ret_wide[i]) out.values.push_back(area[2 * i + 1]);
      }
    } else {
      size_t ki = 0, kf = 0;
      for (size_t i = 0; i < e.ret_float.size() && i < 2; ++i) {
        out.values.push_back(e.ret_float[i] ? floats[kf++] : ints[ki++]);
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
