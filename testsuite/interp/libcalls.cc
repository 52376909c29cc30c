#include "testsuite/interp/libcalls.h"

#include "testsuite/interp/float_semantics.h"

namespace lathe::interp {
namespace {

struct Libcall {
  const char* name;
  FloatKind kind;
  int op;  // a FloatUnOp, or -1 for fma
};

const Libcall kLibcalls[] = {
    {"CeilF32", FloatKind::kF32, static_cast<int>(FloatUnOp::kCeil)},
    {"CeilF64", FloatKind::kF64, static_cast<int>(FloatUnOp::kCeil)},
    {"FloorF32", FloatKind::kF32, static_cast<int>(FloatUnOp::kFloor)},
    {"FloorF64", FloatKind::kF64, static_cast<int>(FloatUnOp::kFloor)},
    {"TruncF32", FloatKind::kF32, static_cast<int>(FloatUnOp::kTrunc)},
    {"TruncF64", FloatKind::kF64, static_cast<int>(FloatUnOp::kTrunc)},
    {"NearestF32", FloatKind::kF32, static_cast<int>(FloatUnOp::kNearest)},
    {"NearestF64", FloatKind::kF64, static_cast<int>(FloatUnOp::kNearest)},
    {"FmaF32", FloatKind::kF32, -1},
    {"FmaF64", FloatKind::kF64, -1},
};

}  // namespace

std::optional<int> LibcallId(std::string_view name) {
  for (size_t i = 0; i < sizeof(kLibcalls) / sizeof(kLibcalls[0]); ++i) {
    if (name == kLibcalls[i].name) return static_cast<int>(i);
  }
  return std::nullopt;
}

size_t LibcallArity(int id) { return kLibcalls[id].op < 0 ? 3 : 1; }

u128 EvalLibcall(int id, absl::Span<const u128> args) {
  const Libcall& l = kLibcalls[id];
  if (l.op < 0) return FloatFma(l.kind, args[0], args[1], args[2]);
  return FloatUnary(static_cast<FloatUnOp>(l.op), l.kind, args[0]);
}

}  // namespace lathe::interp
