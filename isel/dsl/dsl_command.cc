#include "isel/dsl/dsl_command.h"

#include "absl/strings/match.h"
#include "isel/dsl/compiler.h"

namespace lathe::dsl {
namespace {

int Usage(std::FILE* err, const char* problem) {
  std::fprintf(err, "lathe dsl: %s\nusage: %s\n", problem, kDslUsage);
  return 2;
}

}  // namespace

int RunDslCommand(const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  if (args.empty() || (args[0] != "check" && args[0] != "gen")) {
    return Usage(err, "expected 'check' or 'gen'");
  }
  bool gen = args[0] == "gen";
  std::vector<std::string> inputs;
  std::string output, header, header_include;
  CodegenOptions options;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool takes_value = a == "-o" || a == "--header" || a == "--header-include" ||
                       a == "--namespace" || a == "--include";
    if (takes_value) {
      if (!gen) return Usage(err, "options are only for 'gen'");
      if (i + 1 >= args.size()) return Usage(err, ("missing value after " + a).c_str());
      const std::string& v = args[++i];
      if (a == "-o") output = v;
      if (a == "--header") header = v;
      if (a == "--header-include") header_include = v;
      if (a == "--namespace") options.cpp_namespace = v;
      if (a == "--include") options.includes.push_back(v);
    } else if (absl::StartsWith(a, "-") && a != "-") {
      return Usage(err, ("unknown option " + a).c_str());
    } else {
      inputs.push_back(a);
    }
  }
  if (inputs.empty()) return Usage(err, "expected at least one rules file");
  if (gen && output.empty()) return Usage(err, "'gen' needs -o OUT.cc");
  if (gen && header.empty()) {
    header = absl::EndsWith(output, ".cc") ? output.substr(0, output.size() - 3) + ".h"
                                           : output + ".h";
  }
  options.header_path = header_include.empty() ? header : header_include;

  std::vector<SourceFile> files;
  absl::Status read = ReadSourceFiles(inputs, &files);
  if (!read.ok()) {
    std::fprintf(err, "%s\n", std::string(read.message()).c_str());
    return 1;
  }
  Compilation c = Compile(std::move(files), gen ? &options : nullptr);
  if (!c.diagnostics.empty()) {
    std::fputs(c.formatted_diagnostics.c_str(), err);
    std::fprintf(err, "%zu error%s\n", c.diagnostics.size(), c.diagnostics.size() == 1 ? "" : "s");
    return 1;
  }
  if (!gen) {
    std::fprintf(out, "%zu rules in %zu terms: no problems found\n", c.program.rules.size(),
                 c.matchers.size());
    return 0;
  }
  for (const auto& [path, text] : {std::make_pair(header, &c.code.header),
                                   std::make_pair(output, &c.code.source)}) {
    absl::Status s = WriteTextFile(path, *text);
    if (!s.ok()) {
      std::fprintf(err, "%s\n", std::string(s.message()).c_str());
      return 1;
    }
  }
  return 0;
}

}  // namespace lathe::dsl
