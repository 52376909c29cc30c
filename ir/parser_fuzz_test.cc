// Robustness of the text pipeline against bad input: every corpus file is truncated at several
// points and mutated byte-wise (replace, insert, delete, duplicate a span) with a fixed seed.
// Parsing must never crash or hang; every failure must be a status whose message starts with
// "NAME:LINE:COL: ". Inputs that still parse are printed, re-parsed and verified, which must not
// crash either. Run under --config=asan as well.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "ir/parser.h"
#include "ir/printer.h"
#include "ir/verifier.h"

namespace lathe::ir {
namespace {

constexpr char kCorpus[] = "cranelift-filetests";

// Does `msg` start with "NAME:LINE:COL: "?
bool HasLocation(const std::string& msg, const std::string& name) {
  if (msg.rfind(name + ":", 0) != 0) return false;
  size_t i = name.size() + 1;
  for (int part = 0; part < 2; ++part) {
    size_t start = i;
    while (i < msg.size() && msg[i] >= '0' && msg[i] <= '9') ++i;
    if (i == start || i >= msg.size() || msg[i] != ':') return false;
    ++i;
  }
  return i + 1 < msg.size() && msg[i] == ' ';
}

struct Counts {
  int cases = 0;
  int parsed = 0;
  int rejected = 0;
};

void Check(const std::string& input, Counts* counts) {
  ++counts->cases;
  absl::StatusOr<TestFile> file = ParseTestFile(input, "fuzz.clif");
  if (!file.ok()) {
    ++counts->rejected;
    std::string msg(file.status().message());
    ASSERT_TRUE(HasLocation(msg, "fuzz.clif")) << "error without line:col: " << msg;
    return;
  }
  ++counts->parsed;
  std::string printed = PrintTestFile(*file);
  absl::StatusOr<TestFile> again = ParseTestFile(printed, "printed.clif");
  ASSERT_TRUE(again.ok()) << "printed form of accepted input does not parse: " << again.status()
                          << "\n--- input:\n" << input << "\n--- printed:\n" << printed;
  for (const ParsedFunction& pf : file->functions) {
    VerifierOptions opts;
    opts.pointer_type = kI64;
    for (const VerifierError& e : Verify(*pf.function, opts)) {
      ASSERT_FALSE(FormatVerifierError(*pf.function, e).empty());
    }
  }
}

TEST(ParserFuzz, TruncatedAndMutatedCorpusFilesFailCleanly) {
  std::vector<std::string> files = testing::CorpusFiles(kCorpus, ".clif");
  ASSERT_FALSE(files.empty());
  std::mt19937_64 rng(0x1a7e);
  Counts counts;
  const std::string root = testing::CorpusRoot(kCorpus);
  static const char kInteresting[] = "v0123456789,()[]{}:=-+.%@;\n\"<>*xp";
  // Every third file keeps the test fast under sanitizers; the seed fixes which.
  for (size_t fi = 0; fi < files.size(); fi += 3) {
    const std::string text = testing::ReadFileOrEmpty(root + "/" + files[fi]);
    if (text.empty()) continue;
    auto pos = [&]() { return static_cast<size_t>(rng() % text.size()); };
    for (int k = 0; k < 3; ++k) {
      Check(text.substr(0, pos()), &counts);
      if (::testing::Test::HasFatalFailure()) return;
    }
    for (int k = 0; k < 6; ++k) {
      std::string m = text;
      size_t at = static_cast<size_t>(rng() % m.size());
      switch (rng() % 5) {
        case 0: m[at] = static_cast<char>(rng() & 0xff); break;
        case 1: m[at] = kInteresting[rng() % (sizeof(kInteresting) - 1)]; break;
        case 2: m.insert(m.begin() + at, kInteresting[rng() % (sizeof(kInteresting) - 1)]); break;
        case 3: m.erase(at, 1 + rng() % 8); break;
        case 4: {
          size_t len = 1 + rng() % 40;
          m.insert(at, m.substr(pos(), len));
          break;
        }
      }
      Check(m, &counts);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
  EXPECT_GT(counts.cases, 3000);
  EXPECT_GT(counts.rejected, 500);  // the mutations do produce bad input
  EXPECT_GT(counts.parsed, 500);    // ... and harmless ones, which must print and re-parse
  std::printf("fuzz cases: %d, parsed: %d, rejected: %d\n", counts.cases, counts.parsed, counts.rejected);
}

TEST(ParserFuzz, NulBytesAndHugeNumbersAreRejectedWithLocations) {
  const char* cases[] = {
      "function %f() {\nblock0:\n  v1 = iconst.i32 99999999999999999999999\n  return\n}\n",
      "function %f() {\nblock0:\n  v4294967295 = iconst.i32 1\n  return\n}\n",
      "function %f() {\nblock4000000000:\n  return\n}\n",
      "function %f() {\nblock0:\n  v1 = f32const 0x1.0p99999999999\n  return\n}\n",
  };
  for (const char* c : cases) {
    std::string text(c);
    absl::StatusOr<TestFile> f = ParseTestFile(text, "t.clif");
    ASSERT_FALSE(f.ok()) << c;
    EXPECT_TRUE(HasLocation(std::string(f.status().message()), "t.clif")) << f.status();
  }
  std::string with_nul = std::string("function %f() {\nblock0:\n  ret") + '\0' + "urn\n}\n";
  absl::StatusOr<TestFile> f = ParseTestFile(with_nul, "t.clif");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(std::string(f.status().message()).rfind("t.clif:3:3: ", 0), 0u) << f.status();
}

TEST(ParserFuzz, DeepNestingOfBracketsDoesNotRecurse) {
  std::string text = "function %f() {\nblock0:\n  v1 = vconst.i8x16 " + std::string(200000, '[') + "\n}\n";
  absl::StatusOr<TestFile> f = ParseTestFile(text, "t.clif");
  EXPECT_FALSE(f.ok());
}

}  // namespace
}  // namespace lathe::ir
