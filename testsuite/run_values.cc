#include "testsuite/run_values.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ir/ieee_float.h"

namespace lathe::testsuite {
namespace {

using interp::AllOnes;
using interp::GetLane;
using interp::i128;
using interp::MaskBits;
using interp::SetLane;
using interp::SignExtend;

ir::FloatFormat FormatOf(ir::Type lane) {
  switch (lane.lane_kind()) {
    case ir::Type::kF16: return ir::kHalf;
    case ir::Type::kF32: return ir::kSingle;
    case ir::Type::kF64: return ir::kDouble;
    default: return ir::kQuad;
  }
}

absl::StatusOr<u128> ParseInt(std::string_view text, uint32_t width) {
  std::string_view t = text;
  if (t == "true") return u128{1};
  if (t == "false") return u128{0};
  bool neg = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  int base = 10;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    t.remove_prefix(2);
  }
  if (t.empty()) return absl::InvalidArgumentError(absl::StrCat("expected an integer, found '", std::string(text), "'"));
  u128 v = 0;
  bool any = false;
  for (char c : t) {
    if (c == '_') continue;
    int d;
    if (c >= '0' && c <= '9') d = c - '0';
    else if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    else if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    else return absl::InvalidArgumentError(absl::StrCat("expected an integer, found '", std::string(text), "'"));
    u128 nv = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (nv / static_cast<unsigned>(base) != v) {
      return absl::InvalidArgumentError(absl::StrCat("integer '", std::string(text), "' does not fit in 128 bits"));
    }
    v = nv;
    any = true;
  }
  if (!any) return absl::InvalidArgumentError(absl::StrCat("expected an integer, found '", std::string(text), "'"));
  // The literal must fit the type as a signed or an unsigned number.
  if (width < 128) {
    bool fits = neg ? v <= (u128{1} << (width - 1)) : v <= AllOnes(width);
    if (!fits) {
      return absl::InvalidArgumentError(
          absl::StrCat("integer '", std::string(text), "' does not fit in i", width));
    }
  }
  return MaskBits(neg ? -v : v, width);
}

absl::StatusOr<u128> ParseScalar(std::string_view text, ir::Type lane) {
  if (lane.is_int()) return ParseInt(text, lane.lane_bits());
  if (lane.is_float()) {
    ir::u128 bits;
    std::string error;
    if (!ir::ParseIeee(text, FormatOf(lane), &bits, &error)) {
      return absl::InvalidArgumentError(absl::StrCat("expected a ", lane.Name(), " literal, found '",
                                                     std::string(text), "': ", error));
    }
    return static_cast<u128>(bits);
  }
  return absl::InvalidArgumentError(absl::StrCat("values of type ", lane.Name(), " are not supported in run lines"));
}

std::string U128ToString(u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v != 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return s;
}

std::string FormatScalar(u128 v, ir::Type lane) {
  if (lane.is_float()) return ir::FormatIeee(v, FormatOf(lane));
  uint32_t w = lane.lane_bits();
  i128 s = SignExtend(v, w);
  if (s < 0) return "-" + U128ToString(u128{0} - static_cast<u128>(s));
  return U128ToString(MaskBits(v, w));
}

}  // namespace

absl::StatusOr<u128> ParseRunValue(std::string_view text, ir::Type type) {
  if (!type.valid() || type.is_dynamic() || type.bits_total() > 128) {
    return absl::InvalidArgumentError(absl::StrCat("values of type ", type.valid() ? type.Name() : "?",
                                                   " are not supported in run lines"));
  }
  // A trailing `; comment` is not part of the literal.
  size_t semi = text.find(';');
  if (semi != std::string_view::npos) text = text.substr(0, semi);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (!type.is_vector()) return ParseScalar(text, type);
  // A vector may also be written as one hex number holding all its bits.
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    return ParseInt(text, type.bits_total());
  }
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') {
    return absl::InvalidArgumentError(absl::StrCat("expected a vector literal [a b ...] for ", type.Name(),
                                                   ", found '", std::string(text), "'"));
  }
  std::vector<absl::string_view> parts = absl::StrSplit(
      absl::string_view(text.data() + 1, text.size() - 2), absl::ByAnyChar(" \t"), absl::SkipEmpty());
  if (parts.size() != type.lane_count()) {
    return absl::InvalidArgumentError(absl::StrCat("expected ", type.lane_count(), " lanes for ", type.Name(),
                                                   ", found ", parts.size(), " in '", std::string(text), "'"));
  }
  u128 v = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::StatusOr<u128> lane = ParseScalar(std::string_view(parts[i].data(), parts[i].size()), type.lane_type());
    if (!lane.ok()) return lane.status();
    v = SetLane(v, type.lane_bits(), static_cast<uint32_t>(i), *lane);
  }
  return v;
}

std::string FormatRunValue(u128 value, ir::Type type) {
  if (!type.is_vector()) return FormatScalar(value, type);
  std::string s = "[";
  for (uint32_t i = 0; i < type.lane_count(); ++i) {
    if (i != 0) s += ' ';
    s += FormatScalar(GetLane(value, type.lane_bits(), i), type.lane_type());
  }
  return s + "]";
}

bool RunValuesEqual(u128 a, u128 b, ir::Type type) {
  return MaskBits(a, type.bits_total()) == MaskBits(b, type.bits_total());
}

}  // namespace lathe::testsuite
