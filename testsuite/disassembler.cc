#include "testsuite/disassembler.h"

#include <capstone/capstone.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lathe::testsuite {

absl::StatusOr<std::string> Disassemble(absl::string_view target, absl::Span<const uint8_t> bytes, uint32_t code_size) {
  if (target != "x86_64") return absl::UnimplementedError(absl::StrCat("no disassembler for target ", target));
  csh cs = 0;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) return absl::InternalError("cannot open Capstone");
  if (code_size > bytes.size()) code_size = static_cast<uint32_t>(bytes.size());
  std::string out;
  cs_insn* insn = nullptr;
  size_t n = cs_disasm(cs, bytes.data(), code_size, 0, 0, &insn);
  uint64_t end = 0;
  for (size_t i = 0; i < n; ++i) {
    absl::StrAppend(&out, absl::StrFormat("  %4x:  %s", insn[i].address, insn[i].mnemonic));
    if (insn[i].op_str[0] != '\0') absl::StrAppend(&out, " ", insn[i].op_str);
    out += "\n";
    end = insn[i].address + insn[i].size;
  }
  if (n > 0) cs_free(insn, n);
  cs_close(&cs);
  if (end < code_size) absl::StrAppend(&out, absl::StrFormat("  %4x:  .data %d bytes\n", end, code_size - end));
  if (code_size < bytes.size()) {
    absl::StrAppend(&out, absl::StrFormat("  %4x:  constant pool, %d bytes\n", code_size, bytes.size() - code_size));
  }
  return out;
}

}  // namespace lathe::testsuite
