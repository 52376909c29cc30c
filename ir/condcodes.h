// Condition codes of `icmp` (IntCC) and `fcmp` (FloatCC), with their CLIF spellings.
#ifndef LATHE_IR_CONDCODES_H_
#define LATHE_IR_CONDCODES_H_

#include <cstdint>
#include <optional>
#include <string_view>

namespace lathe::ir {

enum class IntCC : uint8_t { kEq, kNe, kSlt, kSge, kSgt, kSle, kUlt, kUge, kUgt, kUle };
enum class FloatCC : uint8_t {
  kOrd, kUno, kEq, kNe, kOne, kUeq, kLt, kLe, kGt, kGe, kUlt, kUle, kUgt, kUge
};

const char* Name(IntCC cc);
const char* Name(FloatCC cc);
std::optional<IntCC> IntCCFromName(std::string_view name);
std::optional<FloatCC> FloatCCFromName(std::string_view name);

}  // namespace lathe::ir

#endif  // LATHE_IR_CONDCODES_H_
