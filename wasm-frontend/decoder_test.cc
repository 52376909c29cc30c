#include "wasm-frontend/decoder.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "wasm-frontend/test_module_builder.h"

namespace lathe::wasm {
namespace {

using ::testing::HasSubstr;
using namespace ::lathe::wasm::testing;  // NOLINT: the byte builders

std::string DecodeError(const Bytes& b) {
  auto m = DecodeModule(b);
  return m.ok() ? "OK" : std::string(m.status().message());
}

TEST(DecoderTest, EmptyModule) {
  const Bytes bin = ModuleOf({});
  auto m = DecodeModule(bin);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->types.empty());
  EXPECT_TRUE(m->bodies.empty());
}

TEST(DecoderTest, HeaderErrors) {
  EXPECT_THAT(DecodeError({0x00, 0x61, 0x73}), HasSubstr("unexpected end while reading magic"));
  EXPECT_THAT(DecodeError({0x00, 0x61, 0x73, 0x6E, 1, 0, 0, 0}),
              HasSubstr("magic header not detected"));
  EXPECT_THAT(DecodeError({0x00, 0x61, 0x73, 0x6D, 2, 0, 0, 0}),
              HasSubstr("byte offset 0x4: malformed: unknown binary version 2"));
}

TEST(DecoderTest, FunctionBodyRangesAndLocals) {
  // (func (param i32) (result i32) (local i64 i64 f32) local.get 0)
  const Bytes code = {0x20, 0x00, 0x0B};
  const Bytes locals = {0x02, 0x02, 0x7E, 0x01, 0x7D};
  const Bytes bin = OneFunction({0x7F}, {0x7F}, code, locals);
  auto m = DecodeModule(bin);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->types.size(), 1u);
  EXPECT_EQ(m->types[0].params, std::vector<ValType>{ValType::kI32});
  ASSERT_EQ(m->bodies.size(), 1u);
  const FunctionBody& fb = m->bodies[0];
  EXPECT_EQ(fb.num_locals, 3u);
  ASSERT_EQ(fb.locals.size(), 2u);
  EXPECT_EQ(fb.locals[0].count, 2u);
  EXPECT_EQ(fb.locals[0].type, ValType::kI64);
  EXPECT_EQ(fb.code.size(), code.size());
  EXPECT_EQ(bin[fb.code.begin], 0x20);
  EXPECT_EQ(bin[fb.code.end - 1], 0x0B);
  EXPECT_EQ(fb.body.size(), locals.size() + code.size());
}

TEST(DecoderTest, TooManyLocals) {
  const Bytes locals = Cat({Bytes{0x02}, Uleb(0xFFFFFFFF), Bytes{0x7F}, Uleb(1), Bytes{0x7F}});
  EXPECT_THAT(DecodeError(OneFunction({}, {}, {0x0B}, locals)), HasSubstr("too many locals"));
}

TEST(DecoderTest, SectionOrderAndDuplicates) {
  const Bytes type = Section(1, {0x00});
  const Bytes mem = Section(5, {0x00});
  EXPECT_EQ(DecodeError(ModuleOf({type, mem})), "OK");
  EXPECT_THAT(DecodeError(ModuleOf({mem, type})), HasSubstr("out of order or repeated"));
  EXPECT_THAT(DecodeError(ModuleOf({type, type})), HasSubstr("out of order or repeated"));
  // Data count (12) goes between element (9) and code (10).
  EXPECT_EQ(DecodeError(ModuleOf({Section(12, {0x00}), Section(10, {0x00}), Section(11, {0x00})})),
            "OK");
  EXPECT_THAT(DecodeError(ModuleOf({Section(10, {0x00}), Section(12, {0x00})})),
              HasSubstr("out of order"));
  EXPECT_THAT(DecodeError(ModuleOf({Section(13, {})})), HasSubstr("malformed section id 13"));
}

TEST(DecoderTest, SectionSizeMustMatchContents) {
  // A type section claiming 2 bytes that holds a complete 1-byte vector plus a stray byte.
  EXPECT_THAT(DecodeError(ModuleOf({Section(1, {0x00, 0x00})})),
              HasSubstr("section size mismatch"));
  // A section larger than the file.
  EXPECT_THAT(DecodeError(ModuleOf({Bytes{0x01, 0x05, 0x00}})), HasSubstr("exceeds"));
}

TEST(DecoderTest, CustomSectionsAreRecordedAnywhere) {
  const Bytes custom = Section(0, Cat({Bytes{0x04}, Bytes{'n', 'a', 'm', 'e'}, Bytes{1, 2, 3}}));
  const Bytes bin = ModuleOf({custom, Section(1, {0x00}), custom});
  auto m = DecodeModule(bin);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->customs.size(), 2u);
  EXPECT_EQ(m->customs[0].name, "name");
  EXPECT_EQ(m->customs[0].payload.size(), 3u);
  EXPECT_THAT(DecodeError(ModuleOf({Section(0, {0x01, 0xFF})})), HasSubstr("malformed UTF-8"));
}

TEST(DecoderTest, FunctionAndCodeCountsMustAgree) {
  const Bytes type = Section(1, {0x01, 0x60, 0x00, 0x00});
  EXPECT_THAT(DecodeError(ModuleOf({type, Section(3, {0x01, 0x00})})),
              HasSubstr("function and code section have inconsistent lengths"));
  EXPECT_THAT(DecodeError(ModuleOf({type, Section(3, {0x01, 0x00}), Section(10, {0x00})})),
              HasSubstr("inconsistent lengths (1 functions, 0 bodies)"));
}

