// Proves that each system dependency links and does real work: Abseil, Capstone and
// Google Benchmark (GoogleTest is proven by this file running at all).
#include <capstone/capstone.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "gtest/gtest.h"

namespace {

TEST(Abseil, StatusAndContainers) {
  absl::StatusOr<int> bad = absl::InvalidArgumentError("line 3:7: expected ','");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "line 3:7: expected ','");

  absl::flat_hash_map<std::string, int> m;
  for (int i = 0; i < 1000; ++i) m[absl::StrCat("v", i)] = i * i;
  EXPECT_EQ(m.size(), 1000u);
  EXPECT_EQ(m.at("v31"), 961);
  EXPECT_EQ(absl::StrFormat("%08x", 0xbeefu), "0000beef");
}

std::string Disassemble(const std::vector<uint8_t>& bytes) {
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) return "<cs_open failed>";
  cs_insn* insn = nullptr;
  size_t count = cs_disasm(handle, bytes.data(), bytes.size(), 0x1000, 0, &insn);
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    absl::StrAppend(&out, insn[i].mnemonic, " ", insn[i].op_str, "\n");
  }
  cs_free(insn, count);
  cs_close(&handle);
  return out;
}

TEST(Capstone, DisassemblesKnownX64Bytes) {
  // push rbp; mov rbp, rsp; lea rax, [rdi + rsi*4 + 8]; add r12d, 0x11223344; ret
  std::vector<uint8_t> code = {0x55, 0x48, 0x89, 0xe5, 0x48, 0x8d, 0x44, 0xb7, 0x08,
                               0x41, 0x81, 0xc4, 0x44, 0x33, 0x22, 0x11, 0xc3};
  EXPECT_EQ(Disassemble(code),
            "push rbp\n"
            "mov rbp, rsp\n"
            "lea rax, [rdi + rsi*4 + 8]\n"
            "add r12d, 0x11223344\n"
            "ret \n");
}

void BM_Sum(benchmark::State& state) {
  int64_t sum = 0;
  for (auto _ : state) {
    for (int64_t i = 0; i < state.range(0); ++i) benchmark::DoNotOptimize(sum += i);
  }
  state.counters["sum"] = static_cast<double>(sum > 0);
}

TEST(GoogleBenchmark, RegistersAndRuns) {
  benchmark::RegisterBenchmark("BM_Sum", BM_Sum)->Arg(64)->Iterations(10);
  // A reporter that records which benchmarks ran, so the test sees Benchmark really ran one.
  class Recorder : public benchmark::BenchmarkReporter {
   public:
    bool ReportContext(const Context&) override { return true; }
    void ReportRuns(const std::vector<Run>& runs) override {
      for (const Run& r : runs) names.push_back(r.benchmark_name());
      if (!runs.empty()) iterations = runs[0].iterations;
    }
    std::vector<std::string> names;
    int64_t iterations = 0;
  } recorder;
  size_t ran = benchmark::RunSpecifiedBenchmarks(&recorder, "BM_Sum");
  EXPECT_EQ(ran, 1u);
  ASSERT_EQ(recorder.names.size(), 1u);
  EXPECT_EQ(recorder.names[0], "BM_Sum/64/iterations:10");
  EXPECT_EQ(recorder.iterations, 10);
}

}  // namespace
