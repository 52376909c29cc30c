// A `lathe` subcommand: a name, a one-line summary for `lathe --help`, and an entry point.
// Entry points receive the arguments after the subcommand name and return the process exit
// code (0 success, 1 the work found problems, 2 bad usage). They print their own diagnostics.
#ifndef LATHE_TOOLS_LATHE_COMMAND_H_
#define LATHE_TOOLS_LATHE_COMMAND_H_

#include <string>
#include <vector>

#include "absl/types/span.h"

namespace lathe::tool {

struct Command {
  const char* name;
  const char* summary;  // one line, shown by `lathe --help`
  const char* usage;    // shown by `lathe help NAME` and on bad usage
  int (*run)(const std::vector<std::string>& args);
};

// Every subcommand, in the order `lathe --help` lists them (defined in commands.cc).
absl::Span<const Command> AllCommands();

}  // namespace lathe::tool

#endif  // LATHE_TOOLS_LATHE_COMMAND_H_
