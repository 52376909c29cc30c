// A cursor over a wasm binary: fixed-width little-endian values, LEB128 integers with the exact
// length and range checks of the binary format, and UTF-8 names. It never reads past its end.
// Offsets are absolute (into the whole module), so errors point at the byte a user can find with
// a hex dump. Every failure is a "malformed" error from wasm_error.h.
#ifndef LATHE_WASM_FRONTEND_BINARY_READER_H_
#define LATHE_WASM_FRONTEND_BINARY_READER_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace lathe::wasm {

class BinaryReader {
 public:
  // Reads bytes [begin, end) of `module`.
  BinaryReader(absl::Span<const uint8_t> module, size_t begin, size_t end)
      : data_(module.data()), pos_(begin), end_(end) {}
  explicit BinaryReader(absl::Span<const uint8_t> module)
      : BinaryReader(module, 0, module.size()) {}

  size_t offset() const { return pos_; }
  size_t end() const { return end_; }
  bool AtEnd() const { return pos_ >= end_; }
  size_t remaining() const { return end_ - pos_; }

  // `what` names the field being read (a string literal); it appears in the error.
  absl::StatusOr<uint8_t> ReadByte(const char* what) {
    if (pos_ >= end_) return EndError(what);
    return data_[pos_++];
  }
  // Unsigned LEB128, <= 5 bytes. Inline fast path: one byte covers most indices and counts.
  absl::StatusOr<uint32_t> ReadU32(const char* what) {
    if (pos_ < end_ && data_[pos_] < 0x80) return data_[pos_++];
    return ReadU32Slow(what);
  }
  // Signed LEB128, <= 5 bytes. Inline fast path for one-byte values (most constants).
  absl::StatusOr<int32_t> ReadS32(const char* what) {
    if (pos_ < end_ && data_[pos_] < 0x80) {
      const uint8_t b = data_[pos_++];
      return (b & 0x40) ? static_cast<int32_t>(b) - 0x80 : static_cast<int32_t>(b);
    }
    return ReadS32Slow(what);
  }
  absl::StatusOr<int64_t> ReadS33(const char* what);  // signed LEB128, <= 5 bytes
  absl::StatusOr<int64_t> ReadS64(const char* what);  // signed LEB128, <= 10 bytes
  absl::StatusOr<uint32_t> ReadFixed32(const char* what);
  absl::StatusOr<uint64_t> ReadFixed64(const char* what);
  // Skips `n` bytes, failing if fewer remain.
  absl::Status Skip(size_t n, const char* what);
  // A name: u32 length, then that many bytes of valid UTF-8.
  absl::StatusOr<absl::string_view> ReadName(const char* what);

  // An "unexpected end" error at the current offset.
  absl::Status EndError(const char* what) const;

 private:
  absl::StatusOr<uint32_t> ReadU32Slow(const char* what);
  absl::StatusOr<int32_t> ReadS32Slow(const char* what);
  absl::StatusOr<uint64_t> ReadUnsigned(int bits, const char* what);
  absl::StatusOr<int64_t> ReadSigned(int bits, const char* what);

  const uint8_t* data_;
  size_t pos_;
  size_t end_;
};

// True if `bytes` is well-formed UTF-8 (no overlong forms, surrogates or code points > 0x10FFFF).
bool IsValidUtf8(absl::string_view bytes);

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_BINARY_READER_H_
