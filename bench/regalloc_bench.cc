// Register allocation speed on generated functions of about 1,000, 10,000 and 100,000
// instructions, for both algorithms, in three operand mixes (bench/generated_program.h): the stress
// mix (BM_SinglePass, BM_Optimizing), the mix of lowered x86-64 code (...X64Shaped) and the
// instruction shapes of lowered code (...LoweredShapes). Reports
// insts_per_second (instructions allocated per second, validation and liveness included) and the
// moves inserted per instruction.
#include <cstdint>

#include "bench/generated_program.h"
#include "benchmark/benchmark.h"
#include "regalloc/liveness.h"
#include "regalloc/regalloc.h"
#include "regalloc/validate.h"

namespace lathe::regalloc {
namespace {

void BM_Allocate(benchmark::State& state, Algorithm algorithm, bench::GeneratedMix mix) {
  Function fn;
  MachineEnv env;
  bench::MakeGeneratedProgram(mix, state.range(0), &fn, &env);
  RegisterAllocator ra;
  Allocation alloc;
  for (auto _ : state) {
    absl::Status s = ra.Allocate(fn, env, algorithm, &alloc);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(alloc.edits.data());
  }
  const double insts = static_cast<double>(fn.insts.size());
  state.counters["insts"] = insts;
  state.counters["insts_per_second"] =
      benchmark::Counter(insts * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["moves_per_inst"] = static_cast<double>(CountEdits(alloc).total()) / insts;
  Validator checked;
  Liveness live;
  if (checked.Run(fn, env, /*record_exposed=*/true).ok() && live.Compute(fn, checked).ok()) {
    double in = 0;
    for (uint32_t b = 0; b < fn.blocks.size(); ++b) in += static_cast<double>(live.live_in(b).size());
    state.counters["live_in_per_block"] = in / static_cast<double>(fn.blocks.size());
    state.counters["insts_per_block"] = insts / static_cast<double>(fn.blocks.size());
  }
}

// Calibration: one pass that only reads every operand of the same functions, to show what this
// machine does per instruction before any allocation work.
void BM_ReadOperandsOnly(benchmark::State& state) {
  Function fn;
  MachineEnv env;
  bench::MakeGeneratedProgram(bench::GeneratedMix::kStress, state.range(0), &fn, &env);
  for (auto _ : state) {
    uint64_t sum = 0;
    for (const Inst& inst : fn.insts) {
      for (uint32_t k = inst.operands_begin; k < inst.operands_end; ++k) sum += fn.operands[k].vreg();
    }
    benchmark::DoNotOptimize(sum);
  }
  state.counters["insts_per_second"] = benchmark::Counter(
      static_cast<double>(fn.insts.size()) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// Calibration: validation alone (Validator::Run, the first step of every Allocate call), to
// show how the single-pass time divides between checking the input and allocating.
void BM_ValidateOnly(benchmark::State& state, bench::GeneratedMix mix) {
  Function fn;
  MachineEnv env;
  bench::MakeGeneratedProgram(mix, state.range(0), &fn, &env);
  Validator validator;
  for (auto _ : state) {
    absl::Status s = validator.Run(fn, env);
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(validator.inst_shapes().data());
  }
  state.counters["insts_per_second"] = benchmark::Counter(
      static_cast<double>(fn.insts.size()) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
void BM_ValidateOnlyX64Shaped(benchmark::State& state) { BM_ValidateOnly(state, bench::GeneratedMix::kX64Shaped); }
void BM_ValidateOnlyLoweredShapes(benchmark::State& state) {
  BM_ValidateOnly(state, bench::GeneratedMix::kLoweredShapes);
}

// The stress mix keeps the names it has had since the first session, so figures stay comparable.
void BM_SinglePass(benchmark::State& state) {
  BM_Allocate(state, Algorithm::kSinglePass, bench::GeneratedMix::kStress);
}
void BM_Optimizing(benchmark::State& state) {
  BM_Allocate(state, Algorithm::kOptimizing, bench::GeneratedMix::kStress);
}
void BM_SinglePassX64Shaped(benchmark::State& state) {
  BM_Allocate(state, Algorithm::kSinglePass, bench::GeneratedMix::kX64Shaped);
}
void BM_OptimizingX64Shaped(benchmark::State& state) {
  BM_Allocate(state, Algorithm::kOptimizing, bench::GeneratedMix::kX64Shaped);
}

void BM_SinglePassLoweredShapes(benchmark::State& state) {
  BM_Allocate(state, Algorithm::kSinglePass, bench::GeneratedMix::kLoweredShapes);
}
void BM_OptimizingLoweredShapes(benchmark::State& state) {
  BM_Allocate(state, Algorithm::kOptimizing, bench::GeneratedMix::kLoweredShapes);
}

BENCHMARK(BM_ReadOperandsOnly)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ValidateOnlyX64Shaped)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ValidateOnlyLoweredShapes)->Arg(10000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SinglePass)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Optimizing)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SinglePassX64Shaped)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OptimizingX64Shaped)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_SinglePassLoweredShapes)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OptimizingLoweredShapes)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace lathe::regalloc
