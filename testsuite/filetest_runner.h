// The filetest runner: executes the test kinds a `.clif` file's `test` lines ask for and
// counts outcomes. Supported now: `run` (each `; run:` directive compiled and executed natively
// once per `target x86_64 ...` line, with that line's ISA flags, cross-checked against the
// interpreter; a target whose flags the host lacks is skipped with "host lacks has_..."),
// `compile` (each function compiled for each target line with a backend and disassembled;
// FileCheck directives, if any, against the disassembly; Cranelift's precise-output text is not
// compared; a function the backend does not support counts as unsupported, never as a pass;
// `test compile expect-fail` inverts), `interpret` (each `; run:` directive in the reference
// interpreter), `verifier` (functions must verify unless annotated `; error:`; annotated
// instructions must get an error), `domtree` (`; dominates:` annotations, and FileCheck
// directives against the CFG post-order and dominator-tree listing), `cat` and `print-cfg`
// (FileCheck directives against the printed function / Graphviz CFG). Kinds that need a later
// layer (`optimize`, ...) count as skipped, one per function.
// A file that does not parse counts as one failure carrying the parser's file:line:col message.
#ifndef LATHE_TESTSUITE_FILETEST_RUNNER_H_
#define LATHE_TESTSUITE_FILETEST_RUNNER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace lathe::testsuite {

struct FiletestOptions {
  // Run the file's run directives in the interpreter whatever its `test` lines say, and
  // nothing else.
  bool interpret_only = false;
  uint64_t step_limit = 0;  // 0: the interpreter's default
  // Run the file's run directives natively (x86-64 hosts, files naming an x86_64 target)
  // whatever its `test` lines say, and nothing else.
  bool native_only = false;
  // `test run` uses the optimizing register allocator even where the file's `set opt_level`
  // (none by default) selects the single-pass one.
  bool optimizing_allocator = false;
};

struct Outcome {
  enum Kind : uint8_t { kPass, kFail, kSkip, kUnsupported };
  Kind kind = kPass;
  std::string test;       // "interpret", "verifier", ...
  uint32_t line = 0;      // of the directive or function
  uint32_t target_line = 0;  // `run`/`compile`: the `target` line it ran under
  std::string message;    // for kFail: "FILE:LINE: directive: expected ..., got ..."; kSkip: why
};

struct FiletestReport {
  std::vector<Outcome> outcomes;
  int passed() const { return Count(Outcome::kPass); }
  int failed() const { return Count(Outcome::kFail); }
  int skipped() const { return Count(Outcome::kSkip); }
  int unsupported() const { return Count(Outcome::kUnsupported); }

 private:
  int Count(Outcome::Kind k) const {
    int n = 0;
    for (const Outcome& o : outcomes) n += o.kind == k;
    return n;
  }
};

// Runs the filetest in `text`; `path` names it in messages. Never crashes on bad input.
void RunFiletest(std::string_view path, std::string_view text, const FiletestOptions& options,
                 FiletestReport* report);

// The `.clif` files named by `paths` (files as given, directories searched recursively),
// sorted within each directory. NotFound for a path that does not exist.
absl::StatusOr<std::vector<std::string>> CollectClifFiles(const std::vector<std::string>& paths);

}  // namespace lathe::testsuite

#endif  // LATHE_TESTSUITE_FILETEST_RUNNER_H_
