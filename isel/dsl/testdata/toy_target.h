// The toy IR and two-instruction target used by the worked example in docs/isel-dsl.md
// (toy_lowering.isel) and its golden test: just enough types for the generated code to name.
#ifndef LATHE_ISEL_DSL_TESTDATA_TOY_TARGET_H_
#define LATHE_ISEL_DSL_TESTDATA_TOY_TARGET_H_

#include <cstdint>

namespace toy {

struct Value {  // an IR value: an index into the function's instruction list
  int32_t index = -1;
  bool operator==(const Value& o) const { return index == o.index; }
};

struct Reg {  // a machine register; r0 reads as zero
  int32_t number = -1;
  bool operator==(const Reg& o) const { return number == o.number; }
};

}  // namespace toy

#endif  // LATHE_ISEL_DSL_TESTDATA_TOY_TARGET_H_
