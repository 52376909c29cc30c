// Finds the peer corpora (../shared/corpus, Bazel repository @corpus) from inside a test or a
// `bazel run` binary: through $TEST_SRCDIR or $RUNFILES_DIR, or relative to the runfiles
// working directory. Tests and benchmarks list the corpus filegroup they read in `data`.
#ifndef LATHE_TESTSUITE_CORPUS_LOCATOR_H_
#define LATHE_TESTSUITE_CORPUS_LOCATOR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lathe::testsuite {

// The path of `relative` (e.g. "wasm-spec/MANIFEST.tsv") inside the corpus, if it exists.
absl::StatusOr<std::string> CorpusPath(absl::string_view relative);

}  // namespace lathe::testsuite

#endif  // LATHE_TESTSUITE_CORPUS_LOCATOR_H_
