// The x86-64 machine function between lowering and emission ("vcode"): one MInst per
// register-allocator instruction, over virtual registers. The operands of instruction i are
// alloc_fn.operands[alloc_fn.insts[i].operands_begin ...] in the order each MOp documents, so
// after allocation the emitter reads their locations from Allocation::operand_locs.
// Branch targets are the owning block's successors (alloc_fn.succs) in the documented order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/trap_code.h"
#include "regalloc/function.h"

namespace lathe::x64 {

// The DSL's extern types (see lower.isel).
struct IrInst {
  uint32_t index = 0;
  friend bool operator==(IrInst a, IrInst b) { return a.index == b.index; }
};
struct Unit {
  friend bool operator==(Unit, Unit) { return true; }
};

enum class MOp : uint8_t {
  kArgs,       // defs: the parameters, fixed in argument registers
  kMovImm,     // def; imm
  kAlu,        // use a, use b, def (reuses a); sub = Alu; size
  kAluImm,     // use a, def (reuses a); sub = Alu; imm; size
  kImul,       // use a, use b, def (reuses a); size
  kUnary,      // use a, def (reuses a); sub 0 neg, 1 not; size
  kShift,      // use x, use y, early def tmp (rcx), def (reuses x); sub = Shift; size = type bytes
  kDiv,        // use a (rax), use b, early def tmp (rcx), def (rax or rdx); sub = DivKind; size
  kMinMax,     // use a, use b, def (reuses a); sub = Cond (keep b when cond(a, b) fails)
  kIcmp,       // use a, use b, def; sub = Cond; size
  kSelect,     // use c, use x, use y, def (reuses y); size = c bytes
  kSelectIcmp, // use a, use b, use x, use y, def (reuses y); sub = Cond; size = compare bytes
  kExt,        // use a, def; sub 0 zero, 1 sign; size = source bytes
  kCopy,       // use a, def (64-bit move)
  kLoad,       // use addr, def; sub 0 zero, 1 sign; size = memory bytes; imm offset
  kStore,      // use addr, use value; size = memory bytes; imm offset
  kStackAddr,  // def; aux = IR stack slot; imm offset
  kJump,       // succ 0
  kBrif,       // use c; size; succs: then, else
  kBrIcmp,     // use a, use b; sub = Cond; size; succs: then, else
  kBrTable,    // use index (zero-extended, dead after; overwritten); succs: default, entries...
  kReturn,     // fixed uses (rax, rdx)
  kCall,       // fixed uses (argument registers), fixed defs (rax, rdx); aux = FuncRef
  kCallIndirect, // fixed use r10 (callee address), then as kCall
  kTailCall,   // as kCall without results; a return (frame torn down, then jmp)
  kTailCallIndirect, // as kCallIndirect without results; a return
  kFuncAddr,   // def; aux = FuncRef (rip-relative lea, patched by the linker)
  kTrap,       // trap
  kTrapIf,     // use c; sub 0 trapz, 1 trapnz; size; trap
  // Scalar floats (xmm registers; size 4 = f32, 8 = f64).
  kGprToXmm,   // use a (int), def (float); size (movd/movq)
  kXmmToGpr,   // use a (float), def (int); size
  kSse,        // use a, use b, def (reuses a); sub = opcode byte after 0F; size
  kSseUnary,   // use a, def; sub = opcode byte; imm = mandatory prefix
  kRound,      // use a, def; sub = rounding mode; size
  kFsign,      // use a, [use b, early def t (float),] def; sub 0 neg, 1 abs, 2 copysign (pool masks)
  kFcmp,       // use a, use b, early def tmp (int), def (int); sub = FloatCC; size
  kSelectF,    // use c, use x, use y (floats), def (reuses y); size = c bytes
  kCvtFromInt, // use a (int), early def tmp (int), def (float); sub 1 signed; size = source bytes; imm = dest bytes
  kFload,      // use addr, def (float); size; imm offset
  kFstore,     // use value (float), use addr; size; imm offset
  kLoadConst,  // def (float); size; imm = the bits (a constant-pool load, or xorps for +0.0)
  kBmask,      // use a, def; size = a bytes
  kOverflow,   // use a, use b, early def tmp, def (reuses a), def flag; sub = OvfKind; size
  kBitCount,   // use a, [early def t,] def; sub 0 popcnt, 1 clz, 2 ctz; size; imm 1: without the
               // extension (bsr/bsf; popcnt by bit fields in t)
  kAddTrapC,   // use a, use b, def (reuses a); size; trap when the unsigned add carries
  kFma,        // use a, use b, use c, def (reuses c); size
  kFminMax,    // use a, use b, early def t (int), def (reuses a); sub 0 min, 1 max; size
  kFence,      // mfence
  kAtomicRmw,  // use addr (late), use src (late), early def t, def old (rax); sub = AtomicRmwOp; size
  kCas,        // use expected (rax), use addr, use replacement, def (rax); size
  kCls,        // use a, early def t, def; size; imm 1: without lzcnt (bsr)
  kToInt,      // use a (float), early def t (int), f1, f2 (float), def (int); sub bit0 signed, bit1
               // saturating; size = source bytes; imm = destination bytes (1 to 8)
  // i128 as (low, high) register pairs.
  kAlu128,     // use alo, ahi, blo, bhi, def lo (reuses alo), def hi (reuses ahi); sub = Alu of the low half
  kIcmp128,    // use alo, ahi, blo, bhi, early def t1, t2, def; sub = IntCC
  kSelect128,  // use c, xlo, xhi, ylo, yhi, def lo (reuses ylo), def hi (reuses yhi); size = c bytes
  kSarImm,     // use a, def (reuses a); imm = count (64-bit)
  kOverflow128,// use alo, ahi, blo, bhi, def lo (reuses alo), def hi (reuses ahi), def flag; sub = OvfKind
  kImul128,    // use alo, ahi, blo (late), bhi, early def t1, t2, def lo (rax), def hi (rdx)
  kBrif128,    // use lo, use hi; succs: then, else
  kBitCount128,// use lo, use hi, early def t, [early def t2,] def lo, def hi; sub 0 popcnt, 1 clz,
               // 2 ctz; imm 1: without the extension (t2 for popcnt)
  kUnary128,   // use lo, use hi, def lo (reuses lo), def hi (reuses hi); sub 0 neg, 1 not
  kShift128,   // use lo, use hi, use amount, early def tmp (rcx), def lo (reuses lo), def hi (reuses hi); sub = Shift
  kLoad128,    // use addr, early def lo, def hi; imm offset
  kStore128,   // use lo, use hi, use addr; imm offset
  // --- Scalar opcode completions.
  kOrHalves,   // use lo, use hi, def (reuses lo) = lo | hi (an i128 condition as one register)
  kRotate128,  // use lo, use hi, use amount, early def tmp (rcx), early def t, def lo (reuses lo),
               // def hi (reuses hi); sub 0 rotl, 1 rotr
  kCls128,     // use lo, use hi, early def t1, t2, def lo, def hi; imm 1: bsr instead of lzcnt
  kBitrev,     // use a, early def t, early def m, def (reuses a); size
  kBitrev128,  // use lo, use hi, early def t, m, def lo (reuses hi), def hi (reuses lo)
  kBswap,      // use a, def (reuses a); size
  kBswap128,   // use lo, use hi, def lo (reuses hi), def hi (reuses lo)
  kMulHi,      // sub 1 signed; size 8: use a (rax), use b, def (rdx), clobbers rax;
               // narrower: use a, use b, early def t, def
  kUmulOvf64,  // use a (rax), use b, early def t (rdx), def (rax), def flag
  kIabs,       // use a, early def; size
  kIabs128,    // use lo, use hi, early def t, def lo (reuses lo), def hi (reuses hi)
  kSseLogic,   // use x, use y (floats), def (reuses x) = x op y; sub = andps/orps/xorps opcode
  kFnot,       // use a, early def t (float), def (reuses a)
  kBitselect,  // use c, use x, use y, early def: (x & c) | (y & ~c); size
  kBitselectF, // use c, use x, use y, early def t, early def (floats)
  kCvtFromU64, // use a (int), early def t1, t2 (int), def (float); imm = dest bytes
  kAtomicLoad128,  // use addr, early defs lo (rax), hi (rdx), t (rbx), t (rcx)
  kAtomicStore128, // use addr, use lo (rbx), use hi (rcx), early defs t (rax), t (rdx)
  kCas128,     // use addr, uses expected lo (rax), hi (rdx), replacement lo (rbx), hi (rcx);
               // defs lo (rax), hi (rdx)
  kAtomicRmw128,   // use addr, use src lo, src hi, early defs lo (rax), hi (rdx), t (rbx), t (rcx);
                   // sub = AtomicRmwOp
  kCarryOp,    // use a, use b, use carry/borrow in, early def t, def (reuses a), def flag;
               // sub = OvfKind (add or sub kinds); size
  kCarryOp128, // use alo, ahi, blo, bhi, carry in, early def t, def lo (reuses alo),
               // def hi (reuses ahi), def flag; sub = OvfKind
  kFrameReg,   // def; sub 0 frame pointer (rbp), 1 stack pointer, 2 return address ([rbp + 8])
  kDebugtrap,  // int3
  kPinnedReg,  // sub 0: def = r15 (get_pinned_reg); sub 1: use, r15 = it (set_pinned_reg)
  kMinMax128,  // use alo, ahi, blo, bhi, early def t, def lo (reuses alo), def hi (reuses ahi);
               // sub = Cond on the flags of a - b under which b is taken
  kConcat,     // use lo, use hi, early def t, def = zext(lo) | hi << (8 * size); size = half bytes
  kSplitHigh,  // use a, def (reuses a) = a >> (8 * size) (logical); size = half bytes
  kRoundSse2,  // use a, early def t (int), f1, f2 (float), early def (float); sub = RoundMode
               // (nearest, floor, ceil, trunc); size: rounding without SSE4.1
  kFmaF32,     // use a, b, c, early def t1-t3 (int), f1-f5 (float), def: f32 fma without FMA3
  // Stack arguments and returns through memory (see abi.h ArgLayout). Frame regions: sub 0 the
  // incoming stack arguments ([rbp + 16 + imm]), 1 the outgoing-argument area ([rsp + imm]),
  // 2 the return area of calls ([rsp + outgoing_bytes + imm]). The call ops (kCall ...
  // kTailCallIndirect) carry imm = the callee's stack-argument bytes, sub 1 when it pops them.
  kFrameLoad,  // def (int or float); sub = region; size 8 or 16 (f128); imm offset
  kFrameStore, // use (int or float); sub = region; size 8 or 16; imm offset
  kFrameAddr,  // def; sub = region; imm offset (lea)
  // f128 / i128 bits between an xmm register and a pair of integer registers.
  kXmmFromPair,// use lo, use hi, early def t (float), def (float)
  kXmmToPair,  // use a (float), early def t (float), def lo, def hi
  // Memory operands (see AddrMode): a sunk load read by the instruction itself. The trap record
  // of the load (MInst::trap, none for notrap) lands on it.
  kAluMem,     // use a, use base, [use index], def (reuses a); sub = Alu; size 4/8; imm disp; aux
  kIcmpMem,    // use a, use base, [use index], def; sub = Cond; size 4/8; imm disp; aux
  kSseMem,     // use a, use base, [use index], def (reuses a); sub = opcode byte; size; imm disp; aux
  kImulMem,    // use a, use base, [use index], def (reuses a); size 4/8; imm disp; aux
  // --- SIMD: 128-bit vectors in xmm registers (the float class; see lower_simd.cc). aux is a
  // packed opcode (prefix << 16 | map << 8 | byte, see Assembler::VecRR); imm an imm8, -1 for none.
  kVec,        // use a, use b, def (reuses a): op a, b
  kVecUn,      // use a, def: op def, a
  kVecConst,   // def; imm = index of a (lo, hi) pair in VCode::vec_consts
  kVecConstOp, // use a, def (reuses a): op a, [rip + vec_consts pair imm]; aux
  kVecShiftImm,// use a, def (reuses a); aux = 0x71 / 0x72 / 0x73; sub = /digit; imm = count
  kVecFromGpr, // use vec, use gpr, def (reuses vec): op vec, gpr (pinsr*); size; imm
  kVecToGpr,   // use vec, def gpr; size; imm; sub 0: the xmm is ModRM.reg (pextr*, movd),
               // 1: the gpr is (pextrw, pmovmskb, movmskp*)
  kVecTest,    // use a, early def t (float), def (int); sub 0 vany_true, 1 vall_true; size = lane bytes
  kVecFma,     // use a, use b, use c, def (reuses c) = a * b + c; size = lane bytes (vfmadd231ps/pd)
};

// MInst::aux of the memory forms: [base + index << shift + disp]. kLoad, kStore, kFload and
// kFstore take the same bits, their index (when kAddrIndexed) being the last operand; with
// kAddrTrap set their trap record is MInst::trap (none for notrap), else heap_oob.
enum AddrMode : uint32_t { kAddrShiftMask = 3, kAddrIndexed = 4, kAddrTrap = 8 };

enum OvfKind : uint8_t { kUaddOvf, kSaddOvf, kUsubOvf, kSsubOvf, kUmulOvf, kSmulOvf };

enum DivKind : uint8_t { kUdiv, kSdiv, kUrem, kSrem };

struct MInst {
  MOp op = MOp::kJump;
  uint8_t sub = 0;
  uint8_t size = 8;
  ir::TrapCode trap;
  uint32_t aux = 0;
  int64_t imm = 0;
};

struct VCode {
  regalloc::Function alloc_fn;
  std::vector<MInst> insts;
  // IR stack slot sizes and alignments (bytes), by slot index.
  std::vector<uint32_t> slot_size, slot_align;
  // Frame areas for calls (bytes, multiples of 16): the largest outgoing stack-argument area
  // and the largest return area among the function's calls.
  uint32_t outgoing_bytes = 0, call_ret_area_bytes = 0;
  // This function's own stack arguments, and whether it pops them on return (`tail`).
  uint32_t incoming_stack_bytes = 0;
  bool callee_pops = false;
  // Working storage the lowering reuses from one function to the next (no meaning outside it).
  std::vector<uint32_t> lower_uses, lower_colours, lower_groups;
  // SIMD: 128-bit constants as (lo, hi) pairs (kVecConst, kVecConstOp).
  std::vector<uint64_t> vec_consts;
};

}  // namespace lathe::x64
