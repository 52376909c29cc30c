// The C++ code generator. For a checked Program it emits a header and a source file:
//  - one `enum class` per enum type;
//  - `class Context`, abstract, with one pure virtual hook per extern extractor / constructor
//    (the backend implements it: extractors look at IR, constructors emit machine instructions);
//  - one function per internal term, `Ret term(Context& ctx, args...)` (partial terms return
//    std::optional<Ret>; multi terms append every result to a std::vector<Ret>*), whose body is
//    the term's decision tree.
#ifndef LATHE_ISEL_DSL_CODEGEN_H_
#define LATHE_ISEL_DSL_CODEGEN_H_

#include <string>
#include <vector>

#include "isel/dsl/matcher.h"
#include "isel/dsl/program.h"

namespace lathe::dsl {

struct CodegenOptions {
  std::string cpp_namespace = "isel_rules";
  std::vector<std::string> includes;  // headers that define the extern C++ types
  std::string header_path;            // how the source file includes the header
  std::vector<std::string> source_names;  // rules files, named in the banner
};

struct GeneratedCode {
  std::string header;
  std::string source;
};

GeneratedCode GenerateCpp(const Program& program, const std::vector<TermMatcher>& matchers,
                          const CodegenOptions& options);

// The C++ function name of an internal term (`-` becomes `_`).
std::string TermFunctionName(const std::string& term);

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_CODEGEN_H_
