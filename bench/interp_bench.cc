// Interpreter throughput: executes loop-heavy CLIF functions and reports IR instructions
// executed per second (counter `insts/s`).
#include <cstdlib>
#include <memory>
#include <vector>

#include "benchmark/benchmark.h"
#include "ir/parser.h"
#include "testsuite/interp/interpreter.h"

namespace {

using lathe::interp::u128;

// An integer loop (a multiply-xorshift hash over a counter), a float loop (a polynomial
// accumulated in f64), each a handful of instructions per iteration, and recursive Fibonacci
// (call-heavy).
constexpr char kProgram[] = R"(
function %int_loop(i64) -> i64 {
block0(v0: i64):
    v1 = iconst.i64 0
    v2 = iconst.i64 0x9e3779b97f4a7c15
    jump block1(v1, v1)
block1(v3: i64, v4: i64):
    v5 = icmp ult v3, v0
    brif v5, block2, block3
block2:
    v6 = imul v3, v2
    v7 = iconst.i64 29
    v8 = ushr v6, v7
    v9 = bxor v4, v8
    v10 = iadd v9, v6
    v11 = iconst.i64 1
    v12 = iadd v3, v11
    jump block1(v12, v10)
block3:
    return v4
}

function %float_loop(i64) -> f64 {
block0(v0: i64):
    v1 = iconst.i64 0
    v2 = f64const 0.0
    jump block1(v1, v2)
block1(v3: i64, v4: f64):
    v5 = icmp ult v3, v0
    brif v5, block2, block3
block2:
    v6 = fcvt_from_uint.f64 v3
    v7 = f64const 0x1.8p0
    v8 = fma v6, v7, v4
    v9 = f64const 0x1.0p-1
    v10 = fmul v8, v9
    v11 = iconst.i64 1
    v12 = iadd v3, v11
    jump block1(v12, v10)
block3:
    return v4
}

function %fib(i64) -> i64 {
    fn0 = %fib(i64) -> i64
block0(v0: i64):
    v1 = iconst.i64 2
    v2 = icmp ult v0, v1
    brif v2, block2, block1
block1:
    v3 = iconst.i64 1
    v4 = isub v0, v3
    v5 = call fn0(v4)
    v6 = isub v4, v3
    v7 = call fn0(v6)
    v8 = iadd v5, v7
    return v8
block2:
    return v0
}
)";

void Run(benchmark::State& state, const char* name) {
  absl::StatusOr<lathe::ir::TestFile> file = lathe::ir::ParseTestFile(kProgram, "bench.clif");
  if (!file.ok()) {
    state.SkipWithError("bench program does not parse");
    return;
  }
  std::vector<const lathe::ir::Function*> fns;
  for (const auto& pf : file->functions) fns.push_back(pf.function.get());
  lathe::interp::Interpreter interp(fns);
  const u128 iterations = static_cast<u128>(state.range(0));
  uint64_t start = interp.steps();
  for (auto _ : state) {
    absl::StatusOr<lathe::interp::CallResult> r = interp.Call(name, {iterations});
    if (!r.ok() || r->trapped) {
      state.SkipWithError("interpreter failed");
      return;
    }
    benchmark::DoNotOptimize(r->values[0]);
  }
  state.counters["insts/s"] = benchmark::Counter(static_cast<double>(interp.steps() - start),
                                                 benchmark::Counter::kIsRate);
}

void BM_IntLoop(benchmark::State& state) { Run(state, "int_loop"); }
void BM_FloatLoop(benchmark::State& state) { Run(state, "float_loop"); }
BENCHMARK(BM_IntLoop)->Arg(100000);
BENCHMARK(BM_FloatLoop)->Arg(100000);
void BM_Fib(benchmark::State& state) { Run(state, "fib"); }
BENCHMARK(BM_Fib)->Arg(20);

}  // namespace
