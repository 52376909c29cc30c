// The type-constraint letters of opcodes.def, evaluated against a controlling type.
#ifndef LATHE_IR_TYPE_CONSTRAINT_H_
#define LATHE_IR_TYPE_CONSTRAINT_H_

#include "ir/types.h"

namespace lathe::ir {

// The type that constraint `code` denotes for controlling type `ctrl`; invalid for 'X' (free)
// and for derivations that do not exist (e.g. half of i8).
Type ConstraintType(char code, Type ctrl);

}  // namespace lathe::ir

#endif  // LATHE_IR_TYPE_CONSTRAINT_H_
