// Parse + verify throughput over the whole Cranelift filetest corpus (1,185 files).
// Run: bazel run -c opt //bench:parse
// Counters: MB/s of .clif text and functions/s, per pipeline (parse only; parse + verify).
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "ir/corpus_files.h"
#include "ir/parser.h"
#include "ir/verifier.h"

namespace {

struct Corpus {
  std::vector<std::string> names;
  std::vector<std::string> texts;
  size_t bytes = 0;
};

const Corpus& LoadCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    const std::string root = lathe::ir::testing::CorpusRoot("cranelift-filetests");
    for (const std::string& f : lathe::ir::testing::CorpusFiles("cranelift-filetests", ".clif")) {
      c->names.push_back(f);
      c->texts.push_back(lathe::ir::testing::ReadFileOrEmpty(root + "/" + f));
      c->bytes += c->texts.back().size();
    }
    return c;
  }();
  return *corpus;
}

void Run(benchmark::State& state, bool verify) {
  const Corpus& corpus = LoadCorpus();
  if (corpus.texts.empty()) {
    state.SkipWithError("corpus not found (run through bazel run //bench:parse)");
    return;
  }
  size_t functions = 0;
  size_t errors = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < corpus.texts.size(); ++i) {
      auto file = lathe::ir::ParseTestFile(corpus.texts[i], corpus.names[i]);
      if (!file.ok()) {
        ++errors;
        continue;
      }
      functions += file->functions.size();
      if (verify) {
        for (const auto& pf : file->functions) {
          errors += lathe::ir::Verify(*pf.function).size();
        }
      }
      benchmark::DoNotOptimize(file);
    }
  }
  const double iters = static_cast<double>(state.iterations());
  state.counters["MB/s"] = benchmark::Counter(iters * static_cast<double>(corpus.bytes) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.counters["functions/s"] = benchmark::Counter(static_cast<double>(functions), benchmark::Counter::kIsRate);
  state.counters["files"] = static_cast<double>(corpus.texts.size());
  // Parse failures and verifier errors over all files of one iteration (verifier/ files are
  // expected to have some).
  state.counters["problems_per_iter"] = static_cast<double>(errors) / iters;
}

void BM_ParseCorpus(benchmark::State& state) { Run(state, false); }
void BM_ParseAndVerifyCorpus(benchmark::State& state) { Run(state, true); }

BENCHMARK(BM_ParseCorpus)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseAndVerifyCorpus)->Unit(benchmark::kMillisecond);

}  // namespace
