// `lathe dsl check|gen`: the instruction-selection rules compiler (isel/dsl) from the command line.
#include <cstdio>
#include <string>
#include <vector>

#include "isel/dsl/dsl_command.h"

namespace lathe::tool {

int RunDsl(const std::vector<std::string>& args) {
  return lathe::dsl::RunDslCommand(args, stdout, stderr);
}

}  // namespace lathe::tool
