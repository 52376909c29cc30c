#include "wasm-frontend/binary_reader.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "wasm-frontend/wasm_error.h"

namespace lathe::wasm {

absl::Status BinaryReader::EndError(const char* what) const {
  return MalformedError(pos_, absl::StrCat("unexpected end while reading ", what));
}

absl::StatusOr<uint64_t> BinaryReader::ReadUnsigned(int bits, const char* what) {
  const size_t start = pos_;
  const int max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (pos_ >= end_) return EndError(what);
    const uint8_t b = data_[pos_++];
    const int shift = 7 * i;
    if (i == max_bytes - 1) {
      // The last byte may only carry the bits that remain; a set continuation bit means the
      // encoding is longer than the type allows.
      if (b & 0x80) {
        return MalformedError(start, absl::StrCat("integer representation too long: ", what, " (u",
                                                  bits, " LEB128 over ", max_bytes, " bytes)"));
      }
      const int used = bits - shift;
      if (used < 7 && (b >> used) != 0) {
        return MalformedError(start, absl::StrCat("integer too large: ", what, " (unused bits of u",
                                                  bits, " LEB128 must be zero)"));
      }
    }
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return result;
  }
  return result;  // unreachable: the last byte always returns or errs
}

absl::StatusOr<int64_t> BinaryReader::ReadSigned(int bits, const char* what) {
  const size_t start = pos_;
  const int max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (pos_ >= end_) return EndError(what);
    const uint8_t b = data_[pos_++];
    const int shift = 7 * i;
    if (i == max_bytes - 1) {
      if (b & 0x80) {
        return MalformedError(start, absl::StrCat("integer representation too long: ", what, " (s",
                                                  bits, " LEB128 over ", max_bytes, " bytes)"));
      }
      // Bits above the value's width must all copy its sign bit.
      const int used = bits - shift;  // payload bits in this byte, sign bit included
      if (used < 7) {
        const int sign = (b >> (used - 1)) & 1;
        const uint8_t upper = static_cast<uint8_t>((b & 0x7F) >> used);
        const uint8_t want = sign ? static_cast<uint8_t>(0x7F >> used) : 0;
        if (upper != want) {
          return MalformedError(
              start, absl::StrCat("integer too large: ", what, " (unused bits of s", bits,
                                  " LEB128 must extend the sign)"));
        }
      }
    }
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) {
      const int width = shift + 7;
      if (width < 64 && (b & 0x40)) result |= ~uint64_t{0} << width;
      return static_cast<int64_t>(result);
    }
  }
  return static_cast<int64_t>(result);  // unreachable, as above
}

absl::StatusOr<uint32_t> BinaryReader::ReadU32Slow(const char* what) {
  auto v = ReadUnsigned(32, what);
  if (!v.ok()) return v.status();
  return static_cast<uint32_t>(*v);
}

absl::StatusOr<int32_t> BinaryReader::ReadS32Slow(const char* what) {
  auto v = ReadSigned(32, what);
  if (!v.ok()) return v.status();
  return static_cast<int32_t>(*v);
}

absl::StatusOr<int64_t> BinaryReader::ReadS33(const char* what) { return ReadSigned(33, what); }
absl::StatusOr<int64_t> BinaryReader::ReadS64(const char* what) { return ReadSigned(64, what); }

absl::StatusOr<uint32_t> BinaryReader::ReadFixed32(const char* what) {
  if (remaining() < 4) return EndError(what);
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | data_[pos_ + i];
  pos_ += 4;
  return v;
}

absl::StatusOr<uint64_t> BinaryReader::ReadFixed64(const char* what) {
  if (remaining() < 8) return EndError(what);
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | data_[pos_ + i];
  pos_ += 8;
  return v;
}

absl::Status BinaryReader::Skip(size_t n, const char* what) {
  if (remaining() < n) {
    return MalformedError(pos_, absl::StrCat("unexpected end: ", what, " needs ", n, " bytes, ",
                                             remaining(), " remain"));
  }
  pos_ += n;
  return absl::OkStatus();
}

absl::StatusOr<absl::string_view> BinaryReader::ReadName(const char* what) {
  auto len = ReadU32(what);
  if (!len.ok()) return len.status();
  const size_t start = pos_;
  if (absl::Status s = Skip(*len, what); !s.ok()) return s;
  absl::string_view name(reinterpret_cast<const char*>(data_ + start), *len);
  if (!IsValidUtf8(name)) {
    return MalformedError(start, absl::StrCat("malformed UTF-8 encoding in ", what));
  }
  return name;
}

bool IsValidUtf8(absl::string_view bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  while (i < n) {
    const uint8_t b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t cp;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      cp = b & 0x07;
    } else {
      return false;  // continuation byte first, overlong 2-byte lead, or beyond U+10FFFF
    }
    if (n - i < static_cast<size_t>(len)) return false;
    for (int k = 1; k < len; ++k) {
      const uint8_t c = p[i + k];
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return false;
    if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace lathe::wasm
