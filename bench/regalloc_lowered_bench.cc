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
//               bench/generated_program.h (stress, x64-shaped, lowered-shapes).
// Functions that do not compile are left out (bench/lowered_functions.h); stderr names how many
// and the commonest reasons.
// One benchmark iteration allocates every function of a source once. Counters: insts_per_second
// (regalloc::Function instructions), functions, insts, moves_per_inst (CountEdits total / insts).
// stderr also gets a table of the statistics of each source (bench/alloc_input_stats.h).
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bench/alloc_input_stats.h"
#include "bench/generated_program.h"
#include "bench/lowered_functions.h"
#include "benchmark/benchmark.h"
#include "regalloc/allocation.h"
#include "regalloc/regalloc.h"

namespace lathe::bench {
namespace {

using regalloc::Algorithm;

enum SourceId { kRuntests, kSightglass, kGenerated, kGeneratedX64, kGeneratedShapes, kNumSources };
const char* const kSourceNames[kNumSources] = {"runtests", "sightglass", "stress 10k", "x64-shaped 10k",
                                              "lowered-shapes 10k"};

void PrintSummary(const std::array<LoweredSource, kNumSources>& sources) {
  for (int k = 0; k < kNumSources; ++k) {
    const LoweredSource& src = sources[k];
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
  for (const char* name : kSourceNames) std::fprintf(stderr, " %18s", name);
  std::fprintf(stderr, "\n");
  std::vector<std::pair<std::string, double>> rows[kNumSources];
  for (int k = 0; k < kNumSources; ++k) rows[k] = sources[k].stats.Rows();
  for (size_t r = 0; r < rows[0].size(); ++r) {
    std::fprintf(stderr, "%-38s", rows[0][r].first.c_str());
    for (int k = 0; k < kNumSources; ++k) std::fprintf(stderr, " %18.2f", rows[k][r].second);
    std::fprintf(stderr, "\n");
  }
  std::fprintf(stderr, "\n");
}

const LoweredSource& LoadSource(SourceId id) {
  static const std::array<LoweredSource, kNumSources>* const sources = [] {
    auto* s = new std::array<LoweredSource, kNumSources>;
    if (std::unique_ptr<isa::TargetIsa> target = HostIsa()) {
      LoweredCollector collector(*target);
      CollectRuntests(collector, &(*s)[kRuntests]);
      CollectSightglass(collector, &(*s)[kSightglass]);
    }
    for (const auto& [id, mix] :
         {std::pair{kGenerated, GeneratedMix::kStress}, std::pair{kGeneratedX64, GeneratedMix::kX64Shaped},
          std::pair{kGeneratedShapes, GeneratedMix::kLoweredShapes}}) {
      MachineInput generated;
      generated.name = GeneratedMixName(mix);
      MakeGeneratedProgram(mix, 10000, &generated.fn, &generated.env);
      LoweredSource& g = (*s)[id];
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
__attribute__((noinline)) absl::Status AllocateEveryFunction(const LoweredSource& src, Algorithm algorithm,
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
  const LoweredSource& src = LoadSource(id);
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
BENCHMARK_CAPTURE(BM_Allocate, generated_lowered_shapes_single_pass, kGeneratedShapes, Algorithm::kSinglePass)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Allocate, generated_lowered_shapes_optimizing, kGeneratedShapes, Algorithm::kOptimizing)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lathe::bench
