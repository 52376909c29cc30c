// `lathe wasm translate FILE.wasm...`: decodes and validates each module, translates every
// defined function to IR, runs the verifier on it and prints it. Exit 1 if a module is
// rejected, a function cannot be translated or the verifier reports an error.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ir/printer.h"
#include "ir/verifier.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"
#include "wasm-frontend/translator.h"

namespace lathe::tool {

static int TranslateFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open file\n", path.c_str());
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto module = wasm::DecodeModule(bytes);
  if (!module.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), std::string(module.status().message()).c_str());
    return 1;
  }
  if (absl::Status s = wasm::ValidateModule(*module); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), std::string(s.message()).c_str());
    return 1;
  }
  int rc = 0;
  for (uint32_t i = 0; i < module->bodies.size(); ++i) {
    auto f = wasm::TranslateFunction(*module, i);
    if (!f.ok()) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), std::string(f.status().message()).c_str());
      rc = 1;
      continue;
    }
    if (absl::Status s = ir::VerifyFunction(*f); !s.ok()) {
      std::fprintf(stderr, "%s: function %s: %s\n", path.c_str(), f->name.ToString().c_str(),
                   std::string(s.message()).c_str());
      rc = 1;
    }
    std::printf("%s\n", ir::PrintFunction(*f).c_str());
  }
  return rc;
}

int RunWasm(const std::vector<std::string>& args) {
  if (args.size() < 2 || args[0] != "translate") {
    std::fprintf(stderr, "usage: lathe wasm translate FILE.wasm...\n");
    return 2;
  }
  int rc = 0;
  for (size_t i = 1; i < args.size(); ++i) rc |= TranslateFile(args[i]);
  return rc;
}

}  // namespace lathe::tool
