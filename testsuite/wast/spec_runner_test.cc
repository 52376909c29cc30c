#include "testsuite/wast/spec_runner.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lathe::wast {
namespace {

using ::testing::HasSubstr;

class SpecRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = std::string(tmp != nullptr ? tmp : "/tmp") + "/spec_runner_test";
    std::filesystem::create_directories(dir_);
  }
  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ + "/" + name, std::ios::binary) << bytes;
  }
  std::string dir_;
};

const std::string kEmptyModule("\0asm\x01\0\0\0", 8);
const std::string kBadVersion("\0asm\x02\0\0\0", 8);
// One function [] -> [i32] whose body is `end` only: invalid (missing result).
const std::string kInvalidModule(
    "\0asm\x01\0\0\0"
    "\x01\x05\x01\x60\x00\x01\x7f"
    "\x03\x02\x01\x00"
    "\x0a\x04\x01\x02\x00\x0b",
    8 + 7 + 4 + 6);

TEST_F(SpecRunnerTest, ChecksWhatItCanAndSkipsTheRest) {
  Write("t.0.wasm", kEmptyModule);
  Write("t.1.wasm", kBadVersion);
  Write("t.2.wasm", kInvalidModule);
  Write("t.json", R"({"source_filename": "t.wast", "commands": [
    {"type": "module", "line": 1, "filename": "t.0.wasm"},
    {"type": "assert_malformed", "line": 2, "filename": "t.1.wasm", "module_type": "binary", "text": "unknown binary version"},
    {"type": "assert_invalid", "line": 3, "filename": "t.2.wasm", "module_type": "binary", "text": "type mismatch"},
    {"type": "assert_invalid", "line": 4, "filename": "t.0.wasm", "module_type": "binary", "text": "should fail"},
    {"type": "module", "line": 5, "filename": "t.2.wasm"},
    {"type": "assert_malformed", "line": 6, "filename": "t.3.wat", "module_type": "text", "text": "x"},
    {"type": "assert_return", "line": 7, "action": {"type": "invoke", "field": "f", "args": []}, "expected": []},
    {"type": "assert_frobnicate", "line": 12},
    {"type": "assert_malformed", "line": 13, "filename": "missing.wasm", "module_type": "binary", "text": "x"}
  ]})");
  auto r = RunWastJsonFile(dir_ + "/t.json");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total.passed, 3);
  EXPECT_EQ(r->total.failed, 5);
  EXPECT_EQ(r->total.skipped, 1);
  ASSERT_EQ(r->failures.size(), 5u);
  EXPECT_EQ(r->failures[0].location, "t.wast:4");
  EXPECT_THAT(r->failures[0].message, HasSubstr("accepted, expected rejection (\"should fail\")"));
  EXPECT_EQ(r->failures[1].location, "t.wast:5");
  EXPECT_THAT(r->failures[1].message, HasSubstr("valid module t.2.wasm not instantiated: byte offset"));
  // The failed module leaves no current module to invoke.
  EXPECT_EQ(r->failures[2].location, "t.wast:7");
  EXPECT_THAT(r->failures[2].message, HasSubstr("no module instantiated"));
  EXPECT_EQ(r->failures[3].location, "t.wast:12");
  EXPECT_THAT(r->failures[3].message, HasSubstr("unknown command type \"assert_frobnicate\""));
  EXPECT_THAT(r->failures[4].message, HasSubstr("cannot open"));
  EXPECT_EQ(r->by_command["assert_invalid"].passed, 1);
  EXPECT_EQ(r->by_command["assert_invalid"].failed, 1);
  EXPECT_EQ(r->by_command["assert_malformed"].skipped, 1);
}

// Exports "div" = i32.div_s of its two parameters.
const std::string kDivModule(
    "\0asm\x01\0\0\0"
    "\x01\x07\x01\x60\x02\x7f\x7f\x01\x7f"
    "\x03\x02\x01\x00"
    "\x07\x07\x01\x03" "div" "\x00\x00"
    "\x0a\x09\x01\x07\x00\x20\x00\x20\x01\x6d\x0b",
    8 + 9 + 4 + 9 + 11);

