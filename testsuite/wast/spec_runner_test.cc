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
    {"type": "assert_trap", "line": 8, "action": {"type": "invoke", "field": "f", "args": []}, "text": "t"},
    {"type": "register", "line": 9, "as": "m"},
    {"type": "action", "line": 10, "action": {"type": "invoke", "field": "f", "args": []}},
    {"type": "assert_unlinkable", "line": 11, "filename": "t.0.wasm", "module_type": "binary", "text": "x"},
    {"type": "assert_frobnicate", "line": 12},
    {"type": "assert_malformed", "line": 13, "filename": "missing.wasm", "module_type": "binary", "text": "x"}
  ]})");
  auto r = RunWastJsonFile(dir_ + "/t.json");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total.passed, 3);
  EXPECT_EQ(r->total.failed, 4);
  EXPECT_EQ(r->total.skipped, 6);
  ASSERT_EQ(r->failures.size(), 4u);
  EXPECT_EQ(r->failures[0].location, "t.wast:4");
  EXPECT_THAT(r->failures[0].message, HasSubstr("accepted, expected rejection (\"should fail\")"));
  EXPECT_EQ(r->failures[1].location, "t.wast:5");
  EXPECT_THAT(r->failures[1].message, HasSubstr("valid module t.2.wasm rejected: byte offset"));
  EXPECT_EQ(r->failures[2].location, "t.wast:12");
  EXPECT_THAT(r->failures[2].message, HasSubstr("unknown command type \"assert_frobnicate\""));
  EXPECT_THAT(r->failures[3].message, HasSubstr("cannot open"));
  EXPECT_EQ(r->by_command["assert_invalid"].passed, 1);
  EXPECT_EQ(r->by_command["assert_invalid"].failed, 1);
  EXPECT_EQ(r->by_command["assert_malformed"].skipped, 1);
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
