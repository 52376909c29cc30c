// Disassembly of a finished code buffer through Capstone, as `lathe compile -D` and `test
// compile` print it: one line per instruction, "  OFFSET:  mnemonic operands" (offset in hex,
// width 4); "  OFFSET:  .data N bytes" for each range the buffer marks as data (jump tables) and
// for bytes Capstone cannot decode; then, if the code has one, "  OFFSET:  constant pool,
// N bytes" (without the alignment padding before it). Unimplemented for a target Capstone is
// not set up for here.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "isa/common/code_buffer.h"

namespace lathe::testsuite {

absl::StatusOr<std::string> Disassemble(absl::string_view target, const isa::CodeBuffer& buf);

}  // namespace lathe::testsuite
