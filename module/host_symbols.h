// Host symbols for the JIT: names (as CLIF writes external names, e.g. "%CeilF32" or "u0:3")
// bound to addresses in the host process. JitModule resolves a call or func_addr whose callee
// the module does not define against them; the callee must follow System V (a C function).
#pragma once

#include <string>

#include "absl/container/flat_hash_map.h"

namespace lathe::module {

class HostSymbols {
 public:
  // Binds `name` to `address`, replacing an earlier binding.
  void Define(std::string name, const void* address) { symbols_[std::move(name)] = address; }
  // The address bound to `name`, or nullptr.
  const void* Find(const std::string& name) const {
    auto it = symbols_.find(name);
    return it == symbols_.end() ? nullptr : it->second;
  }
  size_t size() const { return symbols_.size(); }

 private:
  absl::flat_hash_map<std::string, const void*> symbols_;
};

}  // namespace lathe::module
