// Value types of the IR: scalar integers (i8..i128), floats (f16..f128), fixed vectors (LxN) and
// dynamic vectors (a fixed vector scaled by a run-time factor). A Type is a 16-bit value; the
// invalid type (0) means "no type". Booleans are i8, pointers are i32/i64 per target.
#ifndef LATHE_IR_TYPES_H_
#define LATHE_IR_TYPES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lathe::ir {

class Type {
 public:
  // Lane kinds, in the low 4 bits of the encoding.
  enum Lane : uint8_t { kNone = 0, kI8, kI16, kI32, kI64, kI128, kF16, kF32, kF64, kF128 };

  constexpr Type() : bits_(0) {}
  static constexpr Type Scalar(Lane lane) { return Type(lane); }
  // A fixed vector of `lanes` (a power of two, 2..256) of the given scalar type.
  static Type Vector(Type lane, uint32_t lanes);
  // The dynamic vector whose minimum shape is the fixed vector `base`.
  static Type Dynamic(Type base);
  static constexpr Type FromBits(uint16_t bits) { return Type(bits); }

  // Parses "i32", "f64x2", ...; dynamic types are function-local names and not parsed here.
  static std::optional<Type> Parse(std::string_view text);

  constexpr uint16_t bits() const { return bits_; }
  constexpr bool valid() const { return bits_ != 0; }
  Lane lane_kind() const { return static_cast<Lane>(bits_ & 0xf); }
  uint32_t log2_lanes() const { return (bits_ >> 4) & 0xf; }
  uint32_t lane_count() const { return 1u << log2_lanes(); }
  bool is_dynamic() const { return (bits_ & kDynamicBit) != 0; }
  bool is_vector() const { return log2_lanes() > 0; }
  bool is_int() const { return lane_kind() >= kI8 && lane_kind() <= kI128; }
  bool is_float() const { return lane_kind() >= kF16 && lane_kind() <= kF128; }
  uint32_t lane_bits() const;
  uint32_t bits_total() const { return lane_bits() * lane_count(); }
  uint32_t bytes() const { return bits_total() / 8; }

  Type lane_type() const { return Type(lane_kind()); }
  // The same shape with lanes of `lane` kind.
  Type with_lane(Lane lane) const { return Type(static_cast<uint16_t>((bits_ & ~0xf) | lane)); }
  // Integer type of the same lane width (i8 for scalars, as comparisons produce).
  Type as_truthy() const;
  Type half_width() const;    // lanes half as wide; invalid if none
  Type double_width() const;  // lanes twice as wide; invalid if none
  Type split_lanes() const;   // half-width lanes, twice as many
  Type merge_lanes() const;   // double-width lanes, half as many
  Type dynamic_base() const { return Type(static_cast<uint16_t>(bits_ & ~kDynamicBit)); }

  // "i32", "f32x4"; a dynamic type prints as its base with a "*" suffix outside a function.
  std::string Name() const;

  friend constexpr bool operator==(Type a, Type b) { return a.bits_ == b.bits_; }
  friend constexpr bool operator!=(Type a, Type b) { return a.bits_ != b.bits_; }

 private:
  static constexpr uint16_t kDynamicBit = 0x100;
  explicit constexpr Type(uint16_t bits) : bits_(bits) {}
  uint16_t bits_;
};

inline constexpr Type kI8 = Type::Scalar(Type::kI8);
inline constexpr Type kI16 = Type::Scalar(Type::kI16);
inline constexpr Type kI32 = Type::Scalar(Type::kI32);
inline constexpr Type kI64 = Type::Scalar(Type::kI64);
inline constexpr Type kI128 = Type::Scalar(Type::kI128);
inline constexpr Type kF16 = Type::Scalar(Type::kF16);
inline constexpr Type kF32 = Type::Scalar(Type::kF32);
inline constexpr Type kF64 = Type::Scalar(Type::kF64);
inline constexpr Type kF128 = Type::Scalar(Type::kF128);

}  // namespace lathe::ir

#endif  // LATHE_IR_TYPES_H_
