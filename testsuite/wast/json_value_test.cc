#include "testsuite/wast/json_value.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lathe::wast {
namespace {

using ::testing::HasSubstr;

TEST(JsonValueTest, ParsesSpecTestShape) {
  auto v = ParseJson(R"({"source_filename": "a.wast",
    "commands": [
      {"type": "module", "line": 2, "filename": "a.0.wasm"},
      {"type": "assert_return", "line": 7, "action": {"type": "invoke", "field": "f",
       "args": [{"type": "i32", "value": "4294967295"}]}, "expected": []},
      {"flag": true, "none": null, "neg": -1.5e3, "nested": [[], {}, [1, [2]]]}
    ]})");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->GetString("source_filename"), "a.wast");
  const JsonValue* cmds = v->Find("commands");
  ASSERT_NE(cmds, nullptr);
  ASSERT_EQ(cmds->items.size(), 3u);
  EXPECT_EQ(cmds->items[0].GetString("filename"), "a.0.wasm");
  EXPECT_EQ(cmds->items[0].Find("line")->text, "2");
  const JsonValue* args = cmds->items[1].Find("action")->Find("args");
  ASSERT_EQ(args->items.size(), 1u);
  EXPECT_EQ(args->items[0].GetString("value"), "4294967295");
  EXPECT_TRUE(cmds->items[1].Find("expected")->items.empty());
  const JsonValue& last = cmds->items[2];
  EXPECT_TRUE(last.Find("flag")->boolean);
  EXPECT_EQ(last.Find("none")->kind, JsonValue::Kind::kNull);
  EXPECT_EQ(last.Find("neg")->text, "-1.5e3");
  const JsonValue* nested = last.Find("nested");
  ASSERT_EQ(nested->items.size(), 3u);
  EXPECT_EQ(nested->items[1].kind, JsonValue::Kind::kObject);
  EXPECT_EQ(nested->items[2].items[1].items[0].text, "2");
  EXPECT_EQ(last.Find("missing"), nullptr);
}

TEST(JsonValueTest, StringEscapes) {
  auto v = ParseJson(R"(["a\"b\\c\/\n\t", "\u00e9\u4e2d\ud83d\ude00", "\u0000x"])");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->items[0].text, "a\"b\\c/\n\t");
  EXPECT_EQ(v->items[1].text, "\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80");
  EXPECT_EQ(v->items[2].text, std::string("\0x", 2));
}

TEST(JsonValueTest, ErrorsCarryLineAndColumn) {
  EXPECT_THAT(ParseJson("{\n  \"a\": 1,\n  \"b\" 2}").status().message(),
              HasSubstr("3:7: expected ':'"));
  EXPECT_THAT(ParseJson("[1 2]").status().message(), HasSubstr("1:4: expected ',' or ']'"));
  EXPECT_THAT(ParseJson("[1,]").status().message(), HasSubstr("expected a value"));
  EXPECT_THAT(ParseJson("\"abc").status().message(), HasSubstr("expected closing"));
  EXPECT_THAT(ParseJson("[] x").status().message(), HasSubstr("expected end of document"));
  EXPECT_THAT(ParseJson("").status().message(), HasSubstr("expected a value"));
  EXPECT_THAT(ParseJson("[\"\\q\"]").status().message(), HasSubstr("unknown escape"));
}

TEST(JsonValueTest, NestingIsLimited) {
  std::string deep(kMaxJsonDepth, '[');
  deep += std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(ParseJson(deep).ok());
  std::string too_deep(100000, '[');
  EXPECT_THAT(ParseJson(too_deep).status().message(), HasSubstr("nesting deeper than"));
}

}  // namespace
}  // namespace lathe::wast
