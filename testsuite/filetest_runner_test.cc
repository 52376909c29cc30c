#include "testsuite/filetest_runner.h"

#include <string>

#include "gtest/gtest.h"

namespace lathe::testsuite {
namespace {

FiletestReport RunText(const std::string& text, bool interpret_only = false) {
  FiletestReport report;
  FiletestOptions options;
  options.interpret_only = interpret_only;
  RunFiletest("t.clif", text, options, &report);
  return report;
}

std::string Failures(const FiletestReport& r) {
  std::string s;
  for (const Outcome& o : r.outcomes) {
    if (o.kind == Outcome::kFail) s += o.message + "\n";
  }
  return s;
}

const char kAdd[] = R"(test interpret
test run
target x86_64

function %add(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = iadd v0, v1
    return v2
}
)";

TEST(FiletestRunner, RunDirectivesPassFailAndSkip) {
  std::string text = std::string(kAdd) +
                     "; run: %add(1, 2) == 3\n"
                     "; run: %add(1, 2) != 4\n"
                     "; run: %add(-1, 1) == 0\n"
                     "; run: %add(2, 2) == 5\n"
                     "; run: %add(1, 0)\n";
  FiletestReport r = RunText(text);
  // `test interpret` and `test run` (native x86-64, cross-checked) each judge every directive.
  EXPECT_EQ(r.passed(), 8);
  EXPECT_EQ(r.failed(), 2);
  EXPECT_EQ(r.skipped(), 0);
  std::string f = Failures(r);
  EXPECT_NE(f.find("t.clif:13: ; run: %add(2, 2) == 5: expected 5, got 4"), std::string::npos) << f;
}

TEST(FiletestRunner, MultipleReturnsAndVectors) {
  FiletestReport r = RunText(R"(test interpret
function %two(i64) -> i64, i8 {
block0(v0: i64):
    v1 = iconst.i8 7
    return v0, v1
}
; run: %two(5) == [5, 7]
; run: %two(5) == [5, 8]
function %vec(i32x4) -> i32x4 {
block0(v0: i32x4):
    v1 = iadd v0, v0
    return v1
}
; run: %vec([1 2 3 4]) == [2 4 6 8]
)");
  EXPECT_EQ(r.passed(), 2) << Failures(r);
  EXPECT_EQ(r.failed(), 1);
  EXPECT_NE(Failures(r).find("expected [5, 8], got [5, 7]"), std::string::npos) << Failures(r);
}

TEST(FiletestRunner, MalformedInputGivesLocatedErrors) {
  // No `test` line.
  FiletestReport r = RunText("function %f() {\nblock0:\n    return\n}\n");
  ASSERT_EQ(r.failed(), 1);
  EXPECT_NE(Failures(r).find("t.clif:1: expected a `test` line"), std::string::npos) << Failures(r);
  // A parse error carries file:line:col.
  r = RunText("test interpret\nfunction %f() {\nblock0:\n    v0 = bogus_op\n}\n");
  ASSERT_EQ(r.failed(), 1);
  EXPECT_NE(Failures(r).find("t.clif:4:"), std::string::npos) << Failures(r);
  // Bad run lines: wrong literal, wrong arity, unknown function.
  r = RunText(std::string(kAdd) + "; run: %add(1, x) == 3\n; run: %add(1) == 3\n; run: %nope(1, 2) == 3\n" +
          "; run: %add(1, 2) == [1, 2]\n");
  EXPECT_EQ(r.failed(), 8);  // once for `test interpret`, once for `test run`
  std::string f = Failures(r);
  EXPECT_NE(f.find("t.clif:10: ; run: %add(1, x) == 3: argument 2: expected an integer"), std::string::npos) << f;
  EXPECT_NE(f.find("t.clif:11:"), std::string::npos) << f;
  EXPECT_NE(f.find("t.clif:12: ; run: %nope(1, 2) == 3: unknown function %nope"), std::string::npos) << f;
  EXPECT_NE(f.find("t.clif:13:"), std::string::npos) << f;
}

TEST(FiletestRunner, TrapsAndUnsupportedOpcodesFail) {
  FiletestReport r = RunText(R"(test interpret
function %div(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = udiv v0, v1
    return v2
}
; run: %div(1, 0) == 0
function %fp() -> i64 {
block0:
    v0 = get_frame_pointer.i64
    return v0
}
; run: %fp() == 0
)");
  EXPECT_EQ(r.passed(), 0);
  EXPECT_EQ(r.failed(), 2);
  std::string f = Failures(r);
  EXPECT_NE(f.find("got trap int_divz"), std::string::npos) << f;
  EXPECT_NE(f.find("get_frame_pointer"), std::string::npos) << f;
}

TEST(FiletestRunner, InterpretOnlyIgnoresTestLines) {
  std::string text = "test compile\n" + std::string(kAdd).substr(std::string("test interpret\ntest run\n").size()) +
                     "; run: %add(1, 2) == 3\n";
  FiletestReport c = RunText(text);  // `test compile`: the function compiles (no checks)
  EXPECT_EQ(c.passed(), 1) << Failures(c);
  EXPECT_EQ(c.skipped(), 0);
  FiletestReport r = RunText(text, /*interpret_only=*/true);
  EXPECT_EQ(r.passed(), 1);
  EXPECT_EQ(r.skipped(), 0);
}

TEST(FiletestRunner, VerifierAndDomtree) {
  FiletestReport r = RunText(R"(test verifier
function %ok(i32) -> i32 {
block0(v0: i32):
    return v0
}
function %bad(i32, i64) -> i32 {
block0(v0: i32, v1: i64):
    v2 = iadd v0, v1 ; error: type
    return v2
}
)");
  EXPECT_EQ(r.passed(), 2);
  EXPECT_EQ(r.failed(), 0) << Failures(r);
  r = RunText(R"(test domtree
function %d(i32) {
block0(v0: i32):
    brif v0, block1, block2 ; dominates: block1 block2
block1:
    jump block2 ; dominates: block2
block2:
    return
}
)");
  EXPECT_EQ(r.passed(), 2);
  EXPECT_EQ(r.failed(), 1) << Failures(r);
}

}  // namespace
}  // namespace lathe::testsuite

