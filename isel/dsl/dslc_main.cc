// `dslc`: the rules compiler as a build tool (run by isel_rules_library in defs.bzl).
// Same arguments and exit codes as `lathe dsl` (see dsl_command.h).
#include <string>
#include <vector>

#include "isel/dsl/dsl_command.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return lathe::dsl::RunDslCommand(args, stdout, stderr);
}
