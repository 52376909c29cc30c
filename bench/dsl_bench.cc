// Benchmarks the rules compiler (isel/dsl) on a generated lowering-style rules file of 5,000
// rules: 1,250 opcodes, four rules each (register form, immediate form with an if-let guard,
// memory-operand form, and an identity special case), all through extractor macros over shared
// extern extractors, like a real instruction selector.
// Counters: rules, generated_cpp_bytes (header + source).
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "isel/dsl/compiler.h"

namespace {

constexpr int kOpcodes = 1250;

std::string FiveThousandRules() {
  std::string s;
  s += "(type Value (extern \"Value\"))\n(type Reg (extern \"Reg\"))\n";
  s += "(type Opcode (enum Iconst Load";
  for (int i = 0; i < kOpcodes; ++i) absl::StrAppend(&s, " Op", i);
  s += "))\n";
  s += "(decl opcode (Opcode) Value)\n(extern extractor infallible opcode value_opcode)\n"
       "(decl args2 (Value Value) Value)\n(extern extractor args2 value_args2)\n"
       "(decl arg1 (Value) Value)\n(extern extractor arg1 value_arg1)\n"
       "(decl const_val (i64) Value)\n(extern extractor const_val value_const)\n"
       "(decl binop (Opcode Value Value) Value)\n"
       "(extractor (binop op x y) (and (opcode op) (args2 x y)))\n"
       "(decl iconst (i64) Value)\n(extractor (iconst k) (and (opcode Opcode.Iconst) (const_val k)))\n"
       "(decl load (Value) Value)\n(extractor (load a) (and (opcode Opcode.Load) (arg1 a)))\n"
       "(decl pure partial imm32 (i64) i32)\n(extern constructor imm32 imm32)\n"
       "(decl put (Value) Reg)\n(extern constructor put put_in_reg)\n(convert Value Reg put)\n"
       "(decl emit_rr (u32 Reg Reg) Reg)\n(extern constructor emit_rr emit_rr)\n"
       "(decl emit_ri (u32 Reg i32) Reg)\n(extern constructor emit_ri emit_ri)\n"
       "(decl emit_rm (u32 Reg Reg) Reg)\n(extern constructor emit_rm emit_rm)\n"
       "(decl lower (Value) Reg)\n";
  for (int i = 0; i < kOpcodes; ++i) {
    absl::StrAppend(&s, "(rule (lower (binop Opcode.Op", i, " x y)) (emit_rr ", i, " x y))\n");
    absl::StrAppend(&s, "(rule 1 (lower (binop Opcode.Op", i,
                    " x (iconst k))) (if-let imm (imm32 k)) (emit_ri ", i, " x imm))\n");
    absl::StrAppend(&s, "(rule 2 (lower (binop Opcode.Op", i, " x (load a))) (emit_rm ", i,
                    " x a))\n");
    absl::StrAppend(&s, "(rule 3 (lower (binop Opcode.Op", i, " x (iconst 0))) x)\n");
  }
  return s;
}

void BM_Compile5000Rules(benchmark::State& state) {
  const std::string text = FiveThousandRules();
  lathe::dsl::CodegenOptions options;
  options.header_path = "bench_rules.h";
  size_t bytes = 0, rules = 0;
  for (auto _ : state) {
    lathe::dsl::Compilation c = lathe::dsl::Compile({{"bench.isel", text}}, &options);
    if (!c.diagnostics.empty()) {
      state.SkipWithError(c.formatted_diagnostics.substr(0, 500).c_str());
      return;
    }
    bytes = c.code.header.size() + c.code.source.size();
    rules = c.program.rules.size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["rules"] = static_cast<double>(rules);
  state.counters["generated_cpp_bytes"] = static_cast<double>(bytes);
  state.counters["input_bytes"] = static_cast<double>(text.size());
}
BENCHMARK(BM_Compile5000Rules)->Unit(benchmark::kMillisecond);

void BM_Check5000Rules(benchmark::State& state) {
  const std::string text = FiveThousandRules();
  for (auto _ : state) {
    lathe::dsl::Compilation c = lathe::dsl::Compile({{"bench.isel", text}}, nullptr);
    benchmark::DoNotOptimize(c.diagnostics.size());
  }
}
BENCHMARK(BM_Check5000Rules)->Unit(benchmark::kMillisecond);

}  // namespace
