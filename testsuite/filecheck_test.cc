#include "testsuite/filecheck.h"

#include <initializer_list>
#include <string>

#include "gtest/gtest.h"

namespace lathe::testsuite {
namespace {

absl::Status Check(std::initializer_list<const char*> comments, const std::string& text) {
  FileCheck fc;
  for (const char* c : comments) fc.AddComment(c);
  return fc.Check(text);
}

const char kText[] = "function %f() {\nblock0:\n    v0 = iconst.i32 1\n    return v0\n}\n";

TEST(FileCheck, OrderedDirectives) {
  EXPECT_TRUE(Check({"; check: block0:", "; nextln: v0 = iconst.i32 1", "; nextln: return v0"}, kText).ok());
  EXPECT_TRUE(Check({"; sameln: function %f()", "; check: }"}, kText).ok());
  // Order matters: `block0` is not after `return`.
  EXPECT_FALSE(Check({"; check: return", "; check: block0"}, kText).ok());
  // nextln must be the very next line.
  EXPECT_FALSE(Check({"; check: block0:", "; nextln: return v0"}, kText).ok());
  // sameln stays on the line.
  EXPECT_FALSE(Check({"; check: block0", "; sameln: iconst"}, kText).ok());
  // Comments without a directive are ignored.
  EXPECT_TRUE(Check({"; just a remark"}, kText).ok());
}

TEST(FileCheck, VariablesAndRegexes) {
  EXPECT_TRUE(Check({"; regex: V=v\\d+", "; check: $(X=$V) = iconst", "; check: return $X"}, kText).ok());
  EXPECT_FALSE(Check({"; regex: V=v\\d+", "; check: $(X=$V) = iconst", "; check: block$X"}, kText).ok());
  EXPECT_FALSE(Check({"; check: $UNDEFINED"}, kText).ok());
  EXPECT_FALSE(Check({"; regex: V=v(\\d+", "; check: $V"}, kText).ok());  // bad regex: an error, not a crash
  // Literal text is not a regex.
  EXPECT_FALSE(Check({"; check: v0 = iconst.i32 ."}, kText).ok());
}

TEST(FileCheck, NotAndUnordered) {
  EXPECT_TRUE(Check({"; check: block0", "; not: iadd", "; check: return"}, kText).ok());
  EXPECT_FALSE(Check({"; check: block0", "; not: iconst", "; check: return"}, kText).ok());
  EXPECT_FALSE(Check({"; check: block0", "; not: return"}, kText).ok());
  EXPECT_TRUE(Check({"; check: block0", "; unordered: return v0", "; unordered: iconst"}, kText).ok());
  EXPECT_FALSE(Check({"; unordered: iadd"}, kText).ok());
}

}  // namespace
}  // namespace lathe::testsuite
