#include "ir/condcodes.h"

#include <iterator>

namespace lathe::ir {
namespace {

constexpr const char* kIntNames[] = {"eq", "ne", "slt", "sge", "sgt", "sle", "ult", "uge", "ugt", "ule"};
constexpr const char* kFloatNames[] = {"ord", "uno", "eq", "ne", "one", "ueq", "lt",
                                       "le",  "gt",  "ge", "ult", "ule", "ugt", "uge"};

}  // namespace

const char* Name(IntCC cc) { return kIntNames[static_cast<int>(cc)]; }
const char* Name(FloatCC cc) { return kFloatNames[static_cast<int>(cc)]; }

std::optional<IntCC> IntCCFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kIntNames); ++i) {
    if (name == kIntNames[i]) return static_cast<IntCC>(i);
  }
  return std::nullopt;
}

std::optional<FloatCC> FloatCCFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kFloatNames); ++i) {
    if (name == kFloatNames[i]) return static_cast<FloatCC>(i);
  }
  return std::nullopt;
}

}  // namespace lathe::ir