namespace lathe::testsuite {
namespace {

TEST(FiletestRunner, CompileChecksDisassembly) {
  const char* text = R"(test compile
target x86_64

function %sub(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = isub v0, v1
    return v2
}
; check: sub rax, rcx
; nextln: add rsp
; check: ret

function %wrong(i64) -> i64 {
block0(v0: i64):
    return v0
}
; check: imul
)";
  FiletestReport r = RunText(text);
  EXPECT_EQ(r.passed(), 1) << Failures(r);
  ASSERT_EQ(r.failed(), 1);
  EXPECT_NE(Failures(r).find("function %wrong"), std::string::npos) << Failures(r);
  EXPECT_NE(Failures(r).find("ret"), std::string::npos) << Failures(r);  // the listing is shown
}

TEST(FiletestRunner, CompileCountsUnsupportedAndHonoursFlags) {
  // fma needs FMA3 (no libcall fallback yet): unsupported on the baseline target, compiled
  // with the flag. The riscv64 line has no backend: skipped.
  const char* text = R"(test compile
target x86_64
target x86_64 has_fma
target riscv64

function %p(f64) -> f64 {
block0(v0: f64):
    v1 = fma v0, v0, v0
    return v1
}
; check: vfmadd
)";
  FiletestReport r = RunText(text);
  EXPECT_EQ(r.unsupported(), 1);
  EXPECT_EQ(r.passed(), 1) << Failures(r);
  EXPECT_EQ(r.skipped(), 1);
  EXPECT_EQ(r.failed(), 0) << Failures(r);
  for (const Outcome& o : r.outcomes) {
    if (o.kind == Outcome::kUnsupported) {
      EXPECT_EQ(o.target_line, 2u);
      EXPECT_NE(o.message.find("FMA3"), std::string::npos) << o.message;
    }
    if (o.kind == Outcome::kPass) {
      EXPECT_EQ(o.target_line, 3u);
    }
  }
}

TEST(FiletestRunner, CompileExpectFail) {
  const char* text = R"(test compile expect-fail
target x86_64

function %p(f64) -> f64 {
block0(v0: f64):
    v1 = fma v0, v0, v0
    return v1
}
)";
  FiletestReport r = RunText(text);
  EXPECT_EQ(r.passed(), 1) << Failures(r);
}

TEST(FiletestRunner, RunOncePerTargetAndSkipsWhatTheHostLacks) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "native runs need an x86-64 host";
#endif
  // has_avx512vbmi stands for a flag this host may lack; when it has it, the run happens.
  const char* text = R"(test run
target x86_64
target x86_64 has_sse41
target x86_64 has_avx512vbmi
target aarch64

function %add(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = iadd v0, v1
    return v2
}
; run: %add(1, 2) == 3
)";
  FiletestReport r = RunText(text);
  int lacks = 0;
  for (const Outcome& o : r.outcomes) {
    if (o.kind == Outcome::kSkip) {
      EXPECT_EQ(o.target_line, 4u);
      EXPECT_NE(o.message.find("host lacks has_avx512vbmi"), std::string::npos) << o.message;
      ++lacks;
    }
  }
  EXPECT_EQ(r.failed(), 0) << Failures(r);
  EXPECT_EQ(r.passed() + lacks, 3);
  EXPECT_GE(r.passed(), 2);
}

TEST(FiletestRunner, BadTargetFlagFailsWithItsColumn) {
  const char* text = R"(test run
target x86_64 has_neon

function %one() -> i32 {
block0:
    v0 = iconst.i32 1
    return v0
}
; run: %one() == 1
)";
  FiletestReport r = RunText(text);
  ASSERT_EQ(r.failed(), 1);
  EXPECT_NE(Failures(r).find("t.clif:2:15: unknown flag 'has_neon'"), std::string::npos) << Failures(r);
}

}  // namespace
}  // namespace lathe::testsuite
