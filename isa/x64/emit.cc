#include "isa/x64/emit.h"

#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "ir/atomic_rmw_op.h"
#include "ir/condcodes.h"
#include "isa/common/frame_layout.h"
#include "isa/x64/abi.h"
#include "isa/x64/assembler.h"

namespace lathe::x64 {
namespace {

using isa::CodeBuffer;
using regalloc::Location;

// Spill slots hold a whole xmm register (an f128 or a vector spills with movups).
constexpr uint32_t kSpillSlotBytes = 16;

class Emitter {
 public:
  Emitter(const VCode& vc, const regalloc::Allocation& alloc, CodeBuffer* buf)
      : vc_(vc), rf_(vc.alloc_fn), alloc_(alloc), buf_(buf), a_(buf) {}

  absl::Status Run() {
    absl::Status frame = LayoutFrame();
    if (!frame.ok()) return frame;
    labels_.resize(rf_.blocks.size());
    for (auto& l : labels_) l = buf_->NewLabel();
    Prologue();
    size_t e = 0;
    for (uint32_t b = 0; b < rf_.blocks.size(); ++b) {
      buf_->Bind(labels_[b]);
      block_ = b;
      for (uint32_t i = rf_.blocks[b].insts_begin; i < rf_.blocks[b].insts_end; ++i) {
        for (; e < alloc_.edits.size() && alloc_.edits[e].point == regalloc::ProgPoint::Before(i); ++e) Move(alloc_.edits[e]);
        absl::Status s = Inst(i);
        if (!s.ok()) return s;
        for (; e < alloc_.edits.size() && alloc_.edits[e].point == regalloc::ProgPoint::After(i); ++e) Move(alloc_.edits[e]);
      }
    }
    return buf_->Finish();
  }

 private:
  // Unimplemented when the frame does not fit the 32-bit rsp adjustment.
  absl::Status LayoutFrame() {
    bool used[16] = {};
    auto note = [&](Location l) {
      if (l.is_reg() && l.reg().reg_class() == regalloc::RegClass::kInt) used[l.reg().hw()] = true;
    };
    for (Location l : alloc_.operand_locs) note(l);
    for (const regalloc::Edit& ed : alloc_.edits) {
      note(ed.from);
      note(ed.to);
    }
    for (uint8_t r = 0; r < 16; ++r) {
      if (used[r] && IsCalleeSaved(r) && r != kRbp) saved_.push_back(r);
    }
    // The shared layout (isa/common/frame_layout.h) with x86-64's numbers: spill slots of 16
    // bytes (an f128 or a vector spills whole), stack slots at least 8-aligned, and below the
    // frame the return address, rbp and the callee-saved pushes (the call boundary is
    // 16-aligned). 0x7fff0000 leaves room for offsets within the 32-bit rsp adjustment.
    isa::FrameRequest req;
    req.outgoing_bytes = vc_.outgoing_bytes;
    req.call_ret_area_bytes = vc_.call_ret_area_bytes;
    req.num_spill_slots = alloc_.num_spill_slots;
    req.spill_slot_bytes = kSpillSlotBytes;
    req.slot_size = vc_.slot_size;
    req.slot_align = vc_.slot_align;
    req.min_slot_align = 8;
    req.pushed_bytes = static_cast<uint32_t>(16 + 8 * saved_.size());
    req.stack_align = 16;
    req.max_frame = 0x7fff0000;
    absl::StatusOr<isa::FrameLayout> frame = isa::LayOutFrame(req);
    if (!frame.ok()) return absl::UnimplementedError(absl::StrCat("x64 backend does not support ", frame.status().message()));
    frame_ = std::move(*frame);
    return absl::OkStatus();
  }
  void Prologue() {
    a_.Push(kRbp);
    a_.MovRR(8, kRbp, kRsp);
    for (uint8_t r : saved_) a_.Push(r);
    if (frame_.size != 0) a_.AluRI(Alu::kSub, 8, kRsp, static_cast<int32_t>(frame_.size));
  }
  void Epilogue() {
    TearDownFrame();
    if (vc_.callee_pops && vc_.incoming_stack_bytes != 0) {
      a_.RetImm(static_cast<uint16_t>(vc_.incoming_stack_bytes));
    } else {
      a_.Ret();
    }
  }
  // Restores callee-saved registers and rbp; touches no argument register, so a tail call can
  // follow it.
  void TearDownFrame() {
    if (frame_.size != 0) a_.AluRI(Alu::kAdd, 8, kRsp, static_cast<int32_t>(frame_.size));
    for (size_t i = saved_.size(); i-- > 0;) a_.Pop(saved_[i]);
    a_.Pop(kRbp);
  }
  Mem Spill(uint32_t slot) const {
    return Mem::Base(kRsp, static_cast<int32_t>(frame_.spill_offset(slot, kSpillSlotBytes)));
  }
  void Move(const regalloc::Edit& ed) {
    bool fl = (ed.from.is_reg() ? ed.from.reg() : ed.to.reg()).reg_class() == regalloc::RegClass::kFloat;
    if (fl) {
      if (ed.from.is_reg() && ed.to.is_reg()) {
        if (ed.from.reg() != ed.to.reg()) a_.SseRR(0, 0x28, ed.to.reg().hw(), ed.from.reg().hw());
      } else if (ed.from.is_reg()) {  // movups: all 128 bits, for f128 values
        a_.SseStore(0, 0x11, Spill(ed.to.slot()), ed.from.reg().hw());
      } else {
        a_.SseLoad(0, 0x10, ed.to.reg().hw(), Spill(ed.from.slot()));
      }
      return;
    }
    if (ed.from.is_reg() && ed.to.is_reg()) {
      if (ed.from.reg() != ed.to.reg()) a_.MovRR(8, ed.to.reg().hw(), ed.from.reg().hw());
    } else if (ed.from.is_reg()) {
      a_.Store(8, Spill(ed.to.slot()), ed.from.reg().hw());
    } else {
      a_.Load(8, ed.to.reg().hw(), Spill(ed.from.slot()));
    }
  }
  uint8_t R(uint32_t inst, int k) const {
    Location l = alloc_.operand_locs[rf_.insts[inst].operands_begin + k];
    return static_cast<uint8_t>(l.reg().hw());
  }
  uint32_t Succ(int k) const { return rf_.succs[rf_.blocks[block_].succs_begin + k]; }
  bool IsNext(uint32_t b) const { return b == block_ + 1; }
  void JumpTo(uint32_t b) {
    if (!IsNext(b)) a_.Jmp(labels_[b]);
  }
  void TrapUnless(Cond ok, ir::TrapCode code) {
    CodeBuffer::Label skip = buf_->NewLabel();
    a_.Jcc(ok, skip);
    buf_->AddTrap(code);
    a_.Ud2();
    buf_->Bind(skip);
  }
  absl::StatusOr<Mem> Addr(uint8_t base, int64_t off) const {
    if (off < INT32_MIN || off > INT32_MAX) return absl::UnimplementedError(absl::StrCat("memory offset ", off, " beyond 32 bits"));
    return Mem::Base(base, static_cast<int32_t>(off));
  }

