#include "testsuite/input_paths.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace lathe::testsuite {

absl::StatusOr<std::vector<std::string>> CollectInputFiles(const std::vector<std::string>& paths,
                                                           const std::string& extension) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::string> found;
      // recursive_directory_iterator walks with its own stack, not the native one.
      for (auto it = std::filesystem::recursive_directory_iterator(p, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == extension) found.push_back(it->path().string());
      }
      if (ec) return absl::NotFoundError(absl::StrCat(p, ": cannot read directory: ", ec.message()));
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (std::filesystem::exists(p, ec)) {
      out.push_back(p);
    } else {
      return absl::NotFoundError(absl::StrCat(p, ": no such file or directory"));
    }
  }
  return out;
}

}  // namespace lathe::testsuite
