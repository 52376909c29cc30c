// The command-line front of the rules compiler, shared by `dslc` and `lathe dsl`:
//   check FILE...                 print diagnostics; exit 1 if there are any, 0 if clean
//   gen FILE... -o OUT.cc [--header OUT.h] [--header-include PATH] [--namespace NS]
//       [--include HEADER]...     write the generated C++ (header defaults to OUT with .h)
// Exit codes: 0 success, 1 diagnostics or I/O errors, 2 bad usage.
#ifndef LATHE_ISEL_DSL_DSL_COMMAND_H_
#define LATHE_ISEL_DSL_DSL_COMMAND_H_

#include <cstdio>
#include <string>
#include <vector>

namespace lathe::dsl {

inline constexpr const char kDslUsage[] =
    "lathe dsl check FILE...\n"
    "       lathe dsl gen FILE... -o OUT.cc [--header OUT.h] [--header-include PATH]\n"
    "                 [--namespace NS] [--include HEADER]...";

int RunDslCommand(const std::vector<std::string>& args, std::FILE* out, std::FILE* err);

}  // namespace lathe::dsl

#endif  // LATHE_ISEL_DSL_DSL_COMMAND_H_