TEST(DecoderTest, DataCountMustAgree) {
  const Bytes data = Section(11, {0x01, 0x01, 0x00});  // one passive, empty segment
  EXPECT_EQ(DecodeError(ModuleOf({Section(12, {0x01}), data})), "OK");
  EXPECT_THAT(DecodeError(ModuleOf({Section(12, {0x02}), data})),
              HasSubstr("data count and data section have inconsistent lengths"));
  EXPECT_THAT(DecodeError(ModuleOf({Section(12, {0x01})})), HasSubstr("no data section"));
}

TEST(DecoderTest, ElementSegmentForms) {
  const Bytes type = Section(1, {0x01, 0x60, 0x00, 0x00});
  const Bytes func = Section(3, {0x01, 0x00});
  const Bytes table = Section(4, {0x01, 0x70, 0x00, 0x01});
  const Bytes code = Section(10, {0x01, 0x02, 0x00, 0x0B});
  const Bytes i32_0 = {0x41, 0x00, 0x0B};
  const Bytes elems = Section(
      9, Cat({Bytes{0x08}, Cat({Bytes{0x00}, i32_0, Bytes{0x01, 0x00}}),  // 0: active, funcs
              Bytes{0x01, 0x00, 0x01, 0x00},                              // 1: passive, elemkind
              Cat({Bytes{0x02, 0x00}, i32_0, Bytes{0x00, 0x01, 0x00}}),   // 2: table, elemkind
              Bytes{0x03, 0x00, 0x01, 0x00},                              // 3: declarative
              Cat({Bytes{0x04}, i32_0, Bytes{0x01, 0xD2, 0x00, 0x0B}}),   // 4: active, exprs
              Bytes{0x05, 0x70, 0x01, 0xD0, 0x70, 0x0B},                  // 5: passive, exprs
              Cat({Bytes{0x06, 0x00}, i32_0, Bytes{0x70, 0x00}}),         // 6: table, exprs
              Bytes{0x07, 0x6F, 0x01, 0xD0, 0x6F, 0x0B}}));               // 7: declarative, exprs
  const Bytes bin = ModuleOf({type, func, table, elems, code});
  auto m = DecodeModule(bin);
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->elems.size(), 8u);
  const SegmentMode modes[] = {
      SegmentMode::kActive, SegmentMode::kPassive, SegmentMode::kActive, SegmentMode::kDeclarative,
      SegmentMode::kActive, SegmentMode::kPassive, SegmentMode::kActive, SegmentMode::kDeclarative};
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(m->elems[i].mode, modes[i]) << i;
    EXPECT_EQ(m->elems[i].uses_exprs, i >= 4) << i;
  }
  EXPECT_EQ(m->elems[0].func_indices, std::vector<uint32_t>{0});
  EXPECT_EQ(m->elems[4].exprs.size(), 1u);
  EXPECT_EQ(m->elems[7].type, ValType::kExternRef);
  EXPECT_THAT(DecodeError(ModuleOf({Section(9, {0x01, 0x08})})),
              HasSubstr("malformed elements segment kind 8"));
  EXPECT_THAT(DecodeError(ModuleOf({Section(9, {0x01, 0x01, 0x01, 0x00})})),
              HasSubstr("malformed element kind"));
}

TEST(DecoderTest, ImportsFillIndexSpacesFirst) {
  const Bytes type = Section(1, {0x01, 0x60, 0x00, 0x00});
  const Bytes imports =
      Section(2, {0x04, 0x01, 'm',  0x01, 'f',  0x00, 0x00,          // func type 0
                  0x01, 'm',  0x01, 't',  0x01, 0x70, 0x00, 0x01,    // table funcref min 1
                  0x01, 'm',  0x01, 'g',  0x03, 0x7E, 0x01,          // global mut i64
                  0x01, 'm',  0x01, 'x',  0x02, 0x01, 0x01, 0x02});  // memory 1..2
  const Bytes func = Section(3, {0x01, 0x00});
  const Bytes code = Section(10, {0x01, 0x02, 0x00, 0x0B});
  const Bytes bin = ModuleOf({type, imports, func, code});
  auto m = DecodeModule(bin);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->num_imported_funcs, 1u);
  EXPECT_EQ(m->func_types.size(), 2u);
  EXPECT_EQ(m->num_imported_globals, 1u);
  EXPECT_TRUE(m->global_types[0].is_mutable);
  ASSERT_EQ(m->memories.size(), 1u);
  EXPECT_EQ(*m->memories[0].limits.max, 2u);
  EXPECT_THAT(DecodeError(ModuleOf({Section(2, {0x01, 0x01, 'm', 0x01, 'f', 0x04, 0x00})})),
              HasSubstr("malformed import kind"));
  EXPECT_THAT(DecodeError(ModuleOf({Section(5, {0x01, 0x02, 0x00})})), HasSubstr("limits flags"));
}

TEST(DecoderTest, HugeCountsAreRejectedBeforeAllocating) {
  // A type section claiming 2^32-1 entries in 5 bytes.
  EXPECT_THAT(DecodeError(ModuleOf({Section(1, Uleb(0xFFFFFFFF))})), HasSubstr("unexpected end"));
}

}  // namespace
}  // namespace lathe::wasm
