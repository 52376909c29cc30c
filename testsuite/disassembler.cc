#include "testsuite/disassembler.h"

#include <capstone/capstone.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lathe::testsuite {
namespace {

// Decodes [start, end) of `bytes`; what Capstone cannot decode becomes one .data line.
void DecodeRange(csh cs, const std::vector<uint8_t>& bytes, uint32_t start, uint32_t end, std::string* out) {
  cs_insn* insn = nullptr;
  size_t n = cs_disasm(cs, bytes.data() + start, end - start, start, 0, &insn);
  uint64_t at = start;
  for (size_t i = 0; i < n; ++i) {
    absl::StrAppend(out, absl::StrFormat("  %4x:  %s", insn[i].address, insn[i].mnemonic));
    if (insn[i].op_str[0] != '\0') absl::StrAppend(out, " ", insn[i].op_str);
    *out += "\n";
    at = insn[i].address + insn[i].size;
  }
  if (n > 0) cs_free(insn, n);
  if (at < end) absl::StrAppend(out, absl::StrFormat("  %4x:  .data %d bytes\n", at, end - at));
}

}  // namespace

absl::StatusOr<std::string> Disassemble(absl::string_view target, const isa::CodeBuffer& buf) {
  if (target != "x86_64") return absl::UnimplementedError(absl::StrCat("no disassembler for target ", target));
  csh cs = 0;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) return absl::InternalError("cannot open Capstone");
  const std::vector<uint8_t>& bytes = buf.bytes();
  const uint32_t code_size = std::min<uint32_t>(buf.code_size(), static_cast<uint32_t>(bytes.size()));
  std::string out;
  uint32_t at = 0;
  for (const isa::CodeBuffer::Range& r : buf.data_ranges()) {  // in emission order, so ascending
    if (r.start < at || r.end > code_size) continue;
    DecodeRange(cs, bytes, at, r.start, &out);
    if (r.end > r.start) absl::StrAppend(&out, absl::StrFormat("  %4x:  .data %d bytes\n", r.start, r.end - r.start));
    at = r.end;
  }
  DecodeRange(cs, bytes, at, code_size, &out);
  cs_close(&cs);
  if (buf.pool_offset() < bytes.size()) {
    absl::StrAppend(&out, absl::StrFormat("  %4x:  constant pool, %d bytes\n", buf.pool_offset(),
                                          bytes.size() - buf.pool_offset()));
  }
  return out;
}

}  // namespace lathe::testsuite
