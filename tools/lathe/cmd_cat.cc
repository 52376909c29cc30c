// `lathe cat FILE...`: parses each .clif file and prints it in canonical form (filetest headers
// and run directives preserved). Exit 1 if any file fails to parse.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ir/parser.h"
#include "ir/printer.h"

namespace lathe::tool {

int RunCat(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr, "lathe cat: expected at least one file\nusage: lathe cat FILE...\n");
    return 2;
  }
  int rc = 0;
  for (const std::string& path : args) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "%s: cannot open file\n", path.c_str());
      rc = 1;
      continue;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto file = ir::ParseTestFile(text, path);
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
