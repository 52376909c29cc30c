#include "testsuite/interp/memory_ops.h"

#include <algorithm>
#include <cstring>

#include "ir/atomic_rmw_op.h"

namespace lathe::interp {
namespace {

using ir::Opcode;
using ir::Type;

// Reverses the bytes of each `lane_bytes` group (big-endian memory order).
void SwapBytes(uint8_t* p, uint32_t size, uint32_t lane_bytes) {
  for (uint32_t off = 0; off + lane_bytes <= size; off += lane_bytes) std::reverse(p + off, p + off + lane_bytes);
}

uint8_t TrapOf(const ir::InstData& d) {
  return d.flags.trap.valid() ? d.flags.trap.code() : ir::TrapCode::kHeapOutOfBounds;
}

MemResult Trap(const ir::InstData& d) {
  MemResult r;
  r.kind = MemResult::kTrap;
  r.trap = TrapOf(d);
  return r;
}

MemResult Unsupported(const char* reason) {
  MemResult r;
  r.kind = MemResult::kUnsupported;
  r.reason = reason;
  return r;
}

}  // namespace

MemResult ExecLoad(const ir::InstData& d, u128 addr_value, Type rt, const StackMemory& mem) {
  if (rt.is_dynamic() || TotalBits(rt) > 128) return Unsupported("load of an unsupported type");
  const Opcode op = d.opcode;
  uint32_t size = TotalBits(rt) / 8, lane_bytes = LaneBits(rt) / 8;
  bool sign = false;
  uint32_t widen = 0;  // lane width of the loaded narrow vector, when widening
  switch (op) {
    case Opcode::kUload8: size = lane_bytes = 1; break;
    case Opcode::kSload8: size = lane_bytes = 1; sign = true; break;
    case Opcode::kUload16: size = lane_bytes = 2; break;
    case Opcode::kSload16: size = lane_bytes = 2; sign = true; break;
    case Opcode::kUload32: size = lane_bytes = 4; break;
    case Opcode::kSload32: size = lane_bytes = 4; sign = true; break;
    case Opcode::kUload8x8: size = 8; widen = 8; lane_bytes = 1; break;
    case Opcode::kSload8x8: size = 8; widen = 8; lane_bytes = 1; sign = true; break;
    case Opcode::kUload16x4: size = 8; widen = 16; lane_bytes = 2; break;
    case Opcode::kSload16x4: size = 8; widen = 16; lane_bytes = 2; sign = true; break;
    case Opcode::kUload32x2: size = 8; widen = 32; lane_bytes = 4; break;
    case Opcode::kSload32x2: size = 8; widen = 32; lane_bytes = 4; sign = true; break;
    default: break;
  }
  uint64_t addr = static_cast<uint64_t>(addr_value) + static_cast<uint64_t>(op == Opcode::kAtomicLoad ? 0 : d.imm);
  if (op == Opcode::kAtomicLoad && size != 0 && addr % size != 0) return Trap(d);
  uint8_t buf[16] = {0};
  if (!mem.Load(addr, size, buf)) return Trap(d);
  if (d.flags.has(ir::MemFlags::kBig)) SwapBytes(buf, size, std::max<uint32_t>(lane_bytes, 1));
  u128 raw = 0;
  std::memcpy(&raw, buf, size);
  MemResult r;
  r.value = raw;
  if (widen != 0) {
    uint32_t ow = LaneBits(rt);
    r.value = 0;
    for (uint32_t i = 0; i < (1u << rt.log2_lanes()); ++i) {
      u128 x = GetLane(raw, widen, i);
      r.value = SetLane(r.value, ow, i, sign ? static_cast<u128>(SignExtend(x, widen)) : x);
    }
  } else if (sign) {
    r.value = static_cast<u128>(SignExtend(raw, size * 8));
  }
  return r;
}

MemResult ExecStore(const ir::InstData& d, u128 value, Type vt, u128 addr_value, StackMemory& mem) {
  if (vt.is_dynamic() || TotalBits(vt) > 128) return Unsupported("store of an unsupported type");
  const Opcode op = d.opcode;
  uint32_t size = op == Opcode::kIstore8 ? 1 : op == Opcode::kIstore16 ? 2 : op == Opcode::kIstore32 ? 4 : TotalBits(vt) / 8;
  uint32_t lane_bytes = std::min<uint32_t>(size, std::max<uint32_t>(LaneBits(vt) / 8, 1));
  uint64_t addr = static_cast<uint64_t>(addr_value) + static_cast<uint64_t>(op == Opcode::kAtomicStore ? 0 : d.imm);
  if (op == Opcode::kAtomicStore && size != 0 && addr % size != 0) return Trap(d);
  uint8_t buf[16];
  std::memcpy(buf, &value, 16);
  if (d.flags.has(ir::MemFlags::kBig)) SwapBytes(buf, size, lane_bytes);
  if (!mem.Store(addr, size, buf)) return Trap(d);
  return MemResult();
}

MemResult ExecAtomic(const ir::InstData& d, absl::Span<const u128> args, Type t, StackMemory& mem) {
  if (t.is_vector() || TotalBits(t) > 128 || TotalBits(t) == 0) return Unsupported("atomic on an unsupported type");
  uint32_t w = TotalBits(t), size = w / 8;
  uint64_t addr = static_cast<uint64_t>(args[0]);
  uint8_t buf[16] = {0};
  if (addr % size != 0) return Trap(d);  // atomics require natural alignment
  if (!mem.Load(addr, size, buf)) return Trap(d);
  bool big = d.flags.has(ir::MemFlags::kBig);
  if (big) SwapBytes(buf, size, size);
  u128 old = 0;
  std::memcpy(&old, buf, size);
  u128 nv;
  if (d.opcode == Opcode::kAtomicCas) {
    nv = old == MaskBits(args[1], w) ? args[2] : old;
  } else {
    u128 x = MaskBits(args[1], w);
    switch (static_cast<ir::AtomicRmwOp>(d.cond)) {
      case ir::AtomicRmwOp::kAdd: nv = old + x; break;
      case ir::AtomicRmwOp::kSub: nv = old - x; break;
      case ir::AtomicRmwOp::kAnd: nv = old & x; break;
      case ir::AtomicRmwOp::kNand: nv = ~(old & x); break;
      case ir::AtomicRmwOp::kOr: nv = old | x; break;
      case ir::AtomicRmwOp::kXor: nv = old ^ x; break;
      case ir::AtomicRmwOp::kXchg: nv = x; break;
      case ir::AtomicRmwOp::kUmin: nv = std::min(old, x); break;
      case ir::AtomicRmwOp::kUmax: nv = std::max(old, x); break;
      case ir::AtomicRmwOp::kSmin: nv = SignExtend(old, w) < SignExtend(x, w) ? old : x; break;
      case ir::AtomicRmwOp::kSmax: nv = SignExtend(old, w) > SignExtend(x, w) ? old : x; break;
      default: return Unsupported("unknown atomic operation");
    }
  }
  nv = MaskBits(nv, w);
  std::memcpy(buf, &nv, 16);
  if (big) SwapBytes(buf, size, size);
  if (!mem.Store(addr, size, buf)) return Trap(d);
  MemResult r;
  r.value = old;
  return r;
}

}  // namespace lathe::interp
