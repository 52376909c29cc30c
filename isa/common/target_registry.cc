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
        "has_avx512dq", "has_avx512bitalg", "has_avx512vbmi"},
       {{"baseline", {}},
        {"sse3", {"has_sse3"}},
        {"ssse3", {"has_sse3", "has_ssse3"}},
        {"sse41", {"has_sse3", "has_ssse3", "has_sse41"}},
        {"sse42", {"has_sse3", "has_ssse3", "has_sse41", "has_sse42"}},
        {"nehalem", {"has_sse3", "has_ssse3", "has_sse41", "has_sse42", "has_popcnt", "has_cmpxchg16b"}},
        {"x86-64-v2", {"has_sse3", "has_ssse3", "has_sse41", "has_sse42", "has_popcnt", "has_cmpxchg16b"}},
        {"haswell",
         {"has_sse3", "has_ssse3", "has_sse41", "has_sse42", "has_popcnt", "has_cmpxchg16b", "has_avx", "has_avx2",
          "has_bmi1", "has_bmi2", "has_fma", "has_lzcnt"}},
        {"x86-64-v3",
         {"has_sse3", "has_ssse3", "has_sse41", "has_sse42", "has_popcnt", "has_cmpxchg16b", "has_avx", "has_avx2",
          "has_bmi1", "has_bmi2", "has_fma", "has_lzcnt"}},
        {"skylake",
         {"has_sse3", "has_ssse3", "has_sse41", "has_sse42", "has_popcnt", "has_cmpxchg16b", "has_avx", "has_avx2",
          "has_bmi1", "has_bmi2", "has_fma", "has_lzcnt"}}}},
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
    const TargetPreset* preset = nullptr;
    for (const TargetPreset& p : spec.target->presets) {
      if (p.name == word) preset = &p;
    }
    if (preset != nullptr) {
      for (absl::string_view f : preset->flags) spec.flags.insert(std::string(f));
      continue;
    }
    bool on = true;
    absl::string_view name = word;
    if (size_t eq = word.find('='); eq != absl::string_view::npos) {
      name = word.substr(0, eq);
      absl::string_view value = word.substr(eq + 1);
      if (value != "true" && value != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ":", start + eq + 2, ": expected true or false after '", name, "=', found '", value, "'"));
      }
      on = value == "true";
    }
    const std::vector<absl::string_view>& known = spec.target->flags;
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::vector<absl::string_view> presets;
      for (const TargetPreset& p : spec.target->presets) presets.push_back(p.name);
      return absl::InvalidArgumentError(absl::StrCat(loc, ": unknown flag '", name, "' for target ",
                                                     spec.target->name, " (expected one of: ",
                                                     absl::StrJoin(known, ", "), "; or a preset: ",
                                                     absl::StrJoin(presets, ", "), ")"));
    }
    if (on) {
      spec.flags.insert(std::string(name));
    } else {
      spec.flags.erase(std::string(name));
    }
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

namespace lathe::isa {

std::vector<std::string> MissingOnHost(const TargetSpec& spec, const absl::flat_hash_set<std::string>& host) {
  std::vector<std::string> out;
  for (const std::string& f : spec.flags) {
    if (!host.contains(f)) out.push_back(f);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace lathe::isa
