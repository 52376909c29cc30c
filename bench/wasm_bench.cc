// Decode + validate throughput of the wasm frontend, in MB of wasm per second, on the largest
// module of the Sightglass corpus (falling back to the largest spec-corpus module).
//   bazel run -c opt //bench:wasm
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "benchmark/benchmark.h"
#include "testsuite/corpus_locator.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"

namespace {

struct Input {
  std::string path;
  std::vector<uint8_t> bytes;
};

// The largest .wasm file below `dir`.
std::string LargestWasm(const std::string& dir) {
  std::string best;
  uintmax_t best_size = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".wasm") continue;
    const uintmax_t size = it->file_size(ec);
    if (!ec && size > best_size) {
      best_size = size;
      best = it->path().string();
    }
  }
  return best;
}

const Input& LoadInput() {
  static const Input* const input = [] {
    auto* in = new Input;
    for (const char* corpus : {"sightglass", "wasm-spec/json"}) {
      auto dir = lathe::testsuite::CorpusPath(corpus);
      if (dir.ok()) in->path = LargestWasm(*dir);
      if (!in->path.empty()) break;
    }
    std::ifstream f(in->path, std::ios::binary);
    in->bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
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

}  // namespace
