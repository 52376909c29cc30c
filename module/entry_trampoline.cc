#include "module/entry_trampoline.h"

#include <cstddef>

#include "isa/x64/assembler.h"

namespace lathe::module {

void EmitEntryTrampoline(isa::CodeBuffer* buf) {
  using namespace x64;  // registers and Mem
  Assembler a(buf);
  auto at = [](size_t off) { return Mem::Base(kRbx, static_cast<int32_t>(off)); };
  // rbx holds the frame and r12 walks the stack words; both are callee-saved, so they survive
  // the call. r15 is saved for the host because code compiled with enable_pinned_reg treats it
  // as the pinned register, not as callee-saved (r13 is pushed only to keep the alignment).
  // Six pushes from an 8-mod-16 entry rsp leave rsp 16-byte aligned.
  a.Push(kRbp);
  a.MovRR(8, kRbp, kRsp);
  a.Push(kRbx);
  a.Push(kR12);
  a.Push(kR13);
  a.Push(kR15);
  a.MovRR(8, kRbx, kRdi);
  a.Load(8, kRcx, at(offsetof(EntryFrame, stack_words)));
  a.Load(8, kR12, at(offsetof(EntryFrame, stack_end)));
  isa::CodeBuffer::Label loop = buf->NewLabel(), done = buf->NewLabel();
  buf->Bind(loop);
  a.Test(8, kRcx, kRcx);
  a.Jcc(Cond::kE, done);
  a.AluRI(Alu::kSub, 8, kR12, 8);
  a.Load(8, kRax, Mem::Base(kR12, 0));
  a.Push(kRax);
  a.AluRI(Alu::kSub, 8, kRcx, 1);
  a.Jmp(loop);
  buf->Bind(done);
  for (uint8_t x = 0; x < 8; ++x) a.SseLoad(0xF3, 0x6F, x, at(offsetof(EntryFrame, xmm) + 16 * x));  // movdqu
  static constexpr uint8_t kInts[6] = {kRdi, kRsi, kRdx, kRcx, kR8, kR9};
  for (int k = 5; k >= 0; --k) a.Load(8, kInts[k], at(offsetof(EntryFrame, ints) + 8 * k));
  a.Load(8, kR11, at(offsetof(EntryFrame, target)));
  a.CallR(kR11);
  a.Store(8, at(offsetof(EntryFrame, out_ints)), kRax);
  a.Store(8, at(offsetof(EntryFrame, out_ints) + 8), kRdx);
  a.SseStore(0xF3, 0x7F, at(offsetof(EntryFrame, out_xmm)), 0);
  a.SseStore(0xF3, 0x7F, at(offsetof(EntryFrame, out_xmm) + 16), 1);
  a.Lea(kRsp, Mem::Base(kRbp, -32));
  a.Pop(kR15);
  a.Pop(kR13);
  a.Pop(kR12);
  a.Pop(kRbx);
  a.Pop(kRbp);
  a.Ret();
}

}  // namespace lathe::module
