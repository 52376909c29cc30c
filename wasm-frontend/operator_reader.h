// Reads the operators of a function body or constant expression one at a time, decoding their
// immediates. It checks the binary encoding only (opcodes exist, immediates are well-formed);
// typing is the validator's job. The validator and the IR translator both drive it, so the
// operator encoding is decoded in exactly one place. SIMD (0xFD) is rejected with a clear error.
//
//   OperatorReader r(module.bytes, body.code.begin, body.code.end);
//   Operator op;
//   while (!r.AtEnd()) { if (auto s = r.Next(&op); !s.ok()) return s; ... }
#ifndef LATHE_WASM_FRONTEND_OPERATOR_READER_H_
#define LATHE_WASM_FRONTEND_OPERATOR_READER_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "wasm-frontend/binary_reader.h"
#include "wasm-frontend/operator.h"

namespace lathe::wasm {

class OperatorReader {
 public:
  OperatorReader(absl::Span<const uint8_t> module, size_t begin, size_t end)
      : reader_(module, begin, end) {}

  bool AtEnd() const { return reader_.AtEnd(); }
  size_t offset() const { return reader_.offset(); }

  // Decodes the next operator into `op`. Its br_targets stay valid until the next call.
  absl::Status Next(Operator* op);

 private:
  absl::Status ReadZeroByte(const char* what);

  BinaryReader reader_;
  std::vector<uint32_t> br_targets_;  // reused across br_table operators
};

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_OPERATOR_READER_H_
