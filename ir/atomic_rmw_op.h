// The read-modify-write operations of `atomic_rmw`, with their CLIF spellings.
#ifndef LATHE_IR_ATOMIC_RMW_OP_H_
#define LATHE_IR_ATOMIC_RMW_OP_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace lathe::ir {

enum class AtomicRmwOp : uint8_t { kAdd, kSub, kAnd, kNand, kOr, kXor, kXchg, kUmin, kUmax, kSmin, kSmax };

const char* Name(AtomicRmwOp op);
std::optional<AtomicRmwOp> AtomicRmwOpFromName(std::string_view name);

}  // namespace lathe::ir

#endif  // LATHE_IR_ATOMIC_RMW_OP_H_
