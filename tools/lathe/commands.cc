// The table of subcommands. Adding one is one row here plus its cmd_*.cc file.
#include <string>
#include <vector>

#include "tools/lathe/command.h"

namespace lathe::tool {

int RunVersion(const std::vector<std::string>& args);
int RunDsl(const std::vector<std::string>& args);

namespace {

const Command kCommands[] = {
    {"version", "print Lathe's version", "lathe version", RunVersion},
    {"dsl", "check rules files or generate C++ from them", "lathe dsl check FILE... | lathe dsl gen FILE... -o OUT.cc [...]", RunDsl},
};

}  // namespace

absl::Span<const Command> AllCommands() { return kCommands; }

}  // namespace lathe::tool
