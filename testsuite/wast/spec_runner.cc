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
#include "testsuite/wast/spec_values.h"
#include "testsuite/wast/wasm_store.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"
#include "testsuite/input_paths.h"

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

// The instantiated modules of one script: the store, the current module and named ones.
struct ScriptState {
  WasmStore store;
  int current = -1;
  std::map<std::string, int> named;

  absl::StatusOr<int> InstanceFor(const JsonValue& action) {
    const std::string module(action.GetString("module"));
    if (module.empty()) {
      if (current < 0) return absl::FailedPreconditionError("no module instantiated");
      return current;
    }
    auto it = named.find(module);
    if (it == named.end()) return absl::NotFoundError(absl::StrCat("unknown module ", module));
    return it->second;
  }

  // Runs an invoke or get action; a trap is a result, anything else that goes wrong an error.
  absl::StatusOr<interp::CallResult> Perform(const JsonValue* action) {
    if (action == nullptr) return absl::InvalidArgumentError("command without an action");
    auto inst = InstanceFor(*action);
    if (!inst.ok()) return inst.status();
    const std::string field(action->GetString("field"));
    if (action->GetString("type") == "get") {
      auto v = store.GetGlobal(*inst, field);
      if (!v.ok()) return v.status();
      interp::CallResult r;
      r.values.push_back(*v);
      return r;
    }
    if (action->GetString("type") != "invoke") return absl::UnimplementedError("unknown action type");
    std::vector<interp::u128> args;
    if (const JsonValue* a = action->Find("args"); a != nullptr) {
      for (const JsonValue& v : a->items) {
        auto bits = ParseArgValue(v);
        if (!bits.ok()) return bits.status();
        args.push_back(*bits);
      }
    }
    return store.Invoke(*inst, field, args);
  }
};

absl::StatusOr<std::vector<uint8_t>> ReadBytes(const std::string& path) {
  auto data = ReadFile(path);
  if (!data.ok()) return data.status();
  return std::vector<uint8_t>(data->begin(), data->end());
}

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
  ScriptState state;
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
      state.current = -1;
      auto bytes = ReadBytes(module_path);
      absl::StatusOr<WasmStore::InstantiateResult> r =
          bytes.ok() ? state.store.Instantiate(std::move(*bytes))
                     : absl::StatusOr<WasmStore::InstantiateResult>(bytes.status());
      if (r.ok() && r->kind == WasmStore::InstantiateResult::kOk) {
        outcome = Outcome::kPass;
        state.current = r->instance;
        if (const std::string name(cmd.GetString("name")); !name.empty()) state.named[name] = r->instance;
      } else {
        outcome = Outcome::kFail;
        message = absl::StrCat("valid module ", filename, " not instantiated: ",
                               !r.ok() ? std::string(r.status().message())
                               : r->kind == WasmStore::InstantiateResult::kTrapped
                                   ? "trap " + r->trap.Name()
                                   : r->message);
      }
    } else if (type == "register") {
      const std::string name(cmd.GetString("name"));
      int inst = state.current;
      if (!name.empty()) inst = state.named.count(name) ? state.named[name] : -1;
      if (inst < 0) {
        outcome = Outcome::kFail;
        message = "register without a module";
      } else {
        state.store.Register(std::string(cmd.GetString("as")), inst);
        outcome = Outcome::kPass;
      }
    } else if (type == "assert_return" || type == "action") {
      auto r = state.Perform(cmd.Find("action"));
      outcome = Outcome::kFail;
      if (!r.ok()) {
        message = std::string(r.status().message());
      } else if (r->trapped) {
        message = absl::StrCat("unexpected trap ", r->trap.Name());
      } else if (type == "action") {
        outcome = Outcome::kPass;
      } else {
        const JsonValue* expected = cmd.Find("expected");
        const size_t want = expected != nullptr ? expected->items.size() : 0;
        if (want != r->values.size()) {
          message = absl::StrCat("expected ", want, " results, got ", r->values.size());
        } else {
          outcome = Outcome::kPass;
          for (size_t i = 0; i < want && outcome == Outcome::kPass; ++i) {
            auto m = MatchResult(expected->items[i], r->values[i]);
            if (!m.ok()) {
              outcome = Outcome::kSkip;  // an unsupported value type (v128)
            } else if (!m->empty()) {
              outcome = Outcome::kFail;
              message = absl::StrCat("result ", i, ": ", *m);
            }
          }
        }
      }
    } else if (type == "assert_trap" || type == "assert_exhaustion") {
      auto r = state.Perform(cmd.Find("action"));
      outcome = Outcome::kFail;
      const std::string text(cmd.GetString("text"));
      if (!r.ok()) {
        if (type == "assert_exhaustion" && absl::IsResourceExhausted(r.status())) {
          outcome = Outcome::kPass;
        } else {
          message = std::string(r.status().message());
        }
      } else if (!r->trapped) {
        message = absl::StrCat("returned normally, expected trap \"", text, "\"");
      } else {
        std::optional<ir::TrapCode> want = TrapCodeForMessage(text);
        if (!want || *want == r->trap) {
          outcome = Outcome::kPass;
        } else {
          message = absl::StrCat("trapped with ", r->trap.Name(), ", expected \"", text, "\"");
        }
      }
    } else if (type == "assert_uninstantiable" || type == "assert_unlinkable") {
      auto bytes = ReadBytes(module_path);
      absl::StatusOr<WasmStore::InstantiateResult> r =
          bytes.ok() ? state.store.Instantiate(std::move(*bytes))
                     : absl::StatusOr<WasmStore::InstantiateResult>(bytes.status());
      const auto want = type == "assert_unlinkable" ? WasmStore::InstantiateResult::kUnlinkable
                                                    : WasmStore::InstantiateResult::kTrapped;
      if (r.ok() && r->kind == want) {
        outcome = Outcome::kPass;
      } else {
        outcome = Outcome::kFail;
        message = absl::StrCat("module ", filename, " instantiated or failed differently",
                               r.ok() ? "" : ": ", r.ok() ? "" : std::string(r.status().message()));
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
    } else if (type == "assert_exception") {
      outcome = Outcome::kSkip;  // exception handling is not supported
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

absl::StatusOr<std::vector<std::string>> CollectWastJsonFiles(const std::vector<std::string>& paths) {
  return testsuite::CollectInputFiles(paths, ".json");
}

}  // namespace lathe::wast
