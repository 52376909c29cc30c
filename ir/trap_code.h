// Trap codes: a non-zero byte. 1..250 are user codes (`user1`..`user250`); the top five are
// reserved for the backend's own traps. 0 means "no trap code".
#ifndef LATHE_IR_TRAP_CODE_H_
#define LATHE_IR_TRAP_CODE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lathe::ir {

class TrapCode {
 public:
  static constexpr uint8_t kStackOverflow = 251;
  static constexpr uint8_t kIntegerOverflow = 252;
  static constexpr uint8_t kHeapOutOfBounds = 253;
  static constexpr uint8_t kIntegerDivisionByZero = 254;
  static constexpr uint8_t kBadConversionToInteger = 255;
  static constexpr uint8_t kMaxUser = 250;

  constexpr TrapCode() : code_(0) {}
  constexpr explicit TrapCode(uint8_t code) : code_(code) {}
  constexpr uint8_t code() const { return code_; }
  constexpr bool valid() const { return code_ != 0; }
  std::string Name() const;
  static std::optional<TrapCode> Parse(std::string_view text);
  friend constexpr bool operator==(TrapCode a, TrapCode b) { return a.code_ == b.code_; }
  friend constexpr bool operator!=(TrapCode a, TrapCode b) { return a.code_ != b.code_; }

 private:
  uint8_t code_;
};

}  // namespace lathe::ir

#endif  // LATHE_IR_TRAP_CODE_H_