  absl::Status Inst(uint32_t i) {
    const MInst& m = vc_.insts[i];
    const int sz = m.size;
    switch (m.op) {
      case MOp::kArgs: break;
      case MOp::kMovImm: a_.MovRI(R(i, 0), static_cast<uint64_t>(m.imm)); break;
      case MOp::kAlu: a_.AluRR(static_cast<Alu>(m.sub), sz, R(i, 2), R(i, 1)); break;
      case MOp::kAluImm: a_.AluRI(static_cast<Alu>(m.sub), sz, R(i, 1), static_cast<int32_t>(m.imm)); break;
      case MOp::kImul: a_.Imul(sz, R(i, 2), R(i, 1)); break;
      case MOp::kUnary:
        if (m.sub == 0) a_.Neg(sz, R(i, 1)); else a_.Not(sz, R(i, 1));
        break;
      case MOp::kShift: EmitShift(i, m); break;
      case MOp::kDiv: EmitDiv(i, m); break;
      case MOp::kMinMax:
        a_.AluRR(Alu::kCmp, sz, R(i, 0), R(i, 1));
        a_.Cmov(static_cast<Cond>(m.sub), sz == 8 ? 8 : 4, R(i, 2), R(i, 1));
        break;
      case MOp::kIcmp:
        a_.AluRR(Alu::kCmp, sz, R(i, 0), R(i, 1));
        a_.Setcc(static_cast<Cond>(m.sub), R(i, 2));
        a_.Movzx(1, R(i, 2), R(i, 2));
        break;
      case MOp::kSelect:
        a_.Test(sz, R(i, 0), R(i, 0));
        a_.Cmov(Cond::kNe, 8, R(i, 3), R(i, 1));
        break;
      case MOp::kSelectIcmp:
        a_.AluRR(Alu::kCmp, sz, R(i, 0), R(i, 1));
        a_.Cmov(static_cast<Cond>(m.sub), 8, R(i, 4), R(i, 2));
        break;
      case MOp::kExt:
        if (m.sub == 0) a_.Movzx(sz, R(i, 1), R(i, 0)); else a_.Movsx(sz, R(i, 1), R(i, 0));
        break;
      case MOp::kCopy:
        if (R(i, 0) != R(i, 1)) a_.MovRR(8, R(i, 1), R(i, 0));
        break;
      case MOp::kLoad: {
        absl::StatusOr<Mem> mem = MemOf(i, 0, LastOperand(i), m);
        if (!mem.ok()) return mem.status();
        MemTrap(m);
        if (m.sub == 1 && sz < 8) a_.LoadSx(sz, R(i, 1), *mem); else a_.Load(sz, R(i, 1), *mem);
        break;
      }
      case MOp::kStore: {
        absl::StatusOr<Mem> mem = MemOf(i, 1, LastOperand(i), m);
        if (!mem.ok()) return mem.status();
        MemTrap(m);
        a_.Store(sz, *mem, R(i, 0));
        break;
      }
      case MOp::kStackAddr: {
        if (m.aux >= frame_.slot_offset.size()) return absl::InvalidArgumentError(absl::StrCat("stack slot ss", m.aux, " does not exist"));
        absl::StatusOr<Mem> mem = Addr(kRsp, frame_.slot_offset[m.aux] + m.imm);
        if (!mem.ok()) return mem.status();
        a_.Lea(R(i, 0), *mem);
        break;
      }
      case MOp::kJump: JumpTo(Succ(0)); break;
      case MOp::kBrif:
      case MOp::kBrIcmp: {
        Cond cc = Cond::kNe;
        if (m.op == MOp::kBrif) {
          a_.Test(sz, R(i, 0), R(i, 0));
        } else {
          a_.AluRR(Alu::kCmp, sz, R(i, 0), R(i, 1));
          cc = static_cast<Cond>(m.sub);
        }
        if (IsNext(Succ(0))) {
          a_.Jcc(Invert(cc), labels_[Succ(1)]);
        } else {
          a_.Jcc(cc, labels_[Succ(0)]);
          JumpTo(Succ(1));
        }
        break;
      }
      case MOp::kImul128: {
        // (ahi:alo) * (bhi:blo) mod 2^128 = alo*blo (128-bit) + ((alo*bhi + ahi*blo) << 64).
        uint8_t alo = R(i, 0), ahi = R(i, 1), blo = R(i, 2), bhi = R(i, 3), t1 = R(i, 4), t2 = R(i, 5);
        a_.MovRR(8, t1, alo);
        a_.Imul(8, t1, bhi);
        a_.MovRR(8, t2, ahi);
        a_.Imul(8, t2, blo);
        a_.AluRR(Alu::kAdd, 8, t1, t2);
        if (alo != kRax) a_.MovRR(8, kRax, alo);
        a_.MulWide(8, blo);
        a_.AluRR(Alu::kAdd, 8, kRdx, t1);
        break;
      }
      case MOp::kBrif128:
        a_.Test(8, R(i, 0), R(i, 0));
        a_.Jcc(Cond::kNe, labels_[Succ(0)]);
        a_.Test(8, R(i, 1), R(i, 1));
        a_.Jcc(Cond::kNe, labels_[Succ(0)]);
        JumpTo(Succ(1));
        break;
      case MOp::kBrTable: {
        // Entries are rel32 from the end of each entry, so the buffer's one fixup kind fills
        // them: target = &entry + 4 + entry. r11 is the resolver's scratch, free here.
        uint32_t n = rf_.blocks[block_].succs_end - rf_.blocks[block_].succs_begin;
        if (n <= 1) {
          JumpTo(Succ(0));
          break;
        }
        uint8_t t = R(i, 0);
        a_.AluRI(Alu::kCmp, 4, t, static_cast<int32_t>(n - 1));
        a_.Jcc(Cond::kAe, labels_[Succ(0)]);
        CodeBuffer::Label table = buf_->NewLabel();
        a_.LeaRipLabel(kR11, table);
        a_.LeaIndexed(kR11, kR11, t, 2, 0);
        a_.LoadSx(4, t, Mem::Base(kR11, 0));
        a_.LeaIndexed(kR11, kR11, t, 0, 4);
        a_.JmpR(kR11);
        buf_->Bind(table);
        const uint32_t table_start = buf_->offset();
        for (uint32_t k = 1; k < n; ++k) buf_->UseLabelRel32(labels_[Succ(static_cast<int>(k))]);
        buf_->MarkData(table_start, buf_->offset());
        break;
      }
      case MOp::kReturn: Epilogue(); break;
      case MOp::kCall:
        a_.CallRel32(m.aux);
        RestoreAfterCalleePops(m);
        break;
      case MOp::kCallIndirect:
        a_.CallR(R(i, 0));
        RestoreAfterCalleePops(m);
        break;
      case MOp::kTailCall:
        TailCallFrame(m);
        a_.JmpRel32Callee(m.aux);
        break;
      case MOp::kTailCallIndirect:
        TailCallFrame(m);
        a_.JmpR(R(i, 0));
        break;
      case MOp::kFuncAddr: a_.LeaRipCallee(R(i, 0), m.aux); break;
      case MOp::kTrap:
        buf_->AddTrap(m.trap);
        a_.Ud2();
        break;
      case MOp::kTrapIf:
        a_.Test(sz, R(i, 0), R(i, 0));
        TrapUnless(m.sub == 1 ? Cond::kE : Cond::kNe, m.trap);
        break;
      case MOp::kGprToXmm: a_.MovGprToXmm(sz, R(i, 1), R(i, 0)); break;
      case MOp::kXmmToGpr: a_.MovXmmToGpr(sz, R(i, 1), R(i, 0)); break;
      case MOp::kSse: a_.SseRR(sz == 4 ? 0xF3 : 0xF2, m.sub, R(i, 2), R(i, 1)); break;
      case MOp::kSseUnary: a_.SseRR(static_cast<uint8_t>(m.imm), m.sub, R(i, 1), R(i, 0)); break;
      case MOp::kRound: a_.Round(sz == 8, R(i, 1), R(i, 0), m.sub); break;
      case MOp::kFsign: EmitFsign(i, m); break;
      case MOp::kToInt: EmitToInt(i, m); break;
      case MOp::kFminMax: {
        // NaN in, canonical NaN out; equal operands (including +0 and -0) combine their bits so
        // that min prefers -0 and max +0; otherwise minss/maxss are exact.
        uint8_t b = R(i, 1), d = R(i, 3);  // op 2: unused int temp
        const bool dbl = sz == 8, is_max = m.sub == 1;
        CodeBuffer::Label nan = buf_->NewLabel(), ne = buf_->NewLabel(), done = buf_->NewLabel();
        a_.SseRR(dbl ? 0x66 : 0, 0x2E, d, b);
        a_.Jcc(Cond::kP, nan);
        a_.Jcc(Cond::kNe, ne);
        a_.SseRR(0, is_max ? 0x54 : 0x56, d, b);
        a_.Jmp(done);
        buf_->Bind(ne);
        a_.SseRR(dbl ? 0xF2 : 0xF3, is_max ? 0x5F : 0x5D, d, b);
        a_.Jmp(done);
        buf_->Bind(nan);
        a_.SseLoadConst(dbl ? 0xF2 : 0xF3, 0x10, d, buf_->AddConst(sz, dbl ? 0x7ff8000000000000ull : 0x7fc00000u));
        buf_->Bind(done);
        break;
      }
      case MOp::kFence: a_.Mfence(); break;
      case MOp::kAtomicRmw: {
        // A compare-exchange loop: rax holds the old value, t the new one.
        uint8_t addr = R(i, 0), src = R(i, 1), t = R(i, 2);
        const int osz = sz == 8 ? 8 : 4;
        Mem mem = Mem::Base(addr, 0);
        buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
        a_.Load(sz, kRax, mem);
        CodeBuffer::Label loop = buf_->NewLabel();
        buf_->Bind(loop);
        a_.MovRR(8, t, kRax);
        switch (static_cast<ir::AtomicRmwOp>(m.sub)) {
          case ir::AtomicRmwOp::kAdd: a_.AluRR(Alu::kAdd, osz, t, src); break;
          case ir::AtomicRmwOp::kSub: a_.AluRR(Alu::kSub, osz, t, src); break;
          case ir::AtomicRmwOp::kAnd: a_.AluRR(Alu::kAnd, osz, t, src); break;
          case ir::AtomicRmwOp::kNand:
            a_.AluRR(Alu::kAnd, osz, t, src);
            a_.Not(osz, t);
            break;
          case ir::AtomicRmwOp::kOr: a_.AluRR(Alu::kOr, osz, t, src); break;
          case ir::AtomicRmwOp::kXor: a_.AluRR(Alu::kXor, osz, t, src); break;
          case ir::AtomicRmwOp::kXchg: a_.MovRR(8, t, src); break;
          case ir::AtomicRmwOp::kUmin:
          case ir::AtomicRmwOp::kUmax:
          case ir::AtomicRmwOp::kSmin:
          case ir::AtomicRmwOp::kSmax: {
            static constexpr Cond kTakeSrc[] = {Cond::kA, Cond::kB, Cond::kG, Cond::kL};
            a_.AluRR(Alu::kCmp, sz, t, src);
            a_.Cmov(kTakeSrc[m.sub - static_cast<uint8_t>(ir::AtomicRmwOp::kUmin)], osz, t, src);
            break;
          }
        }
        buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
        a_.LockCmpxchg(sz, mem, t);
        a_.Jcc(Cond::kNe, loop);
        break;
      }
      case MOp::kCas: {
        absl::StatusOr<Mem> mem = Addr(R(i, 1), 0);
        if (!mem.ok()) return mem.status();
        buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
        a_.LockCmpxchg(sz, *mem, R(i, 2));
        break;
      }
      case MOp::kBitCount128: {
        // ops: lo, hi, t, [t2 (popcnt without the extension),] dlo, dhi
        const bool fallback = m.imm != 0;
        const int k = fallback && m.sub == 0 ? 1 : 0;
        uint8_t lo = R(i, 0), hi = R(i, 1), t = R(i, 2), t2 = k ? R(i, 3) : 0, dlo = R(i, 3 + k), dhi = R(i, 4 + k);
        if (m.sub == 0) {
          Count(0, fallback, 8, t, hi, t2);
          Count(0, fallback, 8, dlo, lo, t2);
          a_.AluRR(Alu::kAdd, 8, dlo, t);
        } else {
          // clz: the high half's count unless it is all zero (64), then 64 + the low half's;
          // ctz the same with the halves exchanged.
          uint8_t first = m.sub == 1 ? hi : lo, second = m.sub == 1 ? lo : hi;
          Count(m.sub, fallback, 8, t, first, 0);
          Count(m.sub, fallback, 8, dlo, second, 0);
          a_.AluRI(Alu::kAdd, 8, dlo, 64);
          a_.AluRI(Alu::kCmp, 8, t, 64);
          a_.Cmov(Cond::kNe, 8, dlo, t);
        }
        a_.AluRR(Alu::kXor, 4, dhi, dhi);
        break;
      }
      case MOp::kCls: {
        // cls(x) = clz(x ^ (x >> (width-1))) - 1, computed on the value sign-extended to 64 bits.
        uint8_t t = R(i, 1), d = R(i, 2);
        if (sz == 8) a_.MovRR(8, t, R(i, 0)); else a_.Movsx(sz, t, R(i, 0));
        a_.MovRR(8, d, t);
        a_.ShiftImm(Shift::kSar, 8, t, 63);
        a_.AluRR(Alu::kXor, 8, d, t);
        Count(1, m.imm != 0, 8, d, d, 0);
        a_.AluRI(Alu::kSub, 4, d, 65 - sz * 8);
        break;
      }
      case MOp::kFma: a_.Fmadd231(sz == 8, R(i, 3), R(i, 0), R(i, 1)); break;
      case MOp::kBmask:
        a_.Test(sz, R(i, 0), R(i, 0));
        a_.Setcc(Cond::kNe, R(i, 1));
        a_.Movzx(1, R(i, 1), R(i, 1));
        a_.Neg(8, R(i, 1));
        break;
      case MOp::kOverflow: EmitOverflow(i, m); break;
      case MOp::kAlu128: {
        Alu lo = static_cast<Alu>(m.sub);
        Alu hi = lo == Alu::kAdd ? Alu::kAdc : lo == Alu::kSub ? Alu::kSbb : lo;
        a_.AluRR(lo, 8, R(i, 4), R(i, 2));
        a_.AluRR(hi, 8, R(i, 5), R(i, 3));
        break;
      }
      case MOp::kIcmp128: EmitIcmp128(i, m); break;
      case MOp::kSelect128:
        a_.Test(sz, R(i, 0), R(i, 0));
        a_.Cmov(Cond::kNe, 8, R(i, 5), R(i, 1));
        a_.Cmov(Cond::kNe, 8, R(i, 6), R(i, 2));
        break;
      case MOp::kShift128: {
        // The hardware shifts by the count modulo 64; bit 6 of the count (the amount is taken
        // modulo 128) then moves one half into the other.
        uint8_t lo = R(i, 4), hi = R(i, 5);
        Shift op = static_cast<Shift>(m.sub);
        a_.MovRR(4, kRcx, R(i, 2));
        if (op == Shift::kShl) {
          a_.ShiftDoubleCl(true, hi, lo);
          a_.ShiftCl(Shift::kShl, 8, lo);
        } else {
          a_.ShiftDoubleCl(false, lo, hi);
          a_.ShiftCl(op, 8, hi);
        }
        CodeBuffer::Label done = buf_->NewLabel();
        a_.AluRI(Alu::kAnd, 4, kRcx, 64);
        a_.Jcc(Cond::kE, done);
        if (op == Shift::kShl) {
          a_.MovRR(8, hi, lo);
          a_.AluRR(Alu::kXor, 4, lo, lo);
        } else {
          a_.MovRR(8, lo, hi);
          if (op == Shift::kSar) a_.ShiftImm(Shift::kSar, 8, hi, 63); else a_.AluRR(Alu::kXor, 4, hi, hi);
        }
        buf_->Bind(done);
        break;
      }
      case MOp::kOverflow128: {
        bool add = m.sub == kUaddOvf || m.sub == kSaddOvf;
        bool is_signed = m.sub == kSaddOvf || m.sub == kSsubOvf;
        a_.AluRR(add ? Alu::kAdd : Alu::kSub, 8, R(i, 4), R(i, 2));
        a_.AluRR(add ? Alu::kAdc : Alu::kSbb, 8, R(i, 5), R(i, 3));
        a_.Setcc(is_signed ? Cond::kO : Cond::kB, R(i, 6));
        a_.Movzx(1, R(i, 6), R(i, 6));
        break;
      }
      case MOp::kUnary128:
        if (m.sub == 1) {
          a_.Not(8, R(i, 2));
          a_.Not(8, R(i, 3));
        } else {  // -(hi:lo) = (-hi - borrow):(-lo)
          a_.Neg(8, R(i, 2));
          a_.AluRI(Alu::kAdc, 8, R(i, 3), 0);
          a_.Neg(8, R(i, 3));
        }
        break;
      case MOp::kSarImm: a_.ShiftImm(Shift::kSar, 8, R(i, 1), static_cast<uint8_t>(m.imm)); break;
      case MOp::kLoad128: {
        absl::StatusOr<Mem> lo = Addr(R(i, 0), m.imm), hi = Addr(R(i, 0), m.imm + 8);
        if (!lo.ok() || !hi.ok()) return lo.ok() ? hi.status() : lo.status();
        buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
        a_.Load(8, R(i, 1), *lo);
        buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
        a_.Load(8, R(i, 2), *hi);
        break;
      }
      case MOp::kStore128: {
        absl::StatusOr<Mem> lo = Addr(R(i, 2), m.imm), hi = Addr(R(i, 2), m.imm + 8);
        if (!lo.ok() || !hi.ok()) return lo.ok() ? hi.status() : lo.status();
        buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
        a_.Store(8, *lo, R(i, 0));
        buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
        a_.Store(8, *hi, R(i, 1));
        break;
      }
      case MOp::kAddTrapC:
        a_.AluRR(Alu::kAdd, sz, R(i, 2), R(i, 1));  // the type's own width, so CF is its carry
        TrapUnless(Cond::kAe, m.trap);
        break;
      case MOp::kBitCount: {
        // ops: a, [t (popcnt without the extension),] d
        const bool fallback = m.imm != 0;
        const bool scratch = fallback && m.sub == 0;
        uint8_t a = R(i, 0), t = scratch ? R(i, 1) : 0, d = R(i, scratch ? 2 : 1);
        if (sz >= 4) {
          Count(m.sub, fallback, sz, d, a, t);
          break;
        }
        a_.Movzx(sz, d, a);
        if (m.sub == 2) a_.BitImm(5, 4, d, static_cast<uint8_t>(sz * 8));  // bts: ctz(0) = width
        Count(m.sub, fallback, 4, d, d, t);
        if (m.sub == 1) a_.AluRI(Alu::kSub, 4, d, 32 - sz * 8);
        break;
      }
      case MOp::kFcmp: EmitFcmp(i, m); break;
      case MOp::kSelectF: {
        CodeBuffer::Label skip = buf_->NewLabel();
        a_.Test(sz, R(i, 0), R(i, 0));
        a_.Jcc(Cond::kE, skip);
        if (R(i, 3) != R(i, 1)) a_.SseRR(0, 0x28, R(i, 3), R(i, 1));
        buf_->Bind(skip);
        break;
      }
      case MOp::kCvtFromInt: {
        uint8_t t = R(i, 1);
        if (m.sub == 1) {
          if (sz == 8) a_.MovRR(8, t, R(i, 0)); else a_.Movsx(sz, t, R(i, 0));
        } else {
          a_.Movzx(sz, t, R(i, 0));
        }
        a_.CvtSi2F(m.imm == 8, 8, R(i, 2), t);
        break;
      }
      case MOp::kLoadConst:
        if (m.imm == 0) {
          a_.SseRR(0, 0x57, R(i, 0), R(i, 0));  // xorps: +0.0 needs no memory
        } else {
          a_.SseLoadConst(sz == 4 ? 0xF3 : 0xF2, 0x10, R(i, 0),
                          buf_->AddConst(sz, sz == 4 ? static_cast<uint64_t>(m.imm) & 0xffffffffu : static_cast<uint64_t>(m.imm)));
        }
        break;
      case MOp::kFload: {
        absl::StatusOr<Mem> mem = MemOf(i, 0, LastOperand(i), m);
        if (!mem.ok()) return mem.status();
        MemTrap(m);
        if (sz == 16) a_.SseLoad(0xF3, 0x6F, R(i, 1), *mem); else a_.SseLoad(sz == 4 ? 0xF3 : 0xF2, 0x10, R(i, 1), *mem);
        break;
      }
      case MOp::kFstore: {
        absl::StatusOr<Mem> mem = MemOf(i, 1, LastOperand(i), m);
        if (!mem.ok()) return mem.status();
        MemTrap(m);
        if (sz == 16) a_.SseStore(0xF3, 0x7F, *mem, R(i, 0)); else a_.SseStore(sz == 4 ? 0xF3 : 0xF2, 0x11, *mem, R(i, 0));
        break;
      }
      // --- Scalar opcode completions.
      case MOp::kOrHalves:
      case MOp::kRotate128:
      case MOp::kCls128:
      case MOp::kBitrev:
      case MOp::kBitrev128:
      case MOp::kBswap:
      case MOp::kBswap128:
      case MOp::kMulHi:
      case MOp::kUmulOvf64:
      case MOp::kIabs:
      case MOp::kIabs128:
      case MOp::kSseLogic:
      case MOp::kFnot:
      case MOp::kBitselect:
      case MOp::kBitselectF:
      case MOp::kCvtFromU64:
      case MOp::kCarryOp:
      case MOp::kCarryOp128:
      case MOp::kFrameReg:
      case MOp::kDebugtrap:
      case MOp::kPinnedReg:
      case MOp::kMinMax128:
      case MOp::kConcat:
      case MOp::kSplitHigh:
      case MOp::kRoundSse2:
      case MOp::kFmaF32:
        EmitScalarCompletion(i, m);
        break;
      case MOp::kAtomicLoad128:
      case MOp::kAtomicStore128:
      case MOp::kCas128:
      case MOp::kAtomicRmw128:
        EmitAtomic128(i, m);
        break;
      case MOp::kFrameLoad:
      case MOp::kFrameStore:
      case MOp::kFrameAddr:
      case MOp::kXmmFromPair:
      case MOp::kXmmToPair: EmitAbiOp(i, m); break;
      case MOp::kAluMem:
      case MOp::kIcmpMem:
      case MOp::kSseMem:
      case MOp::kImulMem: return EmitMemOperand(i, m);
      case MOp::kVec:
      case MOp::kVecUn:
      case MOp::kVecConst:
      case MOp::kVecConstOp:
      case MOp::kVecShiftImm:
      case MOp::kVecFromGpr:
      case MOp::kVecToGpr:
      case MOp::kVecTest:
      case MOp::kVecFma: EmitSimd(i, m); break;
    }
    return absl::OkStatus();
  }

