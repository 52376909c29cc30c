#include "wasm-frontend/name_section.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "wasm-frontend/decoder.h"
#include "wasm-frontend/test_module_builder.h"

namespace lathe::wasm {
namespace {

using ::testing::HasSubstr;
using namespace ::lathe::wasm::testing;  // NOLINT: the byte builders

Bytes NameCustomSection(const Bytes& payload) {
  return Section(0, Cat({Bytes{0x04, 'n', 'a', 'm', 'e'}, payload}));
}

TEST(NameSectionTest, ModuleFunctionAndLocalNames) {
  const Bytes payload = Cat({
      Bytes{0x00, 0x04, 0x03, 'm', 'o', 'd'},                   // module name "mod"
      Bytes{0x01, 0x07, 0x01, 0x02, 0x04, 'm', 'a', 'i', 'n'},  // func 2 = "main"
      Bytes{0x02, 0x06, 0x01, 0x02, 0x01, 0x00, 0x01, 'x'},     // func 2, local 0 = "x"
      Bytes{0x07, 0x02, 0xAA, 0xBB},                            // unknown subsection: skipped
  });
  const Bytes bin = ModuleOf({NameCustomSection(payload)});
  auto m = DecodeModule(bin);
  ASSERT_TRUE(m.ok()) << m.status();
  auto names = DecodeNameSection(*m);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_EQ(names->module_name, "mod");
  EXPECT_EQ(names->function_names.at(2), "main");
  EXPECT_EQ(names->local_names.at(NameSection::LocalKey(2, 0)), "x");
}

TEST(NameSectionTest, AbsentSectionGivesNoNames) {
  const Bytes empty = ModuleOf({});
  auto m = DecodeModule(empty);
  ASSERT_TRUE(m.ok());
  auto names = DecodeNameSection(*m);
  ASSERT_TRUE(names.ok());
  EXPECT_FALSE(names->module_name.has_value());
  EXPECT_TRUE(names->function_names.empty());
}

TEST(NameSectionTest, BrokenNamesAreAnErrorButTheModuleDecodes) {
  // Function-name subsection whose size leaves a stray byte, and one cut short.
  // The Module refers into its bytes, so they must stay alive (not a temporary).
  const Bytes stray = ModuleOf({NameCustomSection(Bytes{0x01, 0x04, 0x01, 0x00, 0x00, 0xFF})});
  auto m = DecodeModule(stray);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_THAT(DecodeNameSection(*m).status().message(), HasSubstr("unread bytes"));
  const Bytes cut = ModuleOf({NameCustomSection(Bytes{0x01, 0x09, 0x01, 0x00})});
  auto m2 = DecodeModule(cut);
  ASSERT_TRUE(m2.ok()) << m2.status();
  EXPECT_THAT(DecodeNameSection(*m2).status().message(), HasSubstr("unexpected end"));
}

}  // namespace
}  // namespace lathe::wasm
