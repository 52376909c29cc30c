// Runs WebAssembly spec tests in wast2json's JSON form (see ../shared/corpus/wasm-spec/README.md).
// It understands every command kind. What it can check without an execution engine, it checks:
//   module                              the binary must decode and validate;
//   assert_invalid, assert_malformed    (binary modules) must be rejected by decode or validate.
// Everything else is counted as skipped until the translator and interpreter exist: text-form
// modules (there is no text parser), assert_return/trap/exhaustion/exception, bare actions,
// register, assert_unlinkable/uninstantiable (they need linking and instantiation).
// A command of unknown type is a failure. Locations are "<source .wast>:<line>".
#ifndef LATHE_TESTSUITE_WAST_SPEC_RUNNER_H_
#define LATHE_TESTSUITE_WAST_SPEC_RUNNER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lathe::wast {

struct WastCounts {
  int passed = 0;
  int failed = 0;
  int skipped = 0;
  // Of the passing assert_invalid/assert_malformed commands: those rejected with an error of
  // the expected class (malformed vs invalid) whose message contains the script's expected
  // text. A quality figure only; rejection for another reason still passes.
  int reason_matched = 0;
  void Add(const WastCounts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
    reason_matched += o.reason_matched;
  }
};

struct WastFailure {
  std::string location;  // "address.wast:123"
  std::string command;   // command type, e.g. "assert_invalid"
  std::string message;   // what went wrong
};

struct WastResult {
  WastCounts total;
  std::map<std::string, WastCounts> by_command;  // keyed by command type (ordered for printing)
  std::vector<WastFailure> failures;
  void Add(const WastResult& o);
};

// Runs one JSON file; module files are looked up beside it. A file that cannot be read or
// parsed is an error (not a test failure).
absl::StatusOr<WastResult> RunWastJsonFile(const std::string& json_path);

// Expands each argument: a .json file stays itself, a directory becomes every .json file below
// it (sorted). Fails on a path that is neither.
absl::StatusOr<std::vector<std::string>> CollectWastJsonFiles(
    const std::vector<std::string>& paths);

}  // namespace lathe::wast

#endif  // LATHE_TESTSUITE_WAST_SPEC_RUNNER_H_
