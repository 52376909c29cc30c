// A small JSON reader for the spec-test files (wast2json output). It parses the whole document
// into a tree of JsonValue with an explicit stack (no recursion), limits nesting to
// kMaxJsonDepth so that destroying the tree cannot exhaust the native stack either, and reports
// errors as "line:col: expected ...". Numbers keep their source text; the spec-test format
// stores every value that matters as a string anyway.
#ifndef LATHE_TESTSUITE_WAST_JSON_VALUE_H_
#define LATHE_TESTSUITE_WAST_JSON_VALUE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lathe::wast {

inline constexpr int kMaxJsonDepth = 64;

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;              // kString: the decoded string; kNumber: the literal as written
  std::vector<JsonValue> items;  // kArray
  std::vector<std::pair<std::string, JsonValue>> members;  // kObject, in source order

  // The member named `key` of an object, or nullptr.
  const JsonValue* Find(absl::string_view key) const;
  // The string member `key`, or "" if it is missing or not a string.
  absl::string_view GetString(absl::string_view key) const;
};

absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

}  // namespace lathe::wast

#endif  // LATHE_TESTSUITE_WAST_JSON_VALUE_H_
