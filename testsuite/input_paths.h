// Expands the paths named on a command line into the input files they stand for: a file is
// taken as given; a directory contributes every regular file below it whose name ends in
// `extension` (".clif", ".json"), sorted, so runs are reproducible. A path that does not exist,
// or a directory that cannot be read, is a NotFound error naming it.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace lathe::testsuite {

absl::StatusOr<std::vector<std::string>> CollectInputFiles(const std::vector<std::string>& paths,
                                                           const std::string& extension);

}  // namespace lathe::testsuite
