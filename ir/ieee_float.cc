#include "ir/ieee_float.h"

#include <cstdlib>
#include <cstring>

namespace lathe::ir {
namespace {

std::string Hex(u128 v, int min_digits) {
  std::string s;
  while (v != 0 || static_cast<int>(s.size()) < min_digits) {
    s.insert(s.begin(), "0123456789abcdef"[static_cast<int>(v & 0xf)]);
    v >>= 4;
  }
  return s;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int BitLength(u128 v) {
  int n = 0;
  while (v != 0) {
    ++n;
    v >>= 1;
  }
  return n;
}

}  // namespace

std::string FormatIeee(u128 bits, FloatFormat fmt) {
  const int mb = fmt.mantissa_bits, eb = fmt.exponent_bits;
  const u128 mant_mask = (u128(1) << mb) - 1;
  const int exp_max = (1 << eb) - 1;
  const int bias = (1 << (eb - 1)) - 1;
  const bool neg = ((bits >> (mb + eb)) & 1) != 0;
  const int exp = static_cast<int>((bits >> mb) & static_cast<u128>(exp_max));
  const u128 mant = bits & mant_mask;
  const int digits = (mb + 3) / 4;
  const u128 shifted = mant << (digits * 4 - mb);
  if (exp == exp_max) {
    std::string s = neg ? "-" : "+";
    if (mant == 0) return s + "Inf";
    const u128 quiet = u128(1) << (mb - 1);
    u128 payload = mant & ~quiet;
    if ((mant & quiet) != 0) {
      s += "NaN";
      if (payload != 0) s += ":0x" + Hex(payload, 1);
      return s;
    }
    return s + "sNaN:0x" + Hex(payload, 1);
  }
  std::string s = neg ? "-" : "";
  if (exp == 0) {
    if (mant == 0) return s + "0.0";
    return s + "0x0." + Hex(shifted, digits) + "p" + std::to_string(1 - bias);
  }
  return s + "0x1." + Hex(shifted, digits) + "p" + std::to_string(exp - bias);
}

bool ParseIeee(std::string_view text, FloatFormat fmt, u128* out, std::string* error) {
  const int mb = fmt.mantissa_bits, eb = fmt.exponent_bits;
  const int exp_max = (1 << eb) - 1;
  const int bias = (1 << (eb - 1)) - 1;
  const u128 sign_bit = u128(1) << (mb + eb);
  const u128 mant_mask = (u128(1) << mb) - 1;
  const u128 exp_all = static_cast<u128>(exp_max) << mb;
  std::string_view s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  const u128 sign = neg ? sign_bit : 0;
  auto parse_payload = [&](std::string_view p, u128* v) {
    if (p.size() < 3 || p.substr(0, 2) != "0x") return false;
    *v = 0;
    for (char c : p.substr(2)) {
      if (c == '_') continue;
      int d = HexDigit(c);
      if (d < 0 || BitLength(*v) > mb) return false;
      *v = (*v << 4) | static_cast<u128>(d);
    }
    return true;
  };
  if (s == "Inf") {
    *out = sign | exp_all;
    return true;
  }
  if (s.substr(0, 3) == "NaN" || s.substr(0, 4) == "sNaN") {
    const bool signaling = s[0] == 's';
    s.remove_prefix(signaling ? 4 : 3);
    const u128 quiet = u128(1) << (mb - 1);
    u128 payload = 0;
    if (!s.empty()) {
      if (s[0] != ':' || !parse_payload(s.substr(1), &payload)) {
        *error = "expected a NaN payload ':0x...'";
        return false;
      }
    }
    if ((payload & ~(quiet - 1)) != 0) {
      *error = "NaN payload does not fit in the mantissa";
      return false;
    }
    if (signaling && payload == 0) {
      *error = "a signaling NaN needs a non-zero payload";
      return false;
    }
    *out = sign | exp_all | (signaling ? 0 : quiet) | payload;
    return true;
  }
  if (s.size() < 2 || s.substr(0, 2) != "0x") {
    // Decimal: only for forms a double can hold exactly, checked by a round trip.
    std::string copy(s);
    if (copy.empty() || copy.find_first_not_of("0123456789.eE-+") != std::string::npos) {
      *error = "expected a hex float (0x1.8p3), Inf or NaN";
      return false;
    }
    char* end = nullptr;
    double d = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size()) {
      *error = "malformed decimal float";
      return false;
    }
    uint64_t dbits;
    std::memcpy(&dbits, &d, 8);
    if (dbits == 0) {
      *out = sign;
      return true;
    }
    // Re-express as a hex float and parse that, which checks exactness for the target width.
    std::string hex = FormatIeee(dbits, kDouble);
    return ParseIeee((neg ? "-" : "") + hex, fmt, out, error);
  }
  s.remove_prefix(2);
  u128 m = 0;
  long exp2 = 0;
  bool seen_digit = false, after_point = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') continue;
    if (c == '.') {
      if (after_point) break;
      after_point = true;
      continue;
    }
    int d = HexDigit(c);
    if (d < 0) break;
    seen_digit = true;
    if (BitLength(m) > 120) {
      if (d != 0) {
        *error = "too many significant digits";
        return false;
      }
      if (!after_point) exp2 += 4;
      continue;
    }
    m = (m << 4) | static_cast<u128>(d);
    if (after_point) exp2 -= 4;
  }
  if (!seen_digit) {
    *error = "expected hex digits after 0x";
    return false;
  }
  if (i < s.size()) {
    if (s[i] != 'p' && s[i] != 'P') {
      *error = "unexpected character in hex float";
      return false;
    }
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    if (i >= s.size()) {
      *error = "expected an exponent after 'p'";
      return false;
    }
    long e = 0;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9' || e > 100000) {
        *error = "malformed exponent";
        return false;
      }
      e = e * 10 + (s[i] - '0');
    }
    exp2 += eneg ? -e : e;
  }
  if (m == 0) {
    *out = sign;
    return true;
  }
  const int n = BitLength(m);
  const long e = exp2 + n - 1;  // exponent of the leading bit
  if (e > bias) {
    *error = "float too large for its type";
    return false;
  }
  const long emin = 1 - bias;
  long shift;  // how far m moves to land its bits in the mantissa field
  u128 exp_field;
  if (e >= emin) {
    shift = mb - (n - 1);
    exp_field = static_cast<u128>(e + bias) << mb;
  } else {
    shift = exp2 - (emin - mb);
    exp_field = 0;
  }
  u128 mant;
  if (shift >= 0) {
    if (shift >= 128) {
      *error = "float out of range";
      return false;
    }
    mant = m << shift;
  } else {
    if (-shift >= 128 || (m & ((u128(1) << -shift) - 1)) != 0) {
      *error = "float is not exactly representable in its type";
      return false;
    }
    mant = m >> -shift;
  }
  *out = sign | exp_field | (mant & mant_mask);
  return true;
}

}  // namespace lathe::ir
