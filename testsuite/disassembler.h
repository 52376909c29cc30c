// Disassembly of compiled code through Capstone, as `lathe compile -D` and `test compile` print
// it: one line per instruction, "  OFFSET:  mnemonic operands" (offset in hex, width 4), then
// one line for the constant pool if the code has one ("  OFFSET:  constant pool, N bytes",
// without the alignment padding before it).
// Decoding stops at bytes Capstone cannot decode, which get one ".data N bytes" line (jump
// table entries usually decode as instructions: the buffer does not mark them yet).
// Unimplemented for a target Capstone is not set up for here.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace lathe::testsuite {

// `bytes` holds the code (the first `code_size` bytes), then padding, then from `pool_offset`
// the constant pool.
absl::StatusOr<std::string> Disassemble(absl::string_view target, absl::Span<const uint8_t> bytes, uint32_t code_size,
                                        uint32_t pool_offset);

}  // namespace lathe::testsuite
