// The rules compiler's entry points, shared by `dslc` (the build tool), `lathe dsl` and tests.
// Compile() runs every stage (lex, parse, resolve and type-check, overlap and shadowing checks)
// and, when there are no diagnostics and code is wanted, generates C++.
#ifndef LATHE_ISEL_DSL_COMPILER_H_
#define LATHE_ISEL_DSL_COMPILER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "isel/dsl/codegen.h"
#include "isel/dsl/diagnostic.h"
#include "isel/dsl/matcher.h"
#include "isel/dsl/program.h"

namespace lathe::dsl {

struct Compilation {
  std::vector<SourceFile> files;
  Program program;
  std::vector<TermMatcher> matchers;
  std::vector<Diagnostic> diagnostics;
  std::string formatted_diagnostics;  // `file:line:col: message` lines
  GeneratedCode code;                 // filled only if generation was asked for and succeeded
};

// `options` null: check only.
Compilation Compile(std::vector<SourceFile> files, const CodegenOptions* options);

// Compile() for callers that want a Status: InvalidArgument carrying every diagnostic
// (`file:line:col: message` lines) if the rules have problems, the generated code otherwise.
absl::StatusOr<GeneratedCode> CompileToCpp(std::vector<SourceFile> files,
                                           const CodegenOptions& options);

// Reads each path into a SourceFile named by the path. Fails with the path on I/O errors.
absl::Status ReadSourceFiles(const std::vector<std::string>& paths, std::vector<SourceFile>* out);

// Writes `text` to `path`, failing with the path on I/O errors.
absl::Status WriteTextFile(const std::string& path, const std::string& text);

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_COMPILER_H_
