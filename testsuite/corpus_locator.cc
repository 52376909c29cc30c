#include "testsuite/corpus_locator.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"

namespace lathe::testsuite {

absl::StatusOr<std::string> CorpusPath(absl::string_view relative) {
  std::vector<std::string> roots;
  for (const char* var : {"TEST_SRCDIR", "RUNFILES_DIR"}) {
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') {
      roots.push_back(absl::StrCat(v, "/corpus"));
      roots.push_back(absl::StrCat(v, "/lathe/external/corpus"));
    }
  }
  roots.push_back("../corpus");  // `bazel run` starts in runfiles/lathe
  roots.push_back("external/corpus");
  roots.push_back("../shared/corpus");  // a checkout beside ../shared, run by hand
  for (const std::string& root : roots) {
    const std::string p = absl::StrCat(root, "/", relative);
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) return p;
  }
  return absl::NotFoundError(
      absl::StrCat("corpus file ", relative, " not found (is @corpus in data?)"));
}

}  // namespace lathe::testsuite
