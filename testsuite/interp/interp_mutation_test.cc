// Robustness: mutated runtests files (changed opcodes, types, numbers, bytes, truncation) go
// through the runner and the interpreter with a small step limit. Nothing may crash or hang,
// and every failure must carry a message that names the file.
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "testsuite/filetest_runner.h"

namespace lathe::testsuite {
namespace {

constexpr char kCorpus[] = "cranelift-filetests";

const char* const kWords[] = {"iadd", "isub", "imul", "udiv", "sdiv", "urem", "srem", "ishl", "sshr",
                              "rotl", "load", "store", "i8", "i16", "i32", "i64", "i128", "f32",
                              "f64", "i32x4", "i8x16", "f64x2", "call", "return", "brif", "jump",
                              "select", "fcvt_to_sint", "bitcast", "splat", "0", "-1", "255", "64"};

std::string Mutate(const std::string& text, std::mt19937& rng) {
  if (text.empty()) return text;
  std::string s = text;
  std::uniform_int_distribution<size_t> pos(0, s.size() - 1);
  switch (rng() % 4) {
    case 0: {  // replace one word by another from the list
      for (int tries = 0; tries < 50; ++tries) {
        const char* from = kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))];
        size_t at = s.find(from, pos(rng));
        if (at == std::string::npos) continue;
        s.replace(at, std::string(from).size(), kWords[rng() % (sizeof(kWords) / sizeof(kWords[0]))]);
        return s;
      }
      return s;
    }
    case 1: {  // overwrite a byte
      static const char kChars[] = " 0123456789v,()[]=:;.-x%\n";
      s[pos(rng)] = kChars[rng() % (sizeof(kChars) - 1)];
      return s;
    }
    case 2:  // truncate
      return s.substr(0, pos(rng));
    default: {  // change a number
      for (int tries = 0; tries < 50; ++tries) {
        size_t at = pos(rng);
        if (s[at] >= '0' && s[at] <= '9') {
          s[at] = static_cast<char>('0' + rng() % 10);
          return s;
        }
      }
      return s;
    }
  }
}

TEST(InterpMutation, MutatedFilesNeverCrash) {
  std::vector<std::string> files = ir::testing::CorpusFiles(kCorpus, ".clif");
  std::string root = ir::testing::CorpusRoot(kCorpus);
  std::mt19937 rng(12345);
  FiletestOptions options;
  options.interpret_only = true;
  options.step_limit = 100000;
  int runs = 0, failures_seen = 0;
  for (const std::string& rel : files) {
    if (rel.rfind("runtests/", 0) != 0) continue;
    std::string text = ir::testing::ReadFileOrEmpty(root + "/" + rel);
    for (int m = 0; m < 3; ++m) {
      std::string mutant = Mutate(text, rng);
      FiletestReport report;
      RunFiletest(rel, mutant, options, &report);
      ++runs;
      for (const Outcome& o : report.outcomes) {
        if (o.kind != Outcome::kFail) continue;
        ++failures_seen;
        EXPECT_NE(o.message.find(rel), std::string::npos) << "failure without location: " << o.message;
      }
    }
  }
  EXPECT_GT(runs, 700);
  EXPECT_GT(failures_seen, 0);  // the mutations must actually break something
}

}  // namespace
}  // namespace lathe::testsuite