  // --- Scalar opcode completions. Operand orders are documented on each MOp (vcode.h).
  void EmitScalarCompletion(uint32_t i, const MInst& m) {
    const int sz = m.size;
    switch (m.op) {
      case MOp::kOrHalves: a_.AluRR(Alu::kOr, 8, R(i, 2), R(i, 1)); break;
      case MOp::kRotate128: {
        // Rotating by 64 exchanges the halves; the rest (count mod 64) is two double shifts,
        // each filling from the other half's original bits.
        uint8_t t = R(i, 4), lo = R(i, 5), hi = R(i, 6);
        a_.MovRR(4, kRcx, R(i, 2));
        CodeBuffer::Label no_swap = buf_->NewLabel();
        a_.BitImm(4, 4, kRcx, 6);  // bt ecx, 6
        a_.Jcc(Cond::kAe, no_swap);
        a_.MovRR(8, t, lo);
        a_.MovRR(8, lo, hi);
        a_.MovRR(8, hi, t);
        buf_->Bind(no_swap);
        bool left = m.sub == 0;
        uint8_t first = left ? hi : lo, second = left ? lo : hi;
        a_.MovRR(8, t, first);
        a_.ShiftDoubleCl(left, first, second);
        a_.ShiftDoubleCl(left, second, t);
        break;
      }
      case MOp::kCls128: {
        // cls = clz(x ^ sign mask) - 1 over 128 bits; the inputs are dead once t1/t2 hold the
        // xor-ed halves, so the results may reuse their registers.
        uint8_t t1 = R(i, 2), t2 = R(i, 3), dlo = R(i, 4), dhi = R(i, 5);
        a_.MovRR(8, t1, R(i, 1));
        a_.ShiftImm(Shift::kSar, 8, t1, 63);
        a_.MovRR(8, t2, R(i, 1));
        a_.AluRR(Alu::kXor, 8, t2, t1);
        a_.AluRR(Alu::kXor, 8, t1, R(i, 0));
        Count(1, m.imm != 0, 8, dlo, t1, 0);  // clz: lzcnt, or bsr without it
        a_.AluRI(Alu::kAdd, 8, dlo, 64);
        Count(1, m.imm != 0, 8, t1, t2, 0);
        a_.AluRI(Alu::kCmp, 8, t1, 64);
        a_.Cmov(Cond::kNe, 8, dlo, t1);
        a_.AluRI(Alu::kSub, 8, dlo, 1);
        a_.AluRR(Alu::kXor, 4, dhi, dhi);
        break;
      }
      case MOp::kBitrev:
        Reverse64(R(i, 3), R(i, 1), R(i, 2));
        if (sz < 8) a_.ShiftImm(Shift::kShr, 8, R(i, 3), static_cast<uint8_t>(64 - 8 * sz));
        break;
      case MOp::kBitrev128:
        Reverse64(R(i, 4), R(i, 2), R(i, 3));
        Reverse64(R(i, 5), R(i, 2), R(i, 3));
        break;
      case MOp::kBswap:
        if (sz == 2) a_.ShiftImm(Shift::kRol, 2, R(i, 1), 8);
        if (sz >= 4) a_.Bswap(sz, R(i, 1));
        break;
      case MOp::kBswap128:
        a_.Bswap(8, R(i, 2));
        a_.Bswap(8, R(i, 3));
        break;
      case MOp::kMulHi: {
        const bool is_signed = m.sub == 1;
        if (sz == 8) {
          if (is_signed) a_.ImulWide(8, R(i, 1)); else a_.MulWide(8, R(i, 1));
          break;
        }
        uint8_t t = R(i, 2), d = R(i, 3);
        auto ext = [&](uint8_t dst, uint8_t src) {
          if (is_signed) a_.Movsx(sz, dst, src); else a_.Movzx(sz, dst, src);
        };
        ext(t, R(i, 0));
        ext(d, R(i, 1));
        a_.Imul(8, d, t);
        a_.ShiftImm(is_signed ? Shift::kSar : Shift::kShr, 8, d, static_cast<uint8_t>(8 * sz));
        break;
      }
      case MOp::kUmulOvf64:
        a_.MulWide(8, R(i, 1));  // CF = OF = (rdx != 0)
        a_.Setcc(Cond::kO, R(i, 4));
        a_.Movzx(1, R(i, 4), R(i, 4));
        break;
      case MOp::kIabs: {
        // neg sets SF when the negation is negative, i.e. the input was positive; the minimum
        // stays itself.
        uint8_t d = R(i, 1);
        a_.MovRR(8, d, R(i, 0));
        a_.Neg(sz, d);
        a_.Cmov(Cond::kS, sz == 8 ? 8 : 4, d, R(i, 0));
        break;
      }
      case MOp::kIabs128: {
        // (x ^ s) - s with s the sign mask.
        uint8_t t = R(i, 2), lo = R(i, 3), hi = R(i, 4);
        a_.MovRR(8, t, hi);
        a_.ShiftImm(Shift::kSar, 8, t, 63);
        a_.AluRR(Alu::kXor, 8, lo, t);
        a_.AluRR(Alu::kXor, 8, hi, t);
        a_.AluRR(Alu::kSub, 8, lo, t);
        a_.AluRR(Alu::kSbb, 8, hi, t);
        break;
      }
      case MOp::kSseLogic: a_.SseRR(0, m.sub, R(i, 2), R(i, 1)); break;
      case MOp::kFnot:
        a_.SseRR(0x66, 0x76, R(i, 1), R(i, 1));  // pcmpeqd t, t: all ones
        a_.SseRR(0, 0x57, R(i, 2), R(i, 1));
        break;
      case MOp::kBitselect: {
        uint8_t d = R(i, 3);
        a_.MovRR(8, d, R(i, 1));
        a_.AluRR(Alu::kXor, 8, d, R(i, 2));
        a_.AluRR(Alu::kAnd, 8, d, R(i, 0));
        a_.AluRR(Alu::kXor, 8, d, R(i, 2));
        break;
      }
      case MOp::kBitselectF: {
        uint8_t c = R(i, 0), t = R(i, 3), d = R(i, 4);
        a_.SseRR(0, 0x28, d, c);
        a_.SseRR(0, 0x55, d, R(i, 2));  // andnps: ~c & y
        a_.SseRR(0, 0x28, t, R(i, 1));
        a_.SseRR(0, 0x54, t, c);
        a_.SseRR(0, 0x56, d, t);
        break;
      }
      case MOp::kCvtFromU64: {
        // Below 2^63 the signed conversion is exact; above, convert (x >> 1) | (x & 1) and
        // double it: the sticky low bit keeps the rounding of the halved value correct.
        const bool dbl = m.imm == 8;
        uint8_t a = R(i, 0), t1 = R(i, 1), t2 = R(i, 2), d = R(i, 3);
        CodeBuffer::Label big = buf_->NewLabel(), done = buf_->NewLabel();
        a_.Test(8, a, a);
        a_.Jcc(Cond::kS, big);
        a_.CvtSi2F(dbl, 8, d, a);
        a_.Jmp(done);
        buf_->Bind(big);
        a_.MovRR(8, t1, a);
        a_.ShiftImm(Shift::kShr, 8, t1, 1);
        a_.MovRR(4, t2, a);
        a_.AluRI(Alu::kAnd, 4, t2, 1);
        a_.AluRR(Alu::kOr, 8, t1, t2);
        a_.CvtSi2F(dbl, 8, d, t1);
        a_.SseRR(dbl ? 0xF2 : 0xF3, 0x58, d, d);
        buf_->Bind(done);
        break;
      }
      case MOp::kCarryOp:
      case MOp::kCarryOp128: {
        // neg of the incoming i8 sets CF exactly when it is non-zero; adc/sbb consume it.
        const bool wide = m.op == MOp::kCarryOp128;
        const bool add = m.sub == kUaddOvf || m.sub == kSaddOvf;
        const bool is_signed = m.sub == kSaddOvf || m.sub == kSsubOvf;
        const Alu op = add ? Alu::kAdc : Alu::kSbb;
        uint8_t t = R(i, wide ? 5 : 3), flag = R(i, wide ? 8 : 5);
        a_.MovRR(4, t, R(i, wide ? 4 : 2));
        a_.Neg(1, t);
        if (wide) {
          a_.AluRR(op, 8, R(i, 6), R(i, 2));
          a_.AluRR(op, 8, R(i, 7), R(i, 3));
        } else {
          a_.AluRR(op, sz, R(i, 4), R(i, 1));
        }
        a_.Setcc(is_signed ? Cond::kO : Cond::kB, flag);
        a_.Movzx(1, flag, flag);
        break;
      }
      case MOp::kFrameReg:
        if (m.sub == 0) a_.MovRR(8, R(i, 0), kRbp);
        if (m.sub == 1) a_.MovRR(8, R(i, 0), kRsp);
        if (m.sub == 2) a_.Load(8, R(i, 0), Mem::Base(kRbp, 8));  // pushed by the call
        break;
      case MOp::kDebugtrap: a_.Int3(); break;
      case MOp::kPinnedReg:
        if (m.sub == 0) a_.MovRR(8, R(i, 0), kPinnedReg); else a_.MovRR(8, kPinnedReg, R(i, 0));
        break;
      case MOp::kMinMax128: {
        // Flags of a - b over 128 bits (t takes the high half's borrowing subtraction).
        uint8_t t = R(i, 4), lo = R(i, 5), hi = R(i, 6);
        Cond take_b = static_cast<Cond>(m.sub);
        a_.AluRR(Alu::kCmp, 8, lo, R(i, 2));
        a_.MovRR(8, t, hi);
        a_.AluRR(Alu::kSbb, 8, t, R(i, 3));
        a_.Cmov(take_b, 8, lo, R(i, 2));
        a_.Cmov(take_b, 8, hi, R(i, 3));
        break;
      }
      case MOp::kConcat: {
        uint8_t t = R(i, 2), d = R(i, 3);
        a_.MovRR(8, t, R(i, 1));
        a_.ShiftImm(Shift::kShl, 8, t, static_cast<uint8_t>(8 * sz));
        a_.Movzx(sz, d, R(i, 0));
        a_.AluRR(Alu::kOr, 8, d, t);
        break;
      }
      case MOp::kSplitHigh: a_.ShiftImm(Shift::kShr, 8, R(i, 1), static_cast<uint8_t>(8 * sz)); break;
      case MOp::kRoundSse2: RoundSse2(i, m); break;
      case MOp::kFmaF32: FmaF32(i); break;
      default: break;
    }
  }

