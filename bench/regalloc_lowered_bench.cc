// Register allocation speed on the machine functions the x86-64 backend produces, beside the
// generated stress mix of //bench:regalloc.
// Run: bazel run -c opt //bench:regalloc_lowered
//
// Sources, collected once at start-up (machine function and registers copied after
// TargetIsa::Lower):
//   runtests    every function of the Cranelift runtests corpus that isa::Compile accepts at both
//               optimization levels (the selection of //bench:compile);
//   sightglass  every defined function of the Sightglass benchmark modules, translated by the wasm
//               frontend with a 2 GiB heap guard (accesses with small static offsets need no
//               bounds check, as in a host that reserves guard pages), that both levels compile;
//   generated   one generated function of about 10,000 instructions in each mix of
//               bench/generated_program.h (stress, x64-shaped).
// Functions that do not compile are left out; stderr names how many and the commonest reasons.
// One benchmark iteration allocates every function of a source once. Counters: insts_per_second
// (regalloc::Function instructions), functions, insts, moves_per_inst (CountEdits total / insts).
// stderr also gets a table of the statistics of each source (bench/alloc_input_stats.h).
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bench/alloc_input_stats.h"
#include "bench/generated_program.h"
#include "benchmark/benchmark.h"
#include "ir/corpus_files.h"
#include "ir/parser.h"
#include "isa/common/code_buffer.h"
#include "isa/common/compile.h"
#include "isa/targets.h"
#include "regalloc/allocation.h"
#include "regalloc/regalloc.h"
#include "testsuite/corpus_locator.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/module_validator.h"
#include "wasm-frontend/translator.h"

namespace lathe::bench {
namespace {

using regalloc::Algorithm;

enum SourceId { kRuntests, kSightglass, kGenerated, kGeneratedX64, kNumSources };
const char* const kSourceNames[kNumSources] = {"runtests", "sightglass", "stress 10k", "x64-shaped 10k"};

struct MachineInput {
  std::string name;
  regalloc::Function fn;
  regalloc::MachineEnv env;
};

struct Source {
  std::vector<MachineInput> inputs;
  uint64_t insts = 0;
  uint64_t rejected = 0;          // functions
  uint64_t rejected_modules = 0;  // wasm modules the frontend does not accept
  absl::flat_hash_map<std::string, uint64_t> reasons;  // why functions were left out
  AllocInputStats stats;
};

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

// Lowers IR functions with the host's x86-64 target and keeps the ones both allocators accept.
class Collector {
 public:
  explicit Collector(isa::TargetIsa& target) : target_(target) {}

  void Add(const ir::Function& f, std::string name, Source* out) {
    absl::Status s = Try(f, std::move(name), out);
    if (s.ok()) return;
    ++out->rejected;
    ++out->reasons[Reason(s.message())];
  }

