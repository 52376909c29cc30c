#include "ir/type_constraint.h"

namespace lathe::ir {

Type ConstraintType(char code, Type ctrl) {
  Type base = ctrl.is_dynamic() ? ctrl.dynamic_base() : ctrl;
  auto redyn = [&](Type t) { return ctrl.is_dynamic() && t.is_vector() ? Type::Dynamic(t) : t; };
  switch (code) {
    case 'T': return ctrl;
    case 'L': return base.lane_type();
    case 'B': return redyn(base.as_truthy());
    case 'H': return redyn(base.half_width());
    case 'D': return redyn(base.double_width());
    case 'S': return redyn(base.split_lanes());
    case 'W': return redyn(base.merge_lanes());
    case 'V': return base;
    case 'b': return kI8;
    case 'i': return kI32;
    case 'h': return kF16;
    case 'f': return kF32;
    case 'd': return kF64;
    case 'q': return kF128;
    case 'I': return Type::Vector(kI8, 16);
    case 'J': return Type::Vector(kI16, 8);
    case 'K': return Type::Vector(kI32, 4);
    case 'G': return Type::Vector(kI64, 2);
    case 'F': return Type::Vector(kF32, 4);
    case 'E': return Type::Vector(kF64, 2);
    default: return Type();
  }
}

}  // namespace lathe::ir