  // Stack arguments, return areas and f128 halves (see the MOp comments in vcode.h).
  void EmitAbiOp(uint32_t i, const MInst& m) {
    const bool fl = alloc_.operand_locs[rf_.insts[i].operands_begin].reg().reg_class() == regalloc::RegClass::kFloat;
    auto frame = [&](int64_t off) {
      if (m.sub == 0) return Mem::Base(kRbp, static_cast<int32_t>(16 + off));
      return Mem::Base(kRsp, static_cast<int32_t>((m.sub == 2 ? vc_.outgoing_bytes : 0) + off));
    };
    switch (m.op) {
      case MOp::kFrameLoad:
        if (!fl) a_.Load(8, R(i, 0), frame(m.imm));
        else if (m.size == 16) a_.SseLoad(0xF3, 0x6F, R(i, 0), frame(m.imm));  // movdqu
        else a_.SseLoad(0xF2, 0x10, R(i, 0), frame(m.imm));                     // movsd
        break;
      case MOp::kFrameStore:
        if (!fl) a_.Store(8, frame(m.imm), R(i, 0));
        else if (m.size == 16) a_.SseStore(0xF3, 0x7F, frame(m.imm), R(i, 0));
        else a_.SseStore(0xF2, 0x11, frame(m.imm), R(i, 0));
        break;
      case MOp::kFrameAddr: a_.Lea(R(i, 0), frame(m.imm)); break;
      case MOp::kXmmFromPair: {  // movq d, lo; movq t, hi; punpcklqdq d, t
        uint8_t t = R(i, 2), d = R(i, 3);
        a_.MovGprToXmm(8, d, R(i, 0));
        a_.MovGprToXmm(8, t, R(i, 1));
        a_.SseRR(0x66, 0x6C, d, t);
        break;
      }
      case MOp::kXmmToPair: {  // movq lo, a; movhlps t, a; movq hi, t
        uint8_t a = R(i, 0), t = R(i, 1);
        a_.MovXmmToGpr(8, R(i, 2), a);
        a_.SseRR(0, 0x12, t, a);
        a_.MovXmmToGpr(8, R(i, 3), t);
        break;
      }
      default: break;
    }
  }