 private:
  absl::Status Try(const ir::Function& f, std::string name, Source* out) {
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

  isa::TargetIsa& target_;
  isa::CompileContext ctx_;
  isa::CodeBuffer buf_;
};

std::unique_ptr<isa::TargetIsa> HostIsa() {
  absl::StatusOr<isa::TargetSpec> spec = isa::HostTarget();
  if (!spec.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<isa::TargetIsa>> t = isa::CreateTargetIsa(*spec);
  return t.ok() ? std::move(*t) : nullptr;
}

void CollectRuntests(Collector& collector, Source* out) {
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

void CollectSightglass(Collector& collector, Source* out) {
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

void PrintSummary(const std::array<Source, kNumSources>& sources) {
  for (int k = 0; k < kNumSources; ++k) {
    const Source& src = sources[k];
    std::fprintf(stderr, "%s: %zu functions, %llu insts; left out: %llu functions, %llu modules\n", kSourceNames[k],
                 src.inputs.size(), static_cast<unsigned long long>(src.insts),
                 static_cast<unsigned long long>(src.rejected), static_cast<unsigned long long>(src.rejected_modules));
    std::vector<std::pair<uint64_t, std::string>> reasons;
    for (const auto& [reason, n] : src.reasons) reasons.emplace_back(n, reason);
    std::sort(reasons.rbegin(), reasons.rend());
    for (size_t i = 0; i < reasons.size() && i < 6; ++i) {
      std::fprintf(stderr, "  %5llu x %s\n", static_cast<unsigned long long>(reasons[i].first),
                   reasons[i].second.c_str());
    }
    std::vector<std::pair<size_t, const MachineInput*>> largest;
    for (const MachineInput& in : src.inputs) largest.emplace_back(in.fn.insts.size(), &in);
    const size_t shown = std::min<size_t>(3, largest.size());
    std::partial_sort(largest.begin(), largest.begin() + static_cast<std::ptrdiff_t>(shown), largest.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = 0; i < shown; ++i) {
      std::fprintf(stderr, "  largest: %zu insts, %zu blocks: %s\n", largest[i].first,
                   largest[i].second->fn.blocks.size(), largest[i].second->name.c_str());
    }
  }
  std::fprintf(stderr, "\n%-38s", "statistic");
  for (const char* name : kSourceNames) std::fprintf(stderr, " %14s", name);
  std::fprintf(stderr, "\n");
  std::vector<std::pair<std::string, double>> rows[kNumSources];
  for (int k = 0; k < kNumSources; ++k) rows[k] = sources[k].stats.Rows();
  for (size_t r = 0; r < rows[0].size(); ++r) {
    std::fprintf(stderr, "%-38s", rows[0][r].first.c_str());
    for (int k = 0; k < kNumSources; ++k) std::fprintf(stderr, " %14.2f", rows[k][r].second);
    std::fprintf(stderr, "\n");
  }
  std::fprintf(stderr, "\n");
}

const Source& LoadSource(SourceId id) {
  static const std::array<Source, kNumSources>* const sources = [] {
    auto* s = new std::array<Source, kNumSources>;
    if (std::unique_ptr<isa::TargetIsa> target = HostIsa()) {
      Collector collector(*target);
      CollectRuntests(collector, &(*s)[kRuntests]);
      CollectSightglass(collector, &(*s)[kSightglass]);
    }
    for (const auto& [id, mix] :
         {std::pair{kGenerated, GeneratedMix::kStress}, std::pair{kGeneratedX64, GeneratedMix::kX64Shaped}}) {
      MachineInput generated;
      generated.name = GeneratedMixName(mix);
      MakeGeneratedProgram(mix, 10000, &generated.fn, &generated.env);
      Source& g = (*s)[id];
      if (g.stats.Add(generated.fn, generated.env).ok()) {
        g.insts = generated.fn.insts.size();
        g.inputs.push_back(std::move(generated));
      }
    }
    PrintSummary(*s);
    return s;
  }();
  return (*sources)[id];
}

// One benchmark iteration; not inlined so that callgrind can count it alone
// (--toggle-collect='*AllocateEveryFunction*').
__attribute__((noinline)) absl::Status AllocateEveryFunction(const Source& src, Algorithm algorithm,
                                                            regalloc::RegisterAllocator& ra,
                                                            regalloc::Allocation* alloc) {
  for (const MachineInput& in : src.inputs) {
    alloc->Clear();
    absl::Status s = ra.Allocate(in.fn, in.env, algorithm, alloc);
    if (!s.ok()) return absl::Status(s.code(), absl::StrCat(in.name, ": ", s.message()));
  }
  return absl::OkStatus();
}

void BM_Allocate(benchmark::State& state, SourceId id, Algorithm algorithm) {
  const Source& src = LoadSource(id);
  if (src.inputs.empty()) {
    state.SkipWithError("no functions (run through bazel run -c opt //bench:regalloc_lowered on x86-64)");
    return;
  }
  regalloc::RegisterAllocator ra;
  regalloc::Allocation alloc;
  // Untimed: count the moves, and warm the allocator's buffers as a compiler's steady state would.
  uint64_t moves = 0;
  for (const MachineInput& in : src.inputs) {
    alloc.Clear();
    absl::Status s = ra.Allocate(in.fn, in.env, algorithm, &alloc);
    if (!s.ok()) {
      state.SkipWithError(absl::StrCat(in.name, ": ", s.ToString()).c_str());
      return;
    }
    moves += regalloc::CountEdits(alloc).total();
  }
  for (auto _ : state) {
    absl::Status s = AllocateEveryFunction(src, algorithm, ra, &alloc);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    benchmark::ClobberMemory();
  }
  const double insts = static_cast<double>(src.insts);
  state.counters["insts_per_second"] =
      benchmark::Counter(insts * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["functions"] = static_cast<double>(src.inputs.size());
  state.counters["insts"] = insts;
  state.counters["moves_per_inst"] = static_cast<double>(moves) / insts;
}

BENCHMARK_CAPTURE(BM_Allocate, runtests_single_pass, kRuntests, Algorithm::kSinglePass)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Allocate, runtests_optimizing, kRuntests, Algorithm::kOptimizing)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Allocate, sightglass_single_pass, kSightglass, Algorithm::kSinglePass)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Allocate, sightglass_optimizing, kSightglass, Algorithm::kOptimizing)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Allocate, generated_single_pass, kGenerated, Algorithm::kSinglePass)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Allocate, generated_optimizing, kGenerated, Algorithm::kOptimizing)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Allocate, generated_x64_shaped_single_pass, kGeneratedX64, Algorithm::kSinglePass)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Allocate, generated_x64_shaped_optimizing, kGeneratedX64, Algorithm::kOptimizing)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lathe::bench