TEST_F(SpecRunnerTest, ExecutesAssertionsThroughTheInterpreter) {
  Write("d.0.wasm", kDivModule);
  Write("d.json", R"({"source_filename": "d.wast", "commands": [
    {"type": "module", "line": 1, "name": "$D", "filename": "d.0.wasm"},
    {"type": "assert_return", "line": 2, "action": {"type": "invoke", "field": "div", "args": [{"type": "i32", "value": "4294967289"}, {"type": "i32", "value": "2"}]}, "expected": [{"type": "i32", "value": "4294967293"}]},
    {"type": "assert_return", "line": 3, "action": {"type": "invoke", "field": "div", "args": [{"type": "i32", "value": "7"}, {"type": "i32", "value": "2"}]}, "expected": [{"type": "i32", "value": "4"}]},
    {"type": "assert_trap", "line": 4, "action": {"type": "invoke", "field": "div", "args": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "0"}]}, "text": "integer divide by zero"},
    {"type": "assert_trap", "line": 5, "action": {"type": "invoke", "field": "div", "args": [{"type": "i32", "value": "2147483648"}, {"type": "i32", "value": "4294967295"}]}, "text": "integer overflow"},
    {"type": "assert_trap", "line": 6, "action": {"type": "invoke", "field": "div", "args": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "0"}]}, "text": "integer overflow"},
    {"type": "register", "line": 7, "name": "$D", "as": "d"},
    {"type": "action", "line": 8, "action": {"type": "invoke", "module": "$D", "field": "div", "args": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "1"}]}},
    {"type": "assert_return", "line": 9, "action": {"type": "invoke", "field": "nope", "args": []}, "expected": []}
  ]})");
  auto r = RunWastJsonFile(dir_ + "/d.json");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total.passed, 6);
  EXPECT_EQ(r->total.failed, 3);
  ASSERT_EQ(r->failures.size(), 3u);
  EXPECT_EQ(r->failures[0].location, "d.wast:3");
  EXPECT_THAT(r->failures[0].message, HasSubstr("expected i32 4, got 3"));
  EXPECT_EQ(r->failures[1].location, "d.wast:6");
  EXPECT_THAT(r->failures[1].message, HasSubstr("trapped with int_divz"));
  EXPECT_EQ(r->failures[2].location, "d.wast:9");
  EXPECT_THAT(r->failures[2].message, HasSubstr("no exported function nope"));
}

TEST_F(SpecRunnerTest, UnreadableOrBrokenFilesAreErrors) {
  EXPECT_FALSE(RunWastJsonFile(dir_ + "/nope.json").ok());
  Write("broken.json", "{\"commands\": [");
  EXPECT_THAT(RunWastJsonFile(dir_ + "/broken.json").status().message(), HasSubstr("expected"));
  Write("shape.json", "{\"commands\": 3}");
  EXPECT_THAT(RunWastJsonFile(dir_ + "/shape.json").status().message(),
              HasSubstr("\"commands\" array"));
}

TEST_F(SpecRunnerTest, CollectsJsonFilesFromDirectories) {
  std::filesystem::create_directories(dir_ + "/tree/sub");
  Write("tree/b.json", "{}");
  Write("tree/sub/a.json", "{}");
  Write("tree/sub/x.wasm", "");
  auto files = CollectWastJsonFiles({dir_ + "/tree"});
  ASSERT_TRUE(files.ok()) << files.status();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_THAT((*files)[0], HasSubstr("tree/b.json"));
  EXPECT_THAT((*files)[1], HasSubstr("tree/sub/a.json"));
  EXPECT_FALSE(CollectWastJsonFiles({dir_ + "/does-not-exist"}).ok());
}

}  // namespace
}  // namespace lathe::wast