  // floor/ceil/trunc/nearest with SSE2 only. For |a| < 2^52 (f64; 2^23 for f32), where not
  // every value is an integer, n = (|a| + 2^52) - 2^52 is |a| rounded to nearest-even (the
  // default rounding mode); floor/ceil of |a| then correct n by one where it overshoots, the
  // modes pick floor or ceil of |a| by a's sign, and a's sign is put back (so zeros keep it).
  // Larger values, infinities and NaN are already integral: the result is a (NaN quieted,
  // as roundsd does). ops: a, t, f1, f2, dst.
  void RoundSse2(uint32_t i, const MInst& m) {
    const bool dbl = m.size == 8;
    const int sz = m.size;
    const uint8_t arith = dbl ? 0xF2 : 0xF3, ucomi = dbl ? 0x66 : 0;
    const uint8_t a = R(i, 0), t = R(i, 1), f1 = R(i, 2), f2 = R(i, 3), d = R(i, 4);
    const uint64_t sign = dbl ? uint64_t{1} << 63 : uint64_t{1} << 31;
    auto load_const = [&](uint8_t x, uint64_t bits) {
      a_.MovRI(t, bits);
      a_.MovGprToXmm(sz, x, t);
    };
    CodeBuffer::Label big = buf_->NewLabel(), nan = buf_->NewLabel(), fix_sign = buf_->NewLabel(),
                      done = buf_->NewLabel();
    load_const(f2, sign - 1);
    a_.SseRR(0, 0x28, f1, a);
    a_.SseRR(0, 0x54, f1, f2);  // f1 = |a|
    load_const(f2, dbl ? 0x4330000000000000ull : 0x4B000000u);  // 2^52 / 2^23
    a_.SseRR(ucomi, 0x2E, f1, f2);
    a_.Jcc(Cond::kP, nan);
    a_.Jcc(Cond::kAe, big);
    a_.SseRR(0, 0x28, d, f1);
    a_.SseRR(arith, 0x58, d, f2);
    a_.SseRR(arith, 0x5C, d, f2);  // d = n
    const uint64_t one = dbl ? 0x3FF0000000000000ull : 0x3F800000u;
    // floor(|a|) (down) or ceil(|a|) (up) from n.
    auto adjust = [&](bool up) {
      CodeBuffer::Label keep = buf_->NewLabel();
      a_.SseRR(ucomi, 0x2E, d, f1);
      a_.Jcc(up ? Cond::kAe : Cond::kBe, keep);  // up: n >= |a|; down: n <= |a|
      load_const(f2, one);
      a_.SseRR(arith, up ? 0x58 : 0x5C, d, f2);
      buf_->Bind(keep);
    };
    enum { kNearest, kFloor, kCeil, kTrunc };  // m.sub, as roundss's immediate
    if (m.sub == kTrunc) adjust(false);
    if (m.sub == kFloor || m.sub == kCeil) {
      // floor(a) is floor(|a|) for a >= 0 and -ceil(|a|) below; ceil the other way round.
      CodeBuffer::Label negative = buf_->NewLabel();
      a_.MovXmmToGpr(sz, t, a);
      a_.Test(sz, t, t);
      a_.Jcc(Cond::kS, negative);
      adjust(m.sub == kCeil);
      a_.Jmp(fix_sign);
      buf_->Bind(negative);
      adjust(m.sub == kFloor);
    }
    buf_->Bind(fix_sign);
    load_const(f2, sign);
    a_.SseRR(0, 0x54, f2, a);
    a_.SseRR(0, 0x56, d, f2);
    a_.Jmp(done);
    buf_->Bind(nan);
    a_.SseRR(0, 0x28, d, a);
    a_.SseRR(arith, 0x58, d, d);  // quiets a signalling NaN, keeps sign and payload
    a_.Jmp(done);
    buf_->Bind(big);
    a_.SseRR(0, 0x28, d, a);
    buf_->Bind(done);
  }

  // f32 fma through f64: the product of two floats is exact in a double, and the sum p + c
  // rounded to *odd* (round to nearest, then, when the TwoSum error is non-zero and the last
  // bit is even, step one ulp towards the error) keeps enough information for the final
  // rounding to f32 to equal the single rounding of the exact a * b + c (53 >= 24 + 2 bits).
  // ops: a, b, c, t1, t2, t3, f1-f5, dst.
  void FmaF32(uint32_t i) {
    const uint8_t a = R(i, 0), b = R(i, 1), c = R(i, 2), t1 = R(i, 3), t2 = R(i, 4), t3 = R(i, 5);
    const uint8_t f1 = R(i, 6), f2 = R(i, 7), f3 = R(i, 8), f4 = R(i, 9), f5 = R(i, 10), d = R(i, 11);
    auto op = [&](uint8_t code, uint8_t x, uint8_t y) { a_.SseRR(0xF2, code, x, y); };  // sd forms
    a_.SseRR(0xF3, 0x5A, f1, a);  // cvtss2sd
    a_.SseRR(0xF3, 0x5A, f2, b);
    op(0x59, f1, f2);             // p = a * b, exact
    a_.SseRR(0xF3, 0x5A, f2, c);  // c as a double
    a_.SseRR(0, 0x28, f3, f1);
    op(0x58, f3, f2);             // s = RN(p + c)
    a_.SseRR(0, 0x28, f4, f3);
    op(0x5C, f4, f1);             // bv = s - p
    a_.SseRR(0, 0x28, f5, f3);
    op(0x5C, f5, f4);             // av = s - bv
    op(0x5C, f2, f4);             // br = c - bv
    op(0x5C, f1, f5);             // ar = p - av
    op(0x58, f1, f2);             // e = ar + br: s + e == p + c exactly
    CodeBuffer::Label keep = buf_->NewLabel();
    a_.MovXmmToGpr(8, t2, f1);
    a_.MovRR(8, t3, t2);
    a_.ShiftImm(Shift::kShl, 8, t3, 1);
    a_.Jcc(Cond::kE, keep);  // exact
    a_.MovXmmToGpr(8, t1, f3);
    a_.MovRR(8, t3, t1);
    a_.ShiftImm(Shift::kShl, 8, t3, 1);
    a_.ShiftImm(Shift::kShr, 8, t3, 53);
    a_.AluRI(Alu::kCmp, 4, t3, 0x7FF);
    a_.Jcc(Cond::kE, keep);  // infinite or NaN
    a_.BitImm(4, 8, t1, 0);  // bt: the last significand bit
    a_.Jcc(Cond::kB, keep);  // already odd
    // One ulp towards e: +1 on the bits when e and s have the same sign, else -1.
    a_.AluRR(Alu::kXor, 8, t2, t1);
    a_.ShiftImm(Shift::kSar, 8, t2, 63);
    a_.AluRI(Alu::kOr, 8, t2, 1);
    a_.AluRR(Alu::kAdd, 8, t1, t2);
    a_.MovGprToXmm(8, f3, t1);
    buf_->Bind(keep);
    a_.SseRR(0xF2, 0x5A, d, f3);  // cvtsd2ss
  }

