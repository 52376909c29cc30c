// `lathe compile [-D] [--target "x86_64 [FLAG...]"] [--regalloc=fast|optimizing] FILE`: compiles
// every function of a .clif file through the compile driver and prints each function's code
// size; with -D also its Capstone disassembly. The target is --target, else the file's first
// x86_64 `target` line, else the host; its flags are intersected with the host's. The allocator
// is the file's `set opt_level` unless --regalloc says otherwise. Exit 1 if a function does not
// compile (the error names it).
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/common/code_buffer.h"
#include "isa/common/compile.h"
#include "isa/common/target_registry.h"
#include "isa/targets.h"
#include "testsuite/disassembler.h"
#include "tools/lathe/input_file.h"

namespace lathe::tool {
namespace {

constexpr char kUsage[] =
    "usage: lathe compile [-D] [--target \"x86_64 [FLAG...]\"] [--regalloc=fast|optimizing] FILE\n";

}  // namespace

int RunCompile(const std::vector<std::string>& args) {
  bool disasm = false;
  std::string regalloc, file, target_text;
  bool has_target = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-D") {
      disasm = true;
    } else if (a == "--target" && i + 1 < args.size()) {
      target_text = args[++i];
      has_target = true;
    } else if (a == "--regalloc=optimizing" || a == "--regalloc=fast") {
      regalloc = a.substr(11);
    } else if (a.rfind("-", 0) == 0 || !file.empty()) {
      std::fprintf(stderr, "%s", kUsage);
      return 2;
    } else {
      file = a;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  absl::StatusOr<std::string> text = ReadInputFile(file);
  if (!text.ok()) {
    std::fprintf(stderr, "%s\n", std::string(text.status().message()).c_str());
    return 1;
  }
  absl::StatusOr<ir::TestFile> parsed = ir::ParseTestFile(*text, file);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s\n", std::string(parsed.status().message()).c_str());
    return 1;
  }
  isa::OptLevel level = isa::OptLevel::kNone;
  std::string where = "--target";
  for (const ir::HeaderLine& h : parsed->headers) {
    if (h.kind == ir::HeaderLine::kSet) {
      for (const std::string& w : h.words) {
        if (w.rfind("opt_level=", 0) != 0) continue;
        absl::StatusOr<isa::OptLevel> l = isa::ParseOptLevel(w.substr(10));
        if (!l.ok()) {
          std::fprintf(stderr, "%s:%u: %s\n", file.c_str(), h.line, std::string(l.status().message()).c_str());
          return 1;
        }
        level = *l;
      }
    } else if (h.kind == ir::HeaderLine::kTarget && !has_target && !h.words.empty() && h.words[0] == "x86_64") {
      // Spaces keep the registry's columns pointing into `target W1 W2 ...`.
      target_text = "       " + absl::StrJoin(h.words, " ");
      where = file + ":" + std::to_string(h.line);
      has_target = true;
    }
  }
  if (regalloc == "optimizing") level = isa::OptLevel::kSpeed;
  if (regalloc == "fast") level = isa::OptLevel::kNone;
  absl::StatusOr<isa::TargetSpec> spec = has_target ? isa::ParseTarget(target_text, where) : isa::HostTarget();
  if (!spec.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(spec.status().message()).c_str());
    return 2;
  }
  // Only the host's flags are used, so the code also runs here.
  isa::TargetSpec used = isa::IsHostTarget(*spec->target) ? isa::EnableWithHost(*spec, isa::HostFlags(*spec->target)) : *spec;
  absl::StatusOr<std::unique_ptr<isa::TargetIsa>> target = isa::CreateTargetIsa(used);
  if (!target.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(target.status().message()).c_str());
    return 2;
  }
  isa::CompileContext ctx;
  isa::CodeBuffer buf;
  int rc = 0;
  for (const ir::ParsedFunction& pf : parsed->functions) {
    std::string name = pf.function->name.ToString();
    absl::Status s = isa::Compile(*pf.function, **target, level, ctx, &buf);
    if (!s.ok()) {
      std::printf("function %s: error: %s\n", name.c_str(), std::string(s.message()).c_str());
      rc = 1;
      continue;
    }
    if (buf.code_size() == buf.bytes().size()) {
      std::printf("function %s: %zu bytes\n", name.c_str(), buf.bytes().size());
    } else {
      std::printf("function %s: %zu bytes (%u code, %zu constant pool)\n", name.c_str(), buf.bytes().size(),
                  buf.code_size(), buf.bytes().size() - buf.code_size());
    }
    if (!disasm) continue;
    absl::StatusOr<std::string> listing = testsuite::Disassemble((*target)->name(), buf.bytes(), buf.code_size());
    if (!listing.ok()) {
      std::fprintf(stderr, "error: %s\n", std::string(listing.status().message()).c_str());
      return 1;
    }
    std::printf("%s", listing->c_str());
  }
  return rc;
}

}  // namespace lathe::tool
