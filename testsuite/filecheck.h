// FileCheck-style matching of a tool's output against directives written in `.clif`
// comments, with the directive set of Cranelift filetests:
//   check: P      P matches after the previous match
//   sameln: P     P matches later on the line of the previous match
//   nextln: P     P matches on the line after the previous match
//   unordered: P  P matches somewhere after the last ordered match, in any order
//   not: P        P does not occur between the previous and the next match
//   regex: V=R    defines variable V as the regular expression R
// In a pattern, text is literal; runs of blanks match any run of blanks; `$V` stands for a
// captured value of V (literal) or for the regex V; `$(V=R)` matches regex R and captures it
// as V; `$(=R)` matches R without capturing; `$$` is a literal `$`.
#ifndef LATHE_TESTSUITE_FILECHECK_H_
#define LATHE_TESTSUITE_FILECHECK_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace lathe::testsuite {

class FileCheck {
 public:
  // Reads the directive of one comment (leading ';' and blanks are skipped). Comments without
  // a directive are ignored.
  void AddComment(std::string_view comment);
  bool empty() const { return directives_.empty(); }
  size_t size() const { return directives_.size(); }
  // OK, or an error naming the first directive that does not hold.
  absl::Status Check(std::string_view text) const;

 private:
  struct Directive {
    enum Kind { kCheck, kSameln, kNextln, kUnordered, kNot, kRegex } kind;
    std::string pattern;
  };
  std::vector<Directive> directives_;
};

}  // namespace lathe::testsuite

#endif  // LATHE_TESTSUITE_FILECHECK_H_