  // Reverses the 64 bits of d: bswap reverses the bytes, then nibbles, bit pairs and bits swap
  // places under masks. t and m are scratch.
  void Reverse64(uint8_t d, uint8_t t, uint8_t m) {
    static constexpr std::pair<uint8_t, uint64_t> kSteps[] = {
        {4, 0x0F0F0F0F0F0F0F0Full}, {2, 0x3333333333333333ull}, {1, 0x5555555555555555ull}};
    a_.Bswap(8, d);
    for (auto [shift, mask] : kSteps) {
      a_.MovRI(m, mask);
      a_.MovRR(8, t, d);
      a_.ShiftImm(Shift::kShr, 8, t, shift);
      a_.AluRR(Alu::kAnd, 8, t, m);
      a_.AluRR(Alu::kAnd, 8, d, m);
      a_.ShiftImm(Shift::kShl, 8, d, shift);
      a_.AluRR(Alu::kOr, 8, d, t);
    }
  }

  // i128 atomics: lock cmpxchg16b compares rdx:rax with [addr] and stores rcx:rbx when equal,
  // else loads [addr] into rdx:rax; the fixed registers come from the lowering.
  void EmitAtomic128(uint32_t i, const MInst& m) {
    const Mem mem = Mem::Base(R(i, 0), 0), mem_hi = Mem::Base(R(i, 0), 8);
    auto cmpxchg16b = [&] {
      buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
      a_.LockCmpxchg16b(mem);
    };
    auto load_old = [&] {
      buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
      a_.Load(8, kRax, mem);
      buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
      a_.Load(8, kRdx, mem_hi);
    };
    switch (m.op) {
      case MOp::kAtomicLoad128:
        // Compare with zero and store zero back when equal: either way rdx:rax is the value.
        for (uint8_t r : {kRax, kRdx, kRbx, kRcx}) a_.AluRR(Alu::kXor, 4, r, r);
        cmpxchg16b();
        break;
      case MOp::kCas128: cmpxchg16b(); break;
      case MOp::kAtomicStore128:
      case MOp::kAtomicRmw128: {
        load_old();
        CodeBuffer::Label loop = buf_->NewLabel();
        buf_->Bind(loop);
        if (m.op == MOp::kAtomicRmw128) Rmw128(static_cast<ir::AtomicRmwOp>(m.sub), R(i, 1), R(i, 2));
        cmpxchg16b();
        a_.Jcc(Cond::kNe, loop);
        break;
      }
      default: break;
    }
  }

  // rcx:rbx = op(rdx:rax, hi:lo).
  void Rmw128(ir::AtomicRmwOp op, uint8_t lo, uint8_t hi) {
    auto pairwise = [&](Alu low, Alu high) {
      a_.MovRR(8, kRbx, kRax);
      a_.AluRR(low, 8, kRbx, lo);
      a_.MovRR(8, kRcx, kRdx);
      a_.AluRR(high, 8, kRcx, hi);
    };
    switch (op) {
      case ir::AtomicRmwOp::kAdd: pairwise(Alu::kAdd, Alu::kAdc); break;
      case ir::AtomicRmwOp::kSub: pairwise(Alu::kSub, Alu::kSbb); break;
      case ir::AtomicRmwOp::kAnd: pairwise(Alu::kAnd, Alu::kAnd); break;
      case ir::AtomicRmwOp::kNand:
        pairwise(Alu::kAnd, Alu::kAnd);
        a_.Not(8, kRbx);
        a_.Not(8, kRcx);
        break;
      case ir::AtomicRmwOp::kOr: pairwise(Alu::kOr, Alu::kOr); break;
      case ir::AtomicRmwOp::kXor: pairwise(Alu::kXor, Alu::kXor); break;
      case ir::AtomicRmwOp::kXchg:
        a_.MovRR(8, kRbx, lo);
        a_.MovRR(8, kRcx, hi);
        break;
      case ir::AtomicRmwOp::kUmin:
      case ir::AtomicRmwOp::kUmax:
      case ir::AtomicRmwOp::kSmin:
      case ir::AtomicRmwOp::kSmax: {
        // Flags of old - src over 128 bits (rcx as scratch), then keep old where the condition
        // holds.
        static constexpr Cond kKeepOld[] = {Cond::kB, Cond::kAe, Cond::kL, Cond::kGe};
        Cond keep = kKeepOld[static_cast<int>(op) - static_cast<int>(ir::AtomicRmwOp::kUmin)];
        a_.MovRR(8, kRcx, kRdx);
        a_.AluRR(Alu::kCmp, 8, kRax, lo);
        a_.AluRR(Alu::kSbb, 8, kRcx, hi);
        a_.MovRR(8, kRbx, lo);
        a_.MovRR(8, kRcx, hi);
        a_.Cmov(keep, 8, kRbx, kRax);
        a_.Cmov(keep, 8, kRcx, kRdx);
        break;
      }
    }
  }

  // A callee using the `tail` convention popped its stack arguments; our frame keeps rsp fixed.
  void RestoreAfterCalleePops(const MInst& m) {
    if (m.sub == 1 && m.imm != 0) a_.AluRI(Alu::kSub, 8, kRsp, static_cast<int32_t>(m.imm));
  }

  // Leaves the frame before a tail call's jmp. Without stack arguments on either side this is
  // the epilogue minus ret. Otherwise the return address moves so that, once the callee has
  // returned (popping its own arguments if it uses `tail`), our caller sees the stack it
  // expects: slot = our entry rsp + what we would pop - what the callee pops. The arguments
  // are then copied from the outgoing area to just above that slot, highest word first (the
  // destination always lies above the source). Scratch: rax and r11 (no arguments), xmm15.
  void TailCallFrame(const MInst& m) {
    const int32_t pop_f = vc_.callee_pops ? static_cast<int32_t>(vc_.incoming_stack_bytes) : 0;
    const int32_t a_g = static_cast<int32_t>(m.imm), pop_g = m.sub == 1 ? a_g : 0;
    if (pop_f == 0 && a_g == 0) {
      TearDownFrame();
      return;
    }
    for (size_t k = 0; k < saved_.size(); ++k) a_.Load(8, saved_[k], Mem::Base(kRbp, -8 * static_cast<int32_t>(k + 1)));
    a_.Load(8, kR11, Mem::Base(kRbp, 8));  // the return address
    a_.Load(8, kRax, Mem::Base(kRbp, 0));  // our caller's rbp
    const int32_t slot = 8 + pop_f - pop_g;  // relative to rbp
    for (int32_t w = a_g / 8 - 1; w >= 0; --w) {
      a_.SseLoad(0xF2, 0x10, 15, Mem::Base(kRsp, 8 * w));
      a_.SseStore(0xF2, 0x11, Mem::Base(kRbp, slot + 8 + 8 * w), 15);
    }
    a_.Lea(kRsp, Mem::Base(kRbp, slot));
    a_.Store(8, Mem::Base(kRsp, 0), kR11);
    a_.MovRR(8, kRbp, kRax);
  }

  // --- Address modes and memory operands (AddrMode in vcode.h).
  int LastOperand(uint32_t i) const { return static_cast<int>(rf_.insts[i].operands_end - rf_.insts[i].operands_begin) - 1; }
  // [base + index << shift + disp]: base is operand `base_k`, the index (if any) `index_k`.
  absl::StatusOr<Mem> MemOf(uint32_t i, int base_k, int index_k, const MInst& m) const {
    absl::StatusOr<Mem> mem = Addr(R(i, base_k), m.imm);
    if (mem.ok() && (m.aux & kAddrIndexed) != 0) {
      mem = Mem::Indexed(mem->base, R(i, index_k), static_cast<uint8_t>(m.aux & kAddrShiftMask), mem->disp);
    }
    return mem;
  }
  void MemTrap(const MInst& m) {
    if ((m.aux & kAddrTrap) == 0) {
      buf_->AddTrap(ir::TrapCode(ir::TrapCode::kHeapOutOfBounds));
    } else if (m.trap.valid()) {
      buf_->AddTrap(m.trap);
    }
  }
  // kAluMem, kIcmpMem, kSseMem, kImulMem: operand 0 is the register operand, then the address, then the def.
  absl::Status EmitMemOperand(uint32_t i, const MInst& m) {
    absl::StatusOr<Mem> mem = MemOf(i, 1, 2, m);
    if (!mem.ok()) return mem.status();
    const int def = (m.aux & kAddrIndexed) != 0 ? 3 : 2;
    MemTrap(m);
    if (m.op == MOp::kAluMem) {
      a_.AluRM(static_cast<Alu>(m.sub), m.size, R(i, def), *mem);
    } else if (m.op == MOp::kImulMem) {
      a_.ImulRM(m.size, R(i, def), *mem);
    } else if (m.op == MOp::kIcmpMem) {
      a_.AluRM(Alu::kCmp, m.size, R(i, 0), *mem);
      a_.Setcc(static_cast<Cond>(m.sub), R(i, def));
      a_.Movzx(1, R(i, def), R(i, def));
    } else {
      a_.SseLoad(m.size == 4 ? 0xF3 : 0xF2, m.sub, R(i, def), *mem);
    }
    return absl::OkStatus();
  }

