// The name of a function or symbol: a test-case name (`%foo`) or a user name (`u1:2`, a
// namespace and an index the embedder interprets).
#ifndef LATHE_IR_EXTERNAL_NAME_H_
#define LATHE_IR_EXTERNAL_NAME_H_

#include <cstdint>
#include <string>

namespace lathe::ir {

struct ExternalName {
  enum Kind : uint8_t { kTestCase, kUser };
  Kind kind = kTestCase;
  std::string name;  // kTestCase, without the '%'
  uint32_t ns = 0;   // kUser
  uint32_t index = 0;

  static ExternalName TestCase(std::string n) { return {kTestCase, std::move(n), 0, 0}; }
  static ExternalName User(uint32_t ns, uint32_t index) { return {kUser, "", ns, index}; }
  std::string ToString() const {
    if (kind == kUser) return "u" + std::to_string(ns) + ":" + std::to_string(index);
    return "%" + name;
  }
};

}  // namespace lathe::ir

#endif  // LATHE_IR_EXTERNAL_NAME_H_
