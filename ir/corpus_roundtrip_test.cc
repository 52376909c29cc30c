// Parses every file of the Cranelift filetest corpus and checks that printing is a fixed point
// (print -> parse -> print gives the same text). For `test cat` files it also checks Lathe's
// printing against the `check:`/`sameln:`/`nextln:` lines that record Cranelift's own printing.
// One test case per file; known failures sit in testdata/roundtrip_expected_failures.txt and
// ratchet (a listed file that passes fails its case).
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "ir/corpus_files.h"
#include "ir/parser.h"
#include "ir/printer.h"

namespace lathe::ir {
namespace {

constexpr char kCorpus[] = "cranelift-filetests";

std::string Squeeze(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// A literal-text subset of filecheck over one function's printed text. Returns "" on success.
std::string FileCheck(const std::string& printed, const std::vector<std::string>& directives) {
  std::vector<std::string> lines;
  for (absl::string_view l : absl::StrSplit(printed, '\n')) lines.push_back(Squeeze(std::string(l)));
  size_t line = 0, col = 0;
  for (const std::string& d : directives) {
    size_t colon = d.find(':');
    std::string kind = d.substr(0, colon);
    std::string pat = Squeeze(d.substr(colon + 1));
    while (!pat.empty() && pat[0] == ' ') pat.erase(0, 1);
    if (pat.find("$") != std::string::npos) continue;  // variables/regexes: not in this subset
    auto find_in = [&](size_t l, size_t from) -> size_t {
      if (l >= lines.size() || from > lines[l].size()) return std::string::npos;
      return lines[l].find(pat, from);
    };
    if (kind == "sameln") {
      size_t at = find_in(line, col);
      if (at == std::string::npos) return "sameln failed: '" + pat + "' on line: " + (line < lines.size() ? lines[line] : "");
      col = at + pat.size();
    } else if (kind == "nextln") {
      size_t at = find_in(line + 1, 0);
      if (at == std::string::npos) return "nextln failed: '" + pat + "' on line: " + (line + 1 < lines.size() ? lines[line + 1] : "");
      ++line;
      col = at + pat.size();
    } else if (kind == "check") {
      bool found = false;
      for (size_t l = line; l < lines.size(); ++l) {
        size_t at = find_in(l, l == line ? col : 0);
        if (at != std::string::npos) {
          line = l;
          col = at + pat.size();
          found = true;
          break;
        }
      }
      if (!found) return "check failed: '" + pat + "'";
    }
  }
  return "";
}

// Problems with one corpus file, or "" when it round-trips (and matches Cranelift's printing).
std::string CheckFile(const std::string& rel) {
  std::string text = testing::ReadFileOrEmpty(testing::CorpusRoot(kCorpus) + "/" + rel);
  absl::StatusOr<TestFile> first = ParseTestFile(text, rel);
  if (!first.ok()) return "parse: " + std::string(first.status().message());
  std::string printed = PrintTestFile(*first);
  absl::StatusOr<TestFile> second = ParseTestFile(printed, rel + "(printed)");
  if (!second.ok()) return "reparse: " + std::string(second.status().message());
  std::string reprinted = PrintTestFile(*second);
  if (printed != reprinted) return "print is not a fixed point:\n" + printed + "\n----\n" + reprinted;
  if (first->functions.size() != second->functions.size()) return "function count changed";
  bool is_cat = false;
  for (const HeaderLine& h : first->headers) {
    if (h.kind == HeaderLine::kTest && !h.words.empty() && h.words[0] == "cat") is_cat = true;
  }
  if (is_cat) {
    for (const ParsedFunction& pf : first->functions) {
      std::vector<std::string> directives;
      for (const Comment& c : pf.function->comments) {
        std::string body = c.text.substr(1);
        size_t start = body.find_first_not_of(' ');
        if (start == std::string::npos) continue;
        body = body.substr(start);
        for (const char* k : {"check:", "sameln:", "nextln:"}) {
          if (body.rfind(k, 0) == 0) directives.push_back(body);
        }
      }
      std::string err = FileCheck(PrintFunction(*pf.function), directives);
      if (!err.empty()) return "differs from Cranelift's printing of " + pf.function->name.ToString() + ": " + err;
    }
  }
  return "";
}

class CorpusRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusRoundTrip, PrintParsePrintIsStable) {
  static const std::vector<std::string> expected_failures =
      testing::ReadList("ir/testdata/roundtrip_expected_failures.txt");
  const std::string& rel = GetParam();
  bool expected_to_fail =
      std::find(expected_failures.begin(), expected_failures.end(), rel) != expected_failures.end();
  std::string problem = CheckFile(rel);
  if (expected_to_fail) {
    EXPECT_FALSE(problem.empty()) << rel << " now passes: remove it from roundtrip_expected_failures.txt";
  } else {
    EXPECT_TRUE(problem.empty()) << rel << ": " << problem;
  }
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n;
  for (char c : info.param) n += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(CraneliftFiletests, CorpusRoundTrip,
                         ::testing::ValuesIn(testing::CorpusFiles(kCorpus, ".clif")), CaseName);

TEST(CorpusRoundTripSetup, FindsTheWholeCorpus) {
  EXPECT_EQ(testing::CorpusFiles(kCorpus, ".clif").size(), 1185u);
}

TEST(CorpusRoundTripSetup, ExpectedFailuresAreCorpusFiles) {
  auto files = testing::CorpusFiles(kCorpus, ".clif");
  for (const std::string& f : testing::ReadList("ir/testdata/roundtrip_expected_failures.txt")) {
    EXPECT_TRUE(std::find(files.begin(), files.end(), f) != files.end()) << f;
  }
}

}  // namespace
}  // namespace lathe::ir