  // --- SIMD. Operand orders are documented on each MOp (vcode.h).
  CodeBuffer::Const VecConst(int64_t index) {
    return buf_->AddConst(16, vc_.vec_consts[2 * index], vc_.vec_consts[2 * index + 1]);
  }
  void EmitSimd(uint32_t i, const MInst& m) {
    const int imm = static_cast<int>(m.imm);
    switch (m.op) {
      case MOp::kVec:
        if (imm < 0) a_.VecRR(m.aux, R(i, 2), R(i, 1)); else a_.VecRRImm(m.aux, R(i, 2), R(i, 1), static_cast<uint8_t>(imm));
        break;
      case MOp::kVecUn:
        if (imm < 0) a_.VecRR(m.aux, R(i, 1), R(i, 0)); else a_.VecRRImm(m.aux, R(i, 1), R(i, 0), static_cast<uint8_t>(imm));
        break;
      case MOp::kVecConst: {
        const uint64_t lo = vc_.vec_consts[2 * m.imm], hi = vc_.vec_consts[2 * m.imm + 1];
        if (lo == 0 && hi == 0) {
          a_.VecRR(0x660FEF, R(i, 0), R(i, 0));  // pxor
        } else if (lo == ~uint64_t{0} && hi == ~uint64_t{0}) {
          a_.VecRR(0x660F76, R(i, 0), R(i, 0));  // pcmpeqd
        } else {
          a_.VecRConst(0x660F6F, R(i, 0), VecConst(m.imm));  // movdqa from the aligned pool
        }
        break;
      }
      case MOp::kVecConstOp: a_.VecRConst(m.aux, R(i, 1), VecConst(m.imm)); break;
      case MOp::kVecShiftImm: a_.VecShiftImm(static_cast<uint8_t>(m.aux), m.sub, R(i, 1), static_cast<uint8_t>(imm)); break;
      case MOp::kVecFromGpr: a_.VecGpr(m.aux, m.size, R(i, 2), R(i, 1), imm); break;
      case MOp::kVecToGpr:
        if (m.sub == 0) a_.VecGpr(m.aux, m.size, R(i, 0), R(i, 1), imm); else a_.VecGpr(m.aux, m.size, R(i, 1), R(i, 0), imm);
        break;
      case MOp::kVecTest: {
        // Lanes equal to zero become all-ones; pmovmskb gathers one bit per byte.
        static constexpr uint32_t kPcmpeq[] = {0x660F74, 0x660F75, 0, 0x660F76, 0, 0, 0, 0x660F3829};
        const uint8_t a = R(i, 0), t = R(i, 1), r = R(i, 2);
        a_.VecRR(0x660FEF, t, t);
        a_.VecRR(m.sub == 0 ? kPcmpeq[0] : kPcmpeq[m.size - 1], t, a);
        a_.VecGpr(0x660FD7, 4, r, t, -1);
        if (m.sub == 0) {
          a_.AluRI(Alu::kCmp, 4, r, 0xFFFF);  // some byte nonzero
          a_.Setcc(Cond::kNe, r);
        } else {
          a_.Test(4, r, r);  // no lane zero
          a_.Setcc(Cond::kE, r);
        }
        a_.Movzx(1, r, r);
        break;
      }
      case MOp::kVecFma: a_.VecFmadd231(m.size == 8, R(i, 3), R(i, 0), R(i, 1)); break;
      default: break;
    }
  }

  // A 16-byte pool mask with every lane's sign bit (or every bit but the sign bits); 16 bytes
  // because the packed and/xor/or forms need an aligned 16-byte memory operand.
  CodeBuffer::Const SignMask(int sz, bool sign) {
    uint64_t lane = sz == 8 ? uint64_t{1} << 63 : 0x8000000080000000ull;
    if (!sign) lane = ~lane;
    return buf_->AddConst(16, lane, lane);
  }
  // Sign-bit operations with pool masks: xorps (neg), andps (abs); copysign takes a's
  // magnitude and b's sign. ops: a, [b, t,] dst.
  void EmitFsign(uint32_t i, const MInst& m) {
    const int sz = m.size;
    const uint8_t a = R(i, 0);
    if (m.sub == 2) {
      const uint8_t t = R(i, 2), d = R(i, 3);
      a_.SseRR(0, 0x28, t, R(i, 1));  // t is an early def, so it overlaps neither a nor b
      a_.SseLoadConst(0, 0x54, t, SignMask(sz, true));
      if (d != a) a_.SseRR(0, 0x28, d, a);
      a_.SseLoadConst(0, 0x54, d, SignMask(sz, false));
      a_.SseRR(0, 0x56, d, t);
      return;
    }
    const uint8_t d = R(i, 1);
    if (d != a) a_.SseRR(0, 0x28, d, a);
    a_.SseLoadConst(0, m.sub == 0 ? 0x57 : 0x54, d, SignMask(sz, m.sub == 0));
  }

  // ucomis sets ZF, PF, CF = 1,1,1 for unordered; 0,0,1 for less; 1,0,0 for equal; 0,0,0 for
  // greater. Each FloatCC is one flag condition, after swapping the operands for the "less"
  // family, except eq and ne which also look at PF. ops: a, b, tmp, dst.
  void EmitFcmp(uint32_t i, const MInst& m) {
    struct Plan {
      bool swap;
      Cond cond;
      int combine;  // 0 none, 1 and with NP, 2 or with P
    };
    static constexpr Plan kPlans[] = {
        {false, Cond::kNp, 0}, {false, Cond::kP, 0},  {false, Cond::kE, 1},  {false, Cond::kNe, 2},
        {false, Cond::kNe, 0}, {false, Cond::kE, 0},  {true, Cond::kA, 0},   {true, Cond::kAe, 0},
        {false, Cond::kA, 0},  {false, Cond::kAe, 0}, {false, Cond::kB, 0},  {false, Cond::kBe, 0},
        {true, Cond::kB, 0},   {true, Cond::kBe, 0}};
    const Plan& p = kPlans[m.sub];
    uint8_t a = R(i, 0), b = R(i, 1), t = R(i, 2), d = R(i, 3);
    a_.SseRR(m.size == 4 ? 0 : 0x66, 0x2E, p.swap ? b : a, p.swap ? a : b);
    a_.Setcc(p.cond, d);
    if (p.combine != 0) {
      a_.Setcc(p.combine == 1 ? Cond::kNp : Cond::kP, t);
      a_.AluRR(p.combine == 1 ? Alu::kAnd : Alu::kOr, 1, d, t);
    }
    a_.Movzx(1, d, d);
  }

  // ops: alo, ahi, blo, bhi, t1, t2, dst. Equality ORs the halves' differences; orderings
  // subtract with borrow (x - y over 128 bits) and read the flags of the high half.
  void EmitIcmp128(uint32_t i, const MInst& m) {
    uint8_t alo = R(i, 0), ahi = R(i, 1), blo = R(i, 2), bhi = R(i, 3), t1 = R(i, 4), t2 = R(i, 5), d = R(i, 6);
    ir::IntCC cc = static_cast<ir::IntCC>(m.sub);
    if (cc == ir::IntCC::kEq || cc == ir::IntCC::kNe) {
      a_.MovRR(8, t1, alo);
      a_.AluRR(Alu::kXor, 8, t1, blo);
      a_.MovRR(8, t2, ahi);
      a_.AluRR(Alu::kXor, 8, t2, bhi);
      a_.AluRR(Alu::kOr, 8, t1, t2);
      a_.Setcc(cc == ir::IntCC::kEq ? Cond::kE : Cond::kNe, d);
    } else {
      bool swap = false;
      Cond c = Cond::kL;
      switch (cc) {
        case ir::IntCC::kSlt: c = Cond::kL; break;
        case ir::IntCC::kSge: c = Cond::kGe; break;
        case ir::IntCC::kSgt: c = Cond::kL; swap = true; break;
        case ir::IntCC::kSle: c = Cond::kGe; swap = true; break;
        case ir::IntCC::kUlt: c = Cond::kB; break;
        case ir::IntCC::kUge: c = Cond::kAe; break;
        case ir::IntCC::kUgt: c = Cond::kB; swap = true; break;
        default: c = Cond::kAe; swap = true; break;  // ule
      }
      uint8_t xlo = swap ? blo : alo, xhi = swap ? bhi : ahi, ylo = swap ? alo : blo, yhi = swap ? ahi : bhi;
      a_.MovRR(8, t1, xhi);
      a_.AluRR(Alu::kCmp, 8, xlo, ylo);
      a_.AluRR(Alu::kSbb, 8, t1, yhi);
      a_.Setcc(c, d);
    }
    a_.Movzx(1, d, d);
  }

  // Loads the constant `v` of the source float type into xmm `f` from the constant pool.
  void FloatConst(bool is_double, double v, uint8_t f) {
    uint64_t bits;
    if (is_double) {
      std::memcpy(&bits, &v, 8);
    } else {
      float x = static_cast<float>(v);
      uint32_t b;
      std::memcpy(&b, &x, 4);
      bits = b;
    }
    a_.SseLoadConst(is_double ? 0xF2 : 0xF3, 0x10, f, buf_->AddConst(is_double ? 8 : 4, bits));
  }

