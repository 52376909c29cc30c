// Test helper: assembles wasm binaries byte by byte, so unit tests can state exactly which
// encoding they exercise. Only for tests (testonly target).
#ifndef LATHE_WASM_FRONTEND_TEST_MODULE_BUILDER_H_
#define LATHE_WASM_FRONTEND_TEST_MODULE_BUILDER_H_

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace lathe::wasm::testing {

using Bytes = std::vector<uint8_t>;

inline Bytes Uleb(uint64_t v) {
  Bytes out;
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
  return out;
}

inline Bytes Cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A section: id, LEB size, contents.
inline Bytes Section(uint8_t id, const Bytes& contents) {
  return Cat({Bytes{id}, Uleb(contents.size()), contents});
}

// "\0asm" version 1 followed by the given sections.
inline Bytes ModuleOf(std::initializer_list<Bytes> sections) {
  Bytes out = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// A module with one function of type `params -> results` whose body (after the locals) is
// `code` (which must end with 0x0B); `locals` is the encoded local declarations vector.
inline Bytes OneFunction(const Bytes& params, const Bytes& results, const Bytes& code,
                         const Bytes& locals = Bytes{0x00}) {
  const Bytes type =
      Cat({Bytes{0x01, 0x60}, Uleb(params.size()), params, Uleb(results.size()), results});
  const Bytes body = Cat({locals, code});
  return ModuleOf({Section(1, type), Section(3, {0x01, 0x00}),
                   Section(10, Cat({Bytes{0x01}, Uleb(body.size()), body}))});
}

}  // namespace lathe::wasm::testing

#endif  // LATHE_WASM_FRONTEND_TEST_MODULE_BUILDER_H_
