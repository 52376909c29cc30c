// Decode + validate (+ translate to IR) throughput of the wasm frontend, in MB of wasm per second, on the largest
// Sightglass module that the frontend accepts (the largest one overall uses SIMD, which is not
// supported yet; the skipped modules are named on stderr), falling back to the spec corpus.
//   bazel run -c opt //bench:wasm
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "testsuite/corpus_locator.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"
#include "wasm-frontend/translator.h"

namespace {

struct Input {
  std::string path;
  std::vector<uint8_t> bytes;
};

// The .wasm files below `dir`, largest first.
std::vector<std::pair<uintmax_t, std::string>> WasmFilesBySize(const std::string& dir) {
  std::vector<std::pair<uintmax_t, std::string>> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".wasm") continue;
    const uintmax_t size = it->file_size(ec);
    if (!ec) out.emplace_back(size, it->path().string());
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

const Input& LoadInput() {
  static const Input* const input = [] {
    auto* in = new Input;
    for (const char* corpus : {"sightglass", "wasm-spec/json"}) {
      auto dir = lathe::testsuite::CorpusPath(corpus);
      if (!dir.ok()) continue;
      for (const auto& [size, path] : WasmFilesBySize(*dir)) {
        std::vector<uint8_t> bytes = ReadFile(path);
        auto m = lathe::wasm::DecodeModule(bytes);
        absl::Status s = m.ok() ? lathe::wasm::ValidateModule(*m) : m.status();
        if (!s.ok()) {
          std::fprintf(stderr, "skipped: %s (%zu bytes): %s\n", path.c_str(), bytes.size(),
                       std::string(s.message()).c_str());
          continue;
        }
        in->path = path;
        in->bytes = std::move(bytes);
        break;
      }
      if (!in->bytes.empty()) break;
    }
    std::fprintf(stderr, "input: %s (%zu bytes)\n", in->path.c_str(), in->bytes.size());
    return in;
  }();
  return *input;
}

void SetThroughput(benchmark::State& state, size_t bytes) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(state.iterations() * bytes) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.counters["module_bytes"] = static_cast<double>(bytes);
}

void BM_WasmDecode(benchmark::State& state) {
  const Input& in = LoadInput();
  if (in.bytes.empty()) {
    state.SkipWithError("no wasm module found in the corpus");
    return;
  }
  for (auto _ : state) {
    auto m = lathe::wasm::DecodeModule(in.bytes);
    if (!m.ok()) {
      state.SkipWithError(std::string(m.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(m->bodies.data());
  }
  SetThroughput(state, in.bytes.size());
}
BENCHMARK(BM_WasmDecode)->Unit(benchmark::kMillisecond);

void BM_WasmDecodeValidate(benchmark::State& state) {
  const Input& in = LoadInput();
  if (in.bytes.empty()) {
    state.SkipWithError("no wasm module found in the corpus");
    return;
  }
  for (auto _ : state) {
    auto m = lathe::wasm::DecodeModule(in.bytes);
    if (!m.ok()) {
      state.SkipWithError(std::string(m.status().message()).c_str());
      return;
    }
    absl::Status s = lathe::wasm::ValidateModule(*m);
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      return;
    }
  }
  SetThroughput(state, in.bytes.size());
}
BENCHMARK(BM_WasmDecodeValidate)->Unit(benchmark::kMillisecond);

void BM_WasmDecodeValidateTranslate(benchmark::State& state) {
  const Input& in = LoadInput();
  if (in.bytes.empty()) {
    state.SkipWithError("no wasm module found in the corpus");
    return;
  }
  for (auto _ : state) {
    auto m = lathe::wasm::DecodeModule(in.bytes);
    absl::Status s = m.ok() ? lathe::wasm::ValidateModule(*m) : m.status();
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      return;
    }
    auto fs = lathe::wasm::TranslateModule(*m);
    if (!fs.ok()) {
      state.SkipWithError(std::string(fs.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(fs->data());
  }
  SetThroughput(state, in.bytes.size());
}
BENCHMARK(BM_WasmDecodeValidateTranslate)->Unit(benchmark::kMillisecond);

}  // namespace
