#include "isel/dsl/compiler.h"

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "isel/dsl/parser.h"
#include "isel/dsl/rule_checks.h"
#include "isel/dsl/sema.h"

namespace lathe::dsl {

Compilation Compile(std::vector<SourceFile> files, const CodegenOptions* options) {
  Compilation c;
  c.files = std::move(files);
  Diagnostics diags(&c.files);
  Parse(c.files, c.program, diags);
  if (diags.empty()) {
    c.matchers = Analyze(c.program, diags);
    if (diags.empty()) CheckRules(c.program, c.matchers, diags);
  }
  c.diagnostics = diags.list();
  c.formatted_diagnostics = diags.Format();
  if (diags.empty() && options != nullptr) {
    CodegenOptions o = *options;
    if (o.source_names.empty()) {
      for (const SourceFile& f : c.files) o.source_names.push_back(f.name);
    }
    c.code = GenerateCpp(c.program, c.matchers, o);
  }
  return c;
}

absl::StatusOr<GeneratedCode> CompileToCpp(std::vector<SourceFile> files,
                                           const CodegenOptions& options) {
  Compilation c = Compile(std::move(files), &options);
  if (!c.diagnostics.empty()) return absl::InvalidArgumentError(c.formatted_diagnostics);
  return std::move(c.code);
}

absl::Status ReadSourceFiles(const std::vector<std::string>& paths, std::vector<SourceFile>* out) {
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open rules file"));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return absl::DataLossError(absl::StrCat(path, ": read error"));
    out->push_back(SourceFile{path, text.str()});
  }
  return absl::OkStatus();
}

absl::Status WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream outf(path, std::ios::binary | std::ios::trunc);
  if (!outf) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot open for writing"));
  outf << text;
  outf.close();
  if (!outf) return absl::DataLossError(absl::StrCat(path, ": write error"));
  return absl::OkStatus();
}

}  // namespace lathe::dsl