  // Float to integer with Cranelift's semantics: NaN traps (bad_toint) or gives 0; values whose
  // truncation does not fit trap (int_ovf) or saturate. The range checks compare against
  // exactly representable bounds before the truncating conversion.
  // ops: a, t, f1, f2, dst.
  void EmitToInt(uint32_t i, const MInst& m) {
    const bool is_signed = m.sub & 1, sat = m.sub & 2, dbl = m.size == 8;
    const int bits = static_cast<int>(m.imm) * 8;
    const uint8_t a = R(i, 0), f1 = R(i, 2), f2 = R(i, 3), d = R(i, 4);  // op 1: unused int temp
    const uint8_t ucomi_prefix = dbl ? 0x66 : 0;
    CodeBuffer::Label nan = buf_->NewLabel(), big = buf_->NewLabel(), small = buf_->NewLabel(),
                      done = buf_->NewLabel();
    a_.SseRR(ucomi_prefix, 0x2E, a, a);
    a_.Jcc(Cond::kP, nan);
    // Upper bound: 2^(bits-1) signed, 2^bits unsigned (both exact in f32 and f64).
    FloatConst(dbl, std::ldexp(1.0, is_signed ? bits - 1 : bits), f1);
    a_.SseRR(ucomi_prefix, 0x2E, a, f1);
    a_.Jcc(Cond::kAe, big);
    // Lower bound: truncation is below the minimum exactly when a <= min - 1; when min - 1 is
    // not representable, no value lies strictly between it and min, so a < min is the test.
    double min = is_signed ? -std::ldexp(1.0, bits - 1) : 0.0;
    double below = min - 1.0;
    bool exact = dbl ? static_cast<double>(below) == below && below - min == -1.0
                     : static_cast<double>(static_cast<float>(below)) == below;
    FloatConst(dbl, exact ? below : min, f1);
    a_.SseRR(ucomi_prefix, 0x2E, a, f1);
    a_.Jcc(exact ? Cond::kBe : Cond::kB, small);
    if (!is_signed && bits == 64) {
      // Values in [2^63, 2^64) convert after subtracting 2^63, which is then put back.
      CodeBuffer::Label high = buf_->NewLabel();
      FloatConst(dbl, std::ldexp(1.0, 63), f1);
      a_.SseRR(ucomi_prefix, 0x2E, a, f1);
      a_.Jcc(Cond::kAe, high);
      a_.CvtTF2Si(dbl, d, a);
      a_.Jmp(done);
      buf_->Bind(high);
      a_.SseRR(0, 0x28, f2, a);
      a_.SseRR(dbl ? 0xF2 : 0xF3, 0x5C, f2, f1);
      a_.CvtTF2Si(dbl, d, f2);
      a_.BitImm(7, 8, d, 63);
      a_.Jmp(done);
    } else {
      a_.CvtTF2Si(dbl, d, a);
      a_.Jmp(done);
    }
    auto trap_or = [&](CodeBuffer::Label l, ir::TrapCode code, uint64_t value) {
      buf_->Bind(l);
      if (sat) {
        a_.MovRI(d, value);
        a_.Jmp(done);
      } else {
        buf_->AddTrap(code);
        a_.Ud2();
      }
    };
    // The saturated bounds of the destination width (any of 8 to 64 bits; narrower results
    // were range-checked above, so the 64-bit conversion is exact for them).
    const uint64_t umax = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    const uint64_t max = is_signed ? umax >> 1 : umax;
    const uint64_t minv = is_signed ? ~(umax >> 1) : 0;
    trap_or(nan, ir::TrapCode(ir::TrapCode::kBadConversionToInteger), 0);
    trap_or(big, ir::TrapCode(ir::TrapCode::kIntegerOverflow), max);
    trap_or(small, ir::TrapCode(ir::TrapCode::kIntegerOverflow), minv);
    buf_->Bind(done);
  }

  // d = popcnt (op 0), clz (1) or ctz (2) of `src` over `size` (4 or 8) bytes; zero counts
  // the width. Without the extension (fallback): clz and ctz through bsr/bsf with a branch for
  // zero, popcnt by summing bit fields with pool masks in scratch `t`. d may be src.
  void Count(int op, bool fallback, int size, uint8_t d, uint8_t src, uint8_t t) {
    static constexpr uint8_t kOps[] = {0xB8, 0xBD, 0xBC};
    if (!fallback) {
      a_.BitCount(kOps[op], size, d, src);
      return;
    }
    const int width = size * 8;
    if (op == 1 || op == 2) {
      CodeBuffer::Label zero = buf_->NewLabel(), done = buf_->NewLabel();
      a_.BitScan(op == 1, size, d, src);
      a_.Jcc(Cond::kE, zero);
      if (op == 1) a_.AluRI(Alu::kXor, 4, d, width - 1);  // width-1 - index of the top bit
      a_.Jmp(done);
      buf_->Bind(zero);
      a_.MovRI(d, static_cast<uint64_t>(width));
      buf_->Bind(done);
      return;
    }
    auto mask = [&](uint64_t byte) {
      uint64_t v = byte * 0x0101010101010101ull;
      return buf_->AddConst(size, size == 8 ? v : v & 0xffffffffu);
    };
    if (d != src) a_.MovRR(size, d, src);
    a_.MovRR(size, t, d);
    a_.ShiftImm(Shift::kShr, size, t, 1);
    a_.AluRConst(Alu::kAnd, size, t, mask(0x55));
    a_.AluRR(Alu::kSub, size, d, t);  // 2-bit fields hold their counts
    a_.MovRR(size, t, d);
    a_.AluRConst(Alu::kAnd, size, t, mask(0x33));
    a_.ShiftImm(Shift::kShr, size, d, 2);
    a_.AluRConst(Alu::kAnd, size, d, mask(0x33));
    a_.AluRR(Alu::kAdd, size, d, t);  // 4-bit fields
    a_.MovRR(size, t, d);
    a_.ShiftImm(Shift::kShr, size, t, 4);
    a_.AluRR(Alu::kAdd, size, d, t);
    a_.AluRConst(Alu::kAnd, size, d, mask(0x0f));  // bytes
    a_.ImulRConst(size, d, mask(0x01));             // the top byte sums them
    a_.ShiftImm(Shift::kShr, size, d, static_cast<uint8_t>(width - 8));
  }

  // ops: a, b, tmp, dst (= a), flag.
  void EmitOverflow(uint32_t i, const MInst& m) {
    const int sz = m.size;
    uint8_t b = R(i, 1), t = R(i, 2), d = R(i, 3), flag = R(i, 4);
    Cond cc = Cond::kO;
    switch (m.sub) {
      case kUaddOvf: a_.AluRR(Alu::kAdd, sz, d, b); cc = Cond::kB; break;
      case kSaddOvf: a_.AluRR(Alu::kAdd, sz, d, b); break;
      case kUsubOvf: a_.AluRR(Alu::kSub, sz, d, b); cc = Cond::kB; break;
      case kSsubOvf: a_.AluRR(Alu::kSub, sz, d, b); break;
      default: {
        bool is_signed = m.sub == kSmulOvf;
        if (sz == 8) {  // signed only (umul.i64 is rejected by lowering)
          a_.Imul(8, d, b);
          break;
        }
        // Multiply exactly in 64 bits, then check that the product fits the type.
        auto ext = [&](uint8_t dst, uint8_t src) {
          if (is_signed) a_.Movsx(sz, dst, src); else a_.Movzx(sz, dst, src);
        };
        ext(t, b);
        ext(d, d);
        a_.Imul(8, d, t);
        ext(t, d);
        a_.AluRR(Alu::kCmp, 8, t, d);
        cc = Cond::kNe;
        break;
      }
    }
    a_.Setcc(cc, flag);
    a_.Movzx(1, flag, flag);
  }

  // ops: x, y, tmp (rcx), dst (= x).
  void EmitShift(uint32_t i, const MInst& m) {
    const Shift op = static_cast<Shift>(m.sub);
    const int sz = m.size;
    uint8_t d = R(i, 3);
    a_.MovRR(4, kRcx, R(i, 1));
    if (op == Shift::kRol || op == Shift::kRor) {
      a_.ShiftCl(op, sz, d);  // rotating by the count modulo the width is what rotl/rotr mean
      return;
    }
    if (sz < 4) {
      // The hardware masks counts to 5 bits; narrow types mask to their own width.
      a_.AluRI(Alu::kAnd, 4, kRcx, sz * 8 - 1);
      if (op == Shift::kShr) a_.Movzx(sz, d, d);
      if (op == Shift::kSar) a_.Movsx(sz, d, d);
    }
    a_.ShiftCl(op, sz == 8 ? 8 : 4, d);
  }

  // ops: a (rax), b, tmp (rcx), dst (rax or rdx).
  void EmitDiv(uint32_t i, const MInst& m) {
    const int sz = m.size;
    const int opsz = sz == 8 ? 8 : 4;
    const bool is_signed = m.sub == kSdiv || m.sub == kSrem;
    uint8_t b = R(i, 1);
    if (sz < 4) {
      if (is_signed) a_.Movsx(sz, kRcx, b); else a_.Movzx(sz, kRcx, b);
      if (is_signed) a_.Movsx(sz, kRax, kRax); else a_.Movzx(sz, kRax, kRax);
    } else {
      a_.MovRR(opsz, kRcx, b);
    }
    a_.Test(opsz, kRcx, kRcx);
    TrapUnless(Cond::kNe, ir::TrapCode(ir::TrapCode::kIntegerDivisionByZero));
    CodeBuffer::Label done = buf_->NewLabel();
    if (is_signed) {
      CodeBuffer::Label normal = buf_->NewLabel();
      a_.AluRI(Alu::kCmp, opsz, kRcx, -1);
      a_.Jcc(Cond::kNe, normal);
      if (m.sub == kSdiv) {
        a_.Neg(sz, kRax);  // sets OF exactly when a is the type's minimum
        TrapUnless(Cond::kNo, ir::TrapCode(ir::TrapCode::kIntegerOverflow));
      } else {
        a_.AluRR(Alu::kXor, 4, kRdx, kRdx);
      }
      a_.Jmp(done);
      buf_->Bind(normal);
      a_.SignExtendRaxToRdx(opsz);
    } else {
      a_.AluRR(Alu::kXor, 4, kRdx, kRdx);
    }
    a_.Div(is_signed, opsz, kRcx);
    buf_->Bind(done);
  }

  const VCode& vc_;
  const regalloc::Function& rf_;
  const regalloc::Allocation& alloc_;
  CodeBuffer* buf_;
  Assembler a_;
  std::vector<CodeBuffer::Label> labels_;
  std::vector<uint8_t> saved_;
  isa::FrameLayout frame_;
  uint32_t block_ = 0;
};

}  // namespace

absl::Status Emit(const VCode& vc, const regalloc::Allocation& alloc, isa::CodeBuffer* buf) {
  Emitter e(vc, alloc, buf);
  return e.Run();
}

}  // namespace lathe::x64
