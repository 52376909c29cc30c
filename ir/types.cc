#include "ir/types.h"

namespace lathe::ir {
namespace {

constexpr const char* kLaneNames[] = {"", "i8", "i16", "i32", "i64", "i128",
                                      "f16", "f32", "f64", "f128"};
constexpr uint32_t kLaneBits[] = {0, 8, 16, 32, 64, 128, 16, 32, 64, 128};

Type::Lane LaneOfWidth(bool is_float, uint32_t bits) {
  switch (bits) {
    case 8: return is_float ? Type::kNone : Type::kI8;
    case 16: return is_float ? Type::kF16 : Type::kI16;
    case 32: return is_float ? Type::kF32 : Type::kI32;
    case 64: return is_float ? Type::kF64 : Type::kI64;
    case 128: return is_float ? Type::kF128 : Type::kI128;
    default: return Type::kNone;
  }
}

}  // namespace

Type Type::Vector(Type lane, uint32_t lanes) {
  uint32_t log2 = 0;
  while ((1u << log2) < lanes) ++log2;
  if ((1u << log2) != lanes || log2 == 0 || log2 > 8 || lane.is_vector() || !lane.valid()) {
    return Type();
  }
  return Type(static_cast<uint16_t>(lane.lane_kind() | (log2 << 4)));
}

Type Type::Dynamic(Type base) {
  if (!base.is_vector()) return Type();
  return Type(static_cast<uint16_t>(base.bits_ | kDynamicBit));
}

std::optional<Type> Type::Parse(std::string_view text) {
  size_t x = text.find('x');
  std::string_view lane_text = text.substr(0, x);
  Lane lane = kNone;
  for (int i = 1; i <= 9; ++i) {
    if (lane_text == kLaneNames[i]) lane = static_cast<Lane>(i);
  }
  if (lane == kNone) return std::nullopt;
  if (x == std::string_view::npos) return Type(lane);
  std::string_view count = text.substr(x + 1);
  if (count.empty() || count.size() > 3) return std::nullopt;
  uint32_t n = 0;
  for (char c : count) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<uint32_t>(c - '0');
  }
  Type t = Vector(Type(lane), n);
  if (!t.valid()) return std::nullopt;
  return t;
}

uint32_t Type::lane_bits() const { return kLaneBits[lane_kind() <= 9 ? lane_kind() : 0]; }

Type Type::as_truthy() const {
  if (!is_vector()) return valid() ? ::lathe::ir::kI8 : Type();
  return with_lane(LaneOfWidth(false, lane_bits()));
}

Type Type::half_width() const {
  Lane l = LaneOfWidth(is_float(), lane_bits() / 2);
  return l == kNone ? Type() : with_lane(l);
}

Type Type::double_width() const {
  Lane l = LaneOfWidth(is_float(), lane_bits() * 2);
  return l == kNone ? Type() : with_lane(l);
}

Type Type::split_lanes() const {
  Type h = half_width();
  if (!h.valid() || log2_lanes() >= 8) return Type();
  return Type(static_cast<uint16_t>(h.bits_ + 0x10));
}

Type Type::merge_lanes() const {
  Type d = double_width();
  if (!d.valid() || log2_lanes() == 0) return Type();
  return Type(static_cast<uint16_t>(d.bits_ - 0x10));
}

std::string Type::Name() const {
  if (!valid()) return "invalid";
  std::string s = kLaneNames[lane_kind() <= 9 ? lane_kind() : 0];
  if (is_vector()) s += "x" + std::to_string(lane_count());
  if (is_dynamic()) s += "*";
  return s;
}

}  // namespace lathe::ir
