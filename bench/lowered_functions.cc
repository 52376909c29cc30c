#include "bench/lowered_functions.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "ir/corpus_files.h"
#include "ir/parser.h"
#include "testsuite/corpus_locator.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"
#include "wasm-frontend/translator.h"

namespace lathe::bench {
namespace {

// A status message shortened so that rejections of one kind share it: without the source line
// prefix ("line 12: ") and the function's name, cut after 80 characters.
std::string Reason(absl::string_view message) {
  if (absl::ConsumePrefix(&message, "line ")) {
    const size_t colon = message.find(": ");
    message.remove_prefix(colon == absl::string_view::npos ? 0 : colon + 2);
  }
  message = message.substr(0, message.find(" (function "));
  return std::string(message.substr(0, 80));
}

std::vector<std::string> SightglassModules() {
  std::vector<std::string> out;
  absl::StatusOr<std::string> dir = testsuite::CorpusPath("sightglass");
  if (!dir.ok()) return out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(*dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".wasm") out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

void LoweredCollector::Add(const ir::Function& f, std::string name, LoweredSource* out) {
  absl::Status s = Try(f, std::move(name), out);
  if (s.ok()) return;
  ++out->rejected;
  ++out->reasons[Reason(s.message())];
}

absl::Status LoweredCollector::Try(const ir::Function& f, std::string name, LoweredSource* out) {
  // Compile verifies first, like every client of the backend.
  for (isa::OptLevel level : {isa::OptLevel::kNone, isa::OptLevel::kSpeed}) {
    absl::Status s = isa::Compile(f, target_, level, ctx_, &buf_);
    if (!s.ok()) return s;
  }
  // Lower again so the copy is the lowering's output whatever emission does with it.
  absl::Status s = target_.Lower(f);
  if (!s.ok()) return s;
  MachineInput in{std::move(name), target_.machine_function(), target_.machine_env()};
  s = out->stats.Add(in.fn, in.env);
  if (!s.ok()) return s;
  out->insts += in.fn.insts.size();
  out->inputs.push_back(std::move(in));
  return absl::OkStatus();
}

std::unique_ptr<isa::TargetIsa> HostIsa() {
  absl::StatusOr<isa::TargetSpec> spec = isa::HostTarget();
  if (!spec.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<isa::TargetIsa>> t = isa::CreateTargetIsa(*spec);
  return t.ok() ? std::move(*t) : nullptr;
}

void CollectRuntests(LoweredCollector& collector, LoweredSource* out) {
  const std::string root = ir::testing::CorpusRoot("cranelift-filetests");
  for (const std::string& path : ir::testing::CorpusFiles("cranelift-filetests", ".clif")) {
    if (path.rfind("runtests/", 0) != 0) continue;
    auto file = ir::ParseTestFile(ir::testing::ReadFileOrEmpty(root + "/" + path), path);
    if (!file.ok()) {
      ++out->rejected;
      ++out->reasons["file does not parse"];
      continue;
    }
    for (const auto& pf : file->functions) collector.Add(*pf.function, path + " " + pf.function->name.ToString(), out);
  }
}

void CollectSightglass(LoweredCollector& collector, LoweredSource* out) {
  wasm::TranslateOptions options;
  options.heap_guard_bytes = uint64_t{2} << 30;
  for (const std::string& path : SightglassModules()) {
    std::ifstream file(path, std::ios::binary);
    const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    auto module = wasm::DecodeModule(bytes);
    absl::Status s = module.ok() ? wasm::ValidateModule(*module) : module.status();
    const std::string short_name = std::filesystem::path(path).parent_path().filename().string() + "/" +
                                   std::filesystem::path(path).filename().string();
    if (!s.ok()) {
      std::fprintf(stderr, "sightglass: %s (%s functions) rejected by the wasm frontend: %s\n", short_name.c_str(),
                   module.ok() ? std::to_string(module->bodies.size()).c_str() : "?", std::string(s.message()).c_str());
      ++out->rejected_modules;
      continue;
    }
    for (uint32_t i = 0; i < module->bodies.size(); ++i) {
      absl::StatusOr<ir::Function> f = wasm::TranslateFunction(*module, i, options);
      if (!f.ok()) {
        ++out->rejected;
        ++out->reasons[absl::StrCat("translation: ", Reason(f.status().message()))];
        continue;
      }
      collector.Add(*f, absl::StrCat(short_name, " function ", module->num_imported_funcs + i), out);
    }
  }
}

}  // namespace lathe::bench
