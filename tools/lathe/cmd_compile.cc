// `lathe compile [-D] [--target "x86_64 [has_FLAG...]"] [--regalloc=fast|optimizing] FILE`: compiles every
// function of a .clif file for x86-64 and prints each function's code size; with -D also its
// Capstone disassembly. Exit 1 if a function does not compile (the error names it).
#include <capstone/capstone.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/common/code_buffer.h"
#include "isa/common/target_registry.h"
#include "isa/x64/backend.h"

namespace lathe::tool {

int RunCompile(const std::vector<std::string>& args) {
  bool disasm = false;
  regalloc::Algorithm algorithm = regalloc::Algorithm::kSinglePass;
  std::string file;
  x64::IsaFlags isa_flags = x64::HostIsaFlags();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-D") {
      disasm = true;
    } else if (a == "--target" && i + 1 < args.size()) {
      absl::StatusOr<isa::TargetSpec> spec = isa::ParseTarget(args[++i], "--target");
      if (!spec.ok()) {
        std::fprintf(stderr, "error: %s\n", std::string(spec.status().message()).c_str());
        return 2;
      }
      isa_flags = x64::IsaFlagsFor(*spec);
    } else if (a == "--regalloc=optimizing") {
      algorithm = regalloc::Algorithm::kOptimizing;
    } else if (a == "--regalloc=fast") {
      algorithm = regalloc::Algorithm::kSinglePass;
    } else if (a.rfind("-", 0) == 0 || !file.empty()) {
      std::fprintf(stderr, "usage: lathe compile [-D] [--target \"x86_64 [has_FLAG...]\"] [--regalloc=fast|optimizing] FILE\n");
      return 2;
    } else {
      file = a;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "usage: lathe compile [-D] [--target \"x86_64 [has_FLAG...]\"] [--regalloc=fast|optimizing] FILE\n");
    return 2;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot read file\n", file.c_str());
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  absl::StatusOr<ir::TestFile> parsed = ir::ParseTestFile(ss.str(), file);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", std::string(parsed.status().message()).c_str());
    return 1;
  }
  csh cs = 0;
  if (disasm && cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
    std::fprintf(stderr, "error: cannot open Capstone\n");
    return 1;
  }
  x64::Backend backend;
  backend.set_isa_flags(isa_flags);
  isa::CodeBuffer buf;
  int rc = 0;
  for (const ir::ParsedFunction& pf : parsed->functions) {
    std::string name = pf.function->name.ToString();
    absl::Status s = backend.Compile(*pf.function, algorithm, &buf);
    if (!s.ok()) {
      std::printf("function %s: error: %s\n", name.c_str(), std::string(s.message()).c_str());
      rc = 1;
      continue;
    }
    std::printf("function %s: %zu bytes\n", name.c_str(), buf.bytes().size());
    if (!disasm) continue;
    cs_insn* insn = nullptr;
    size_t n = cs_disasm(cs, buf.bytes().data(), buf.bytes().size(), 0, 0, &insn);
    for (size_t i = 0; i < n; ++i) {
      std::printf("  %4llx:  %s %s\n", static_cast<unsigned long long>(insn[i].address), insn[i].mnemonic, insn[i].op_str);
    }
    if (n > 0) cs_free(insn, n);
  }
  if (disasm) cs_close(&cs);
  return rc;
}

}  // namespace lathe::tool
