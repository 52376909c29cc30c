// Disassembly of compiled code through Capstone, as `lathe compile -D` and `test compile` print
// it: one line per instruction, "  OFFSET:  mnemonic operands" (offset in hex, width 4), then
// one line for the constant pool if the code has one ("  OFFSET:  constant pool, N bytes").
// Decoding stops at bytes Capstone cannot decode (a jump table), which get one ".data" line.
// Unimplemented for a target Capstone is not set up for here.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace lathe::testsuite {

// `bytes` holds the code (the first `code_size` bytes) followed by its constant pool.
absl::StatusOr<std::string> Disassemble(absl::string_view target, absl::Span<const uint8_t> bytes, uint32_t code_size);

}  // namespace lathe::testsuite
