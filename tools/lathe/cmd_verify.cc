// `lathe verify FILE...`: parses each .clif file and runs the IR verifier on every function.
// Errors print as FILE:LINE: function %name: inst (text): message. Exit 1 if any file fails to
// parse or any function has a verifier error. The first `target` header sets the pointer type
// (i32 for 32-bit targets, else i64); files with `test verifier` or `test compile` also have
// their load/store addresses checked against it.
#include <cstdio>
#include <string>
#include <vector>

#include "ir/verifier.h"
#include "tools/lathe/input_file.h"

namespace lathe::tool {

int RunVerify(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr, "lathe verify: expected at least one file\nusage: lathe verify FILE...\n");
    return 2;
  }
  int rc = 0;
  for (const std::string& path : args) {
    absl::StatusOr<ir::TestFile> file = ReadClifFile(path);
    if (!file.ok()) {
      std::fprintf(stderr, "%s\n", std::string(file.status().message()).c_str());
      rc = 1;
      continue;
    }
    ir::VerifierOptions opts;
    bool compiled = false;  // interpreted-only tests keep their host-width addresses
    for (const ir::HeaderLine& h : file->headers) {
      if (h.kind == ir::HeaderLine::kTarget && !h.words.empty() && !opts.pointer_type.valid()) {
        opts.pointer_type = h.words[0].find("32") != std::string::npos ? ir::kI32 : ir::kI64;
      }
      if (h.kind == ir::HeaderLine::kTest && !h.words.empty() &&
          (h.words[0] == "verifier" || h.words[0] == "compile")) {
        compiled = true;
      }
    }
    opts.check_address_width = compiled;
    for (const ir::ParsedFunction& pf : file->functions) {
      const ir::Function& f = *pf.function;
      for (const ir::VerifierError& e : ir::Verify(f, opts)) {
        uint32_t line = e.inst.valid() && f.text_line(e.inst) != 0 ? f.text_line(e.inst) : pf.line;
        std::printf("%s:%u: function %s: %s\n", path.c_str(), line, f.name.ToString().c_str(),
                    ir::FormatVerifierError(f, e).c_str());
        rc = 1;
      }
    }
  }
  return rc;
}

}  // namespace lathe::tool
