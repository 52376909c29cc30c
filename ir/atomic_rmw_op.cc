#include "ir/atomic_rmw_op.h"

#include <iterator>

namespace lathe::ir {
namespace {
constexpr const char* kNames[] = {"add", "sub", "and", "nand", "or", "xor",
                                  "xchg", "umin", "umax", "smin", "smax"};
}  // namespace

const char* Name(AtomicRmwOp op) { return kNames[static_cast<int>(op)]; }

std::optional<AtomicRmwOp> AtomicRmwOpFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (name == kNames[i]) return static_cast<AtomicRmwOp>(i);
  }
  return std::nullopt;
}

}  // namespace lathe::ir
