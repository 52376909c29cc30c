#include "ir/trap_code.h"

namespace lathe::ir {
namespace {
constexpr const char* kReserved[] = {"stk_ovf", "int_ovf", "heap_oob", "int_divz", "bad_toint"};
}  // namespace

std::string TrapCode::Name() const {
  if (code_ > kMaxUser) return kReserved[code_ - kMaxUser - 1];
  return "user" + std::to_string(code_);
}

std::optional<TrapCode> TrapCode::Parse(std::string_view text) {
  for (int i = 0; i < 5; ++i) {
    if (text == kReserved[i]) return TrapCode(static_cast<uint8_t>(kMaxUser + 1 + i));
  }
  if (text.size() < 5 || text.size() > 7 || text.substr(0, 4) != "user") return std::nullopt;
  uint32_t n = 0;
  for (char c : text.substr(4)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint32_t>(c - '0');
  }
  if (n == 0 || n > kMaxUser || text[4] == '0') return std::nullopt;
  return TrapCode(static_cast<uint8_t>(n));
}

}  // namespace lathe::ir
