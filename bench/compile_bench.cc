// x86-64 compile speed over every function of the Cranelift runtests corpus that the backend
// supports (functions it rejects are left out and counted in the `rejected` counter).
// Run: bazel run -c opt //bench:compile
// Counters: IR instructions/s and functions/s for verify + lower + allocate + emit, with the
// single-pass and the optimizing register allocator; code bytes per function.
#include <memory>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "ir/corpus_files.h"
#include "ir/parser.h"
#include "isa/common/code_buffer.h"
#include "isa/common/compile.h"
#include "isa/targets.h"

namespace {

struct Corpus {
  std::vector<lathe::ir::TestFile> files;  // keep the functions alive
  std::vector<const lathe::ir::Function*> functions;
  size_t insts = 0;
  size_t rejected = 0;
};

// The host's x86-64 target with every extension it has.
std::unique_ptr<lathe::isa::TargetIsa> HostIsa() {
  absl::StatusOr<lathe::isa::TargetSpec> spec = lathe::isa::HostTarget();
  if (!spec.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<lathe::isa::TargetIsa>> t = lathe::isa::CreateTargetIsa(*spec);
  return t.ok() ? std::move(*t) : nullptr;
}

size_t CountInsts(const lathe::ir::Function& f) {
  size_t n = 0;
  for (auto b = f.layout.first_block(); b.valid(); b = f.layout.next_block(b)) {
    for (auto i = f.layout.first_inst(b); i.valid(); i = f.layout.next_inst(i)) ++n;
  }
  return n;
}

const Corpus& LoadCorpus() {
  static const Corpus* corpus = [] {
    auto* c = new Corpus;
    const std::string root = lathe::ir::testing::CorpusRoot("cranelift-filetests");
    std::unique_ptr<lathe::isa::TargetIsa> target = HostIsa();
    if (target == nullptr) return c;  // not an x86-64 host: no corpus to compile
    lathe::isa::CompileContext ctx;
    lathe::isa::CodeBuffer buf;
    for (const std::string& f : lathe::ir::testing::CorpusFiles("cranelift-filetests", ".clif")) {
      if (f.rfind("runtests/", 0) != 0) continue;
      auto file = lathe::ir::ParseTestFile(lathe::ir::testing::ReadFileOrEmpty(root + "/" + f), f);
      if (!file.ok()) continue;
      c->files.push_back(std::move(*file));
    }
    for (const auto& file : c->files) {
      for (const auto& pf : file.functions) {
        bool ok = lathe::isa::Compile(*pf.function, *target, lathe::isa::OptLevel::kNone, ctx, &buf).ok() &&
                  lathe::isa::Compile(*pf.function, *target, lathe::isa::OptLevel::kSpeed, ctx, &buf).ok();
        if (!ok) {
          ++c->rejected;
          continue;
        }
        c->functions.push_back(pf.function.get());
        c->insts += CountInsts(*pf.function);
      }
    }
    return c;
  }();
  return *corpus;
}

void Compile(benchmark::State& state, lathe::isa::OptLevel level) {
  const Corpus& corpus = LoadCorpus();
  if (corpus.functions.empty()) {
    state.SkipWithError("corpus not found (run through bazel run //bench:compile)");
    return;
  }
  std::unique_ptr<lathe::isa::TargetIsa> target = HostIsa();
  lathe::isa::CompileContext ctx;
  lathe::isa::CodeBuffer buf;
  size_t bytes = 0;
  for (auto _ : state) {
    for (const lathe::ir::Function* f : corpus.functions) {
      if (!lathe::isa::Compile(*f, *target, level, ctx, &buf).ok()) state.SkipWithError("a function stopped compiling");
      bytes += buf.bytes().size();
    }
  }
  const double iters = static_cast<double>(state.iterations());
  state.counters["insts/s"] = benchmark::Counter(iters * static_cast<double>(corpus.insts), benchmark::Counter::kIsRate);
  state.counters["functions/s"] =
      benchmark::Counter(iters * static_cast<double>(corpus.functions.size()), benchmark::Counter::kIsRate);
  state.counters["functions"] = static_cast<double>(corpus.functions.size());
  state.counters["rejected"] = static_cast<double>(corpus.rejected);
  state.counters["code_bytes/fn"] = static_cast<double>(bytes) / (iters * static_cast<double>(corpus.functions.size()));
}

void BM_CompileSinglePass(benchmark::State& state) { Compile(state, lathe::isa::OptLevel::kNone); }
void BM_CompileOptimizing(benchmark::State& state) { Compile(state, lathe::isa::OptLevel::kSpeed); }
BENCHMARK(BM_CompileSinglePass)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CompileOptimizing)->Unit(benchmark::kMillisecond);

}  // namespace
