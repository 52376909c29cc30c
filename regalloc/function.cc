#include "regalloc/function.h"

namespace lathe::regalloc {

const char* RegClassName(RegClass c) {
  switch (c) {
    case RegClass::kInt:
      return "int";
    case RegClass::kFloat:
      return "float";
    case RegClass::kVector:
      return "vector";
  }
  return "?";
}

void Function::Clear() {
  num_vregs = 0;
  vreg_class.clear();
  blocks.clear();
  insts.clear();
  operands.clear();
  clobber_sets.clear();
  succs.clear();
  preds.clear();
  params.clear();
  edge_args_begin.clear();
  edge_args.clear();
}

}  // namespace lathe::regalloc
