// Decodes the "name" custom section (module name, function names, local names) for tools that
// want readable names, such as the IR printer of translated functions. The section is
// optional and, like every custom section, cannot make a module invalid: callers that get an
// error here should ignore the names, not reject the module. Subsections other than 0-2 are
// skipped. Errors carry the byte offset, as everywhere in the frontend.
#ifndef LATHE_WASM_FRONTEND_NAME_SECTION_H_
#define LATHE_WASM_FRONTEND_NAME_SECTION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "wasm-frontend/module.h"

namespace lathe::wasm {

struct NameSection {
  std::optional<std::string> module_name;
  absl::flat_hash_map<uint32_t, std::string> function_names;  // by function index
  // (function index, local index) -> name.
  absl::flat_hash_map<uint64_t, std::string> local_names;

  static uint64_t LocalKey(uint32_t func, uint32_t local) {
    return (static_cast<uint64_t>(func) << 32) | local;
  }
};

// Reads the module's first custom section named "name"; an empty NameSection if there is none.
absl::StatusOr<NameSection> DecodeNameSection(const Module& module);

}  // namespace lathe::wasm

#endif  // LATHE_WASM_FRONTEND_NAME_SECTION_H_
