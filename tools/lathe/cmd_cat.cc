// `lathe cat FILE...`: parses each .clif file and prints it in canonical form (filetest headers
// and run directives preserved). Exit 1 if any file fails to parse.
#include <cstdio>
#include <string>
#include <vector>

#include "ir/printer.h"
#include "tools/lathe/input_file.h"

namespace lathe::tool {

int RunCat(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr, "lathe cat: expected at least one file\nusage: lathe cat FILE...\n");
    return 2;
  }
  int rc = 0;
  for (const std::string& path : args) {
    absl::StatusOr<ir::TestFile> file = ReadClifFile(path);
    if (!file.ok()) {
      std::fprintf(stderr, "%s\n", std::string(file.status().message()).c_str());
      rc = 1;
      continue;
    }
    std::string out = ir::PrintTestFile(*file);
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return rc;
}

}  // namespace lathe::tool
