// The table of subcommands. Adding one is one row here plus its cmd_*.cc file.
#include <string>
#include <vector>

#include "tools/lathe/command.h"

namespace lathe::tool {

int RunVersion(const std::vector<std::string>& args);
int RunCat(const std::vector<std::string>& args);
int RunVerify(const std::vector<std::string>& args);
int RunWast(const std::vector<std::string>& args);
int RunDsl(const std::vector<std::string>& args);
int RunTest(const std::vector<std::string>& args);
int RunInterpret(const std::vector<std::string>& args);
int RunNative(const std::vector<std::string>& args);
int RunCompile(const std::vector<std::string>& args);
int RunWasm(const std::vector<std::string>& args);

namespace {

const Command kCommands[] = {
    {"version", "print Lathe's version", "lathe version", RunVersion},
    {"cat", "print .clif files in canonical form", "lathe cat FILE...", RunCat},
    {"verify", "check the functions of .clif files with the IR verifier", "lathe verify FILE...", RunVerify},
    {"wast", "run WebAssembly spec tests (wast2json JSON form)", "lathe wast FILE.json|DIR...", RunWast},
    {"dsl", "check rules files or generate C++ from them", "lathe dsl check FILE... | lathe dsl gen FILE... -o OUT.cc [...]", RunDsl},
    {"test", "run the filetests in files or directories", "lathe test PATH...", RunTest},
    {"interpret", "run the `; run:` directives of files or directories in the interpreter", "lathe interpret PATH...", RunInterpret},
    {"run", "run the `; run:` directives natively (x86-64), cross-checked with the interpreter", "lathe run [--regalloc=fast|optimizing] PATH...", RunNative},
    {"compile", "compile .clif functions for x86-64; -D prints the disassembly", "lathe compile [-D] [--target \"x86_64 FLAGS\"] [--regalloc=fast|optimizing] FILE", RunCompile},
    {"wasm", "translate WebAssembly modules to IR and print it", "lathe wasm translate FILE.wasm...", RunWasm},
};

}  // namespace

absl::Span<const Command> AllCommands() { return kCommands; }

}  // namespace lathe::tool
