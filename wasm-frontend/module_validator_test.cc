#include "wasm-frontend/module_validator.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/test_module_builder.h"

namespace lathe::wasm {
namespace {

using ::testing::HasSubstr;
using namespace ::lathe::wasm::testing;  // NOLINT: the byte builders

std::string Check(const Bytes& bin) {
  auto m = DecodeModule(bin);
  if (!m.ok()) return std::string(m.status().message());
  absl::Status s = ValidateModule(*m);
  return s.ok() ? "OK" : std::string(s.message());
}

const Bytes kType = Section(1, {0x01, 0x60, 0x00, 0x00});
const Bytes kFunc = Section(3, {0x01, 0x00});
const Bytes kCode = Section(10, {0x01, 0x02, 0x00, 0x0B});

TEST(ModuleValidatorTest, MemoryLimits) {
  EXPECT_EQ(Check(ModuleOf({Section(5, Cat({Bytes{0x01, 0x00}, Uleb(65536)}))})), "OK");
  EXPECT_THAT(Check(ModuleOf({Section(5, Cat({Bytes{0x01, 0x00}, Uleb(65537)}))})),
              HasSubstr("memory size must be at most 65536"));
  EXPECT_THAT(Check(ModuleOf({Section(5, {0x01, 0x01, 0x02, 0x01})})),
              HasSubstr("size minimum must not be greater than maximum"));
  // The error points at the second memory's limits (header 8 + section id and size 2 + count 1
  // + first memory 2 bytes).
  EXPECT_THAT(Check(ModuleOf({Section(5, {0x02, 0x00, 0x00, 0x00, 0x00})})),
              HasSubstr("byte offset 0xd: invalid: multiple memories"));
}

TEST(ModuleValidatorTest, UnknownTypeIndex) {
  // Offset 0x11: header 8, type section 6 bytes, function section id/size/count 3.
  EXPECT_THAT(
      Check(ModuleOf({kType, Section(3, {0x01, 0x05}), Section(10, {0x01, 0x02, 0x00, 0x0B})})),
      HasSubstr("byte offset 0x11: invalid: unknown type 5"));
}

TEST(ModuleValidatorTest, GlobalInitializers) {
  // (global i32 (i32.const 1)) ok; wrong type; non-constant instruction; extended const.
  EXPECT_EQ(Check(ModuleOf({Section(6, {0x01, 0x7F, 0x00, 0x41, 0x01, 0x0B})})), "OK");
  EXPECT_THAT(Check(ModuleOf({Section(6, {0x01, 0x7F, 0x00, 0x42, 0x01, 0x0B})})),
              HasSubstr("type mismatch: constant expression must produce one i32"));
  EXPECT_THAT(Check(ModuleOf({Section(6, {0x01, 0x7F, 0x00, 0x41, 0x01, 0x45, 0x0B})})),
              HasSubstr("constant expression required (i32.eqz"));
  EXPECT_EQ(Check(ModuleOf({Section(6, {0x01, 0x7F, 0x00, 0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B})})),
            "OK");
  // global.get of itself (not yet visible) and of an earlier mutable global.
  EXPECT_THAT(Check(ModuleOf({Section(6, {0x01, 0x7F, 0x00, 0x23, 0x00, 0x0B})})),
              HasSubstr("unknown global 0"));
  EXPECT_THAT(Check(ModuleOf({Section(
                  6, {0x02, 0x7F, 0x01, 0x41, 0x00, 0x0B, 0x7F, 0x00, 0x23, 0x00, 0x0B})})),
              HasSubstr("mutable global"));
}

TEST(ModuleValidatorTest, ExportsAndStart) {
  const Bytes two_exports = Section(7, {0x02, 0x01, 'a', 0x00, 0x00, 0x01, 'a', 0x00, 0x00});
  EXPECT_THAT(Check(ModuleOf({kType, kFunc, two_exports, kCode})),
              HasSubstr("duplicate export name \"a\""));
  EXPECT_THAT(Check(ModuleOf({kType, kFunc, Section(7, {0x01, 0x01, 'a', 0x00, 0x01}), kCode})),
              HasSubstr("unknown function 1"));
  EXPECT_EQ(Check(ModuleOf({kType, kFunc, Section(8, {0x00}), kCode})), "OK");
  const Bytes type_i32 = Section(1, {0x01, 0x60, 0x01, 0x7F, 0x00});
  EXPECT_THAT(
      Check(ModuleOf({type_i32, kFunc, Section(8, {0x00}), Section(10, {0x01, 0x02, 0x00, 0x0B})})),
      HasSubstr("start function"));
}

TEST(ModuleValidatorTest, RefFuncNeedsDeclaration) {
  // func 0: ref.func 0; drop. Undeclared unless an element segment or export names it.
  const Bytes code = Section(10, {0x01, 0x05, 0x00, 0xD2, 0x00, 0x1A, 0x0B});
  EXPECT_THAT(Check(ModuleOf({kType, kFunc, code})), HasSubstr("undeclared function reference 0"));
  EXPECT_EQ(Check(ModuleOf({kType, kFunc, Section(9, {0x01, 0x03, 0x00, 0x01, 0x00}), code})),
            "OK");
  EXPECT_EQ(Check(ModuleOf({kType, kFunc, Section(7, {0x01, 0x01, 'f', 0x00, 0x00}), code})), "OK");
}

TEST(ModuleValidatorTest, ElementSegmentTypeMustMatchTable) {
  const Bytes externref_table = Section(4, {0x01, 0x6F, 0x00, 0x01});
  // Active funcref segment (form 0) into an externref table.
  EXPECT_THAT(Check(ModuleOf({kType, kFunc, externref_table,
                              Section(9, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00}), kCode})),
              HasSubstr("type mismatch: element segment of funcref for a table of externref"));
  EXPECT_THAT(Check(ModuleOf(
                  {kType, kFunc, Section(9, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00}), kCode})),
              HasSubstr("unknown table 0"));
}

TEST(ModuleValidatorTest, DataSegmentNeedsMemory) {
  EXPECT_THAT(Check(ModuleOf({Section(11, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x00})})),
              HasSubstr("unknown memory 0"));
  EXPECT_EQ(Check(ModuleOf({Section(5, {0x01, 0x00, 0x01}),
                            Section(11, {0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0xAA})})),
            "OK");
}

}  // namespace
}  // namespace lathe::wasm
