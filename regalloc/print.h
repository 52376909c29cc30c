// Human-readable dumps of allocator input and output, for debugging and test failure messages.
#pragma once

#include <string>

#include "regalloc/allocation.h"
#include "regalloc/function.h"

namespace lathe::regalloc {

std::string LocationToString(Location l);
// Prints the function; with `alloc`, each operand's location and the edits in place.
std::string FunctionToString(const Function& fn, const Allocation* alloc = nullptr);

}  // namespace lathe::regalloc
