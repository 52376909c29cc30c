#include "isa/common/target_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace lathe::isa {

const std::vector<TargetInfo>& Targets() {
  static const std::vector<TargetInfo>* targets = new std::vector<TargetInfo>{
      {"x86_64",
       {"has_sse3", "has_ssse3", "has_sse41", "has_sse42", "has_cmpxchg16b", "has_popcnt", "has_lzcnt",
        "has_bmi1", "has_bmi2", "has_avx", "has_avx2", "has_fma", "has_avx512f", "has_avx512vl",
        "has_avx512dq", "has_avx512bitalg", "has_avx512vbmi"}},
  };
  return *targets;
}

const TargetInfo* FindTarget(absl::string_view name) {
  for (const TargetInfo& t : Targets()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

absl::StatusOr<TargetSpec> ParseTarget(absl::string_view text, absl::string_view where) {
  TargetSpec spec;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == ',') {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != ',') ++i;
    absl::string_view word = text.substr(start, i - start);
    std::string loc = absl::StrCat(where, ":", start + 1);
    if (spec.target == nullptr) {
      spec.target = FindTarget(word);
      if (spec.target == nullptr) {
        std::vector<absl::string_view> names;
        for (const TargetInfo& t : Targets()) names.push_back(t.name);
        return absl::InvalidArgumentError(
            absl::StrCat(loc, ": unknown target '", word, "' (expected one of: ", absl::StrJoin(names, ", "), ")"));
      }
      continue;
    }
    const std::vector<absl::string_view>& known = spec.target->flags;
    if (std::find(known.begin(), known.end(), word) == known.end()) {
      return absl::InvalidArgumentError(absl::StrCat(loc, ": unknown flag '", word, "' for target ",
                                                     spec.target->name, " (expected one of: ",
                                                     absl::StrJoin(known, ", "), ")"));
    }
    spec.flags.insert(std::string(word));
  }
  if (spec.target == nullptr) return absl::InvalidArgumentError(absl::StrCat(where, ":1: expected a target name"));
  return spec;
}

TargetSpec EnableWithHost(const TargetSpec& spec, const absl::flat_hash_set<std::string>& host) {
  TargetSpec out;
  out.target = spec.target;
  for (const std::string& f : spec.flags) {
    if (host.contains(f)) out.flags.insert(f);
  }
  return out;
}

}  // namespace lathe::isa
