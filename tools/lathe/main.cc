// `lathe`: the command-line tool. It only dispatches; each subcommand lives in its own file.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tools/lathe/command.h"

namespace lathe::tool {
namespace {

void PrintUsage(FILE* out) {
  std::fprintf(out,
               "usage: lathe <command> [args...]\n"
               "       lathe help <command>\n\n"
               "commands:\n");
  for (const Command& c : AllCommands()) std::fprintf(out, "  %-12s %s\n", c.name, c.summary);
}

const Command* Find(const std::string& name) {
  for (const Command& c : AllCommands()) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    if (name == "help" && argc > 2) {
      const Command* c = Find(argv[2]);
      if (c == nullptr) {
        std::fprintf(stderr, "lathe: unknown command '%s'\n\n", argv[2]);
        PrintUsage(stderr);
        return 2;
      }
      std::printf("%s\n\nusage: %s\n", c->summary, c->usage);
      return 0;
    }
    PrintUsage(stdout);
    return 0;
  }
  if (name == "--version") name = "version";
  const Command* c = Find(name);
  if (c == nullptr) {
    std::fprintf(stderr, "lathe: unknown command '%s'\n\n", name.c_str());
    PrintUsage(stderr);
    return 2;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  return c->run(args);
}

}  // namespace
}  // namespace lathe::tool

int main(int argc, char** argv) { return lathe::tool::Main(argc, argv); }
