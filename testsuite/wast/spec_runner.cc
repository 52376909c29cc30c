#include "testsuite/wast/spec_runner.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "testsuite/wast/json_value.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"

namespace lathe::wast {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return data;
}

// Decodes and validates a module file; OK means the module is valid.
absl::Status CheckModuleFile(const std::string& path) {
  auto bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  absl::Span<const uint8_t> span(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
  auto module = wasm::DecodeModule(span);
  if (!module.ok()) return module.status();
  return wasm::ValidateModule(*module);
}

enum class Outcome { kPass, kFail, kSkip };

}  // namespace

void WastResult::Add(const WastResult& o) {
  total.Add(o.total);
  for (const auto& [k, v] : o.by_command) by_command[k].Add(v);
  failures.insert(failures.end(), o.failures.begin(), o.failures.end());
}

absl::StatusOr<WastResult> RunWastJsonFile(const std::string& json_path) {
  auto text = ReadFile(json_path);
  if (!text.ok()) return text.status();
  auto doc = ParseJson(*text);
  if (!doc.ok())
    return absl::InvalidArgumentError(absl::StrCat(json_path, ":", doc.status().message()));
  const JsonValue* commands = doc->Find("commands");
  if (commands == nullptr || commands->kind != JsonValue::Kind::kArray) {
    return absl::InvalidArgumentError(absl::StrCat(json_path, ": expected a \"commands\" array"));
  }
  std::string source(doc->GetString("source_filename"));
  if (source.empty()) source = json_path;
  const std::string dir = std::filesystem::path(json_path).parent_path().string();

  WastResult result;
  for (const JsonValue& cmd : commands->items) {
    const std::string type(cmd.GetString("type"));
    const JsonValue* line = cmd.Find("line");
    const std::string location =
        absl::StrCat(source, ":", line != nullptr ? line->text : std::string("?"));
    std::string message;
    Outcome outcome = Outcome::kSkip;
    bool reason_matched = false;
    const std::string filename(cmd.GetString("filename"));
    const std::string module_path = dir.empty() ? filename : absl::StrCat(dir, "/", filename);
    if (type == "module") {
      if (absl::Status s = CheckModuleFile(module_path); s.ok()) {
        outcome = Outcome::kPass;
      } else {
        outcome = Outcome::kFail;
        message = absl::StrCat("valid module ", filename, " rejected: ", s.message());
      }
    } else if (type == "assert_invalid" || type == "assert_malformed") {
      if (cmd.GetString("module_type") == "binary") {
        absl::Status s = CheckModuleFile(module_path);
        if (absl::IsNotFound(s)) {
          outcome = Outcome::kFail;
          message = std::string(s.message());
        } else if (s.ok()) {
          outcome = Outcome::kFail;
          message = absl::StrCat("module ", filename, " accepted, expected rejection (\"",
                                 cmd.GetString("text"), "\")");
        } else {
          outcome = Outcome::kPass;
          const bool right_class = absl::StrContains(
              s.message(), type == "assert_malformed" ? ": malformed: " : ": invalid: ");
          if (right_class && absl::StrContains(s.message(), cmd.GetString("text")))
            reason_matched = true;
        }
      }
    } else if (type == "assert_return" || type == "assert_trap" || type == "assert_exhaustion" ||
               type == "assert_exception" || type == "action" || type == "register" ||
               type == "assert_unlinkable" || type == "assert_uninstantiable") {
      outcome = Outcome::kSkip;  // needs instantiation and execution
    } else {
      outcome = Outcome::kFail;
      message = absl::StrCat("unknown command type \"", type, "\"");
    }
    WastCounts& per = result.by_command[type.empty() ? "(none)" : type];
    if (reason_matched) {
      ++per.reason_matched;
      ++result.total.reason_matched;
    }
    switch (outcome) {
      case Outcome::kPass:
        ++per.passed;
        ++result.total.passed;
        break;
      case Outcome::kFail:
        ++per.failed;
        ++result.total.failed;
        result.failures.push_back(WastFailure{location, type, message});
        break;
      case Outcome::kSkip:
        ++per.skipped;
        ++result.total.skipped;
        break;
    }
  }
  return result;
}

absl::StatusOr<std::vector<std::string>> CollectWastJsonFiles(
    const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::string> found;
      // recursive_directory_iterator walks with its own stack, not the native one.
      for (auto it = std::filesystem::recursive_directory_iterator(p, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".json") {
          found.push_back(it->path().string());
        }
      }
      if (ec) return absl::NotFoundError(absl::StrCat(p, ": ", ec.message()));
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (std::filesystem::is_regular_file(p, ec)) {
      out.push_back(p);
    } else {
      return absl::NotFoundError(absl::StrCat(p, ": no such file or directory"));
    }
  }
  return out;
}

}  // namespace lathe::wast
