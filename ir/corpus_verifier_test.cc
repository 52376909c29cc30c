// Runs the verifier over the Cranelift corpus. Files under verifier/ carry `; error: TEXT`
// comments: each must be reported (on the instruction the comment follows, when it follows
// one) with a message containing TEXT, and nothing else may be reported. Every other file
// must verify with no error, except parser/ and cfg/, whose functions are deliberately
// incomplete (parser and CFG-printing tests that Cranelift does not verify).
// One case per file; testdata/verifier_expected_failures.txt lists known gaps and ratchets.
#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "ir/parser.h"
#include "ir/verifier.h"

namespace lathe::ir {
namespace {

constexpr char kCorpus[] = "cranelift-filetests";

// Pointer types of the file's targets (i32 for 32-bit targets), or one invalid type if none.
std::vector<Type> PointerTypes(const TestFile& file) {
  std::vector<Type> out;
  for (const HeaderLine& h : file.headers) {
    if (h.kind != HeaderLine::kTarget || h.words.empty()) continue;
    Type t = h.words[0].find("32") != std::string::npos ? kI32 : kI64;
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  }
  if (out.empty()) out.push_back(Type());
  return out;
}

std::string CheckFile(const std::string& rel) {
  std::string text = testing::ReadFileOrEmpty(testing::CorpusRoot(kCorpus) + "/" + rel);
  absl::StatusOr<TestFile> file = ParseTestFile(text, rel);
  if (!file.ok()) return "parse: " + std::string(file.status().message());
  const bool expect_errors = rel.rfind("verifier/", 0) == 0;
  std::string problems;
  for (const ParsedFunction& pf : file->functions) {
    const Function& f = *pf.function;
    struct Expectation {
      bool on_inst;
      uint32_t inst;
      std::string text;
      bool seen = false;
    };
    std::vector<Expectation> expected;
    for (const Comment& c : f.comments) {
      size_t at = c.text.find("error:");
      if (at == std::string::npos) continue;
      std::string t = c.text.substr(at + 6);
      t.erase(0, t.find_first_not_of(' '));
      while (!t.empty() && (t.back() == ' ' || t.back() == '\r')) t.pop_back();
      expected.push_back(Expectation{c.attach == Comment::kInst, c.index, t});
    }
    for (Type ptr : PointerTypes(*file)) {
      VerifierOptions opts;
      opts.pointer_type = ptr;
      // Other tests also run in the interpreter, so their address widths are not checked per
      // target; verifier tests check them against their target.
      opts.check_address_width = expect_errors;
      std::vector<VerifierError> errors = Verify(f, opts);
      for (const VerifierError& e : errors) {
        bool matched = false;
        for (Expectation& x : expected) {
          if (e.message.find(x.text) == std::string::npos) continue;
          if (x.on_inst && !(e.inst.valid() && e.inst.index() == x.inst)) continue;
          x.seen = true;
          matched = true;
        }
        if (!matched) {
          problems += f.name.ToString() + ": unexpected error: " + FormatVerifierError(f, e) + "\n";
        }
      }
      for (const Expectation& x : expected) {
        if (!x.seen) problems += f.name.ToString() + ": expected error not reported: " + x.text + "\n";
      }
      if (expect_errors) break;
    }
  }
  return problems;
}

class CorpusVerifier : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusVerifier, ReportsExactlyTheExpectedErrors) {
  static const std::vector<std::string> expected_failures =
      testing::ReadList("ir/testdata/verifier_expected_failures.txt");
  const std::string& rel = GetParam();
  bool listed = std::find(expected_failures.begin(), expected_failures.end(), rel) != expected_failures.end();
  std::string problems = CheckFile(rel);
  if (listed) {
    EXPECT_FALSE(problems.empty()) << rel << " now passes: remove it from verifier_expected_failures.txt";
  } else {
    EXPECT_TRUE(problems.empty()) << rel << ":\n" << problems;
  }
}

std::vector<std::string> Files() {
  std::vector<std::string> out;
  for (const std::string& f : testing::CorpusFiles(kCorpus, ".clif")) {
    if (f.rfind("parser/", 0) != 0 && f.rfind("cfg/", 0) != 0) out.push_back(f);
  }
  return out;
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n;
  for (char c : info.param) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(CraneliftFiletests, CorpusVerifier, ::testing::ValuesIn(Files()), CaseName);

TEST(CorpusVerifierSetup, CoversAllButParserAndCfgTests) { EXPECT_EQ(Files().size(), 1185u - 11u - 3u); }

}  // namespace
}  // namespace lathe::ir
