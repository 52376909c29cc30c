#include "wasm-frontend/binary_reader.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lathe::wasm {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<uint32_t> U32(std::vector<uint8_t> b) {
  BinaryReader r(b);
  auto v = r.ReadU32("x");
  if (v.ok() && !r.AtEnd()) return absl::InternalError("did not consume all bytes");
  return v;
}

absl::StatusOr<int64_t> S(int bits, std::vector<uint8_t> b) {
  BinaryReader r(b);
  if (bits == 32) {
    auto v = r.ReadS32("x");
    if (!v.ok()) return v.status();
    return *v;
  }
  return bits == 33 ? r.ReadS33("x") : r.ReadS64("x");
}

TEST(BinaryReaderTest, UnsignedLeb128) {
  EXPECT_EQ(*U32({0x00}), 0u);
  EXPECT_EQ(*U32({0x7F}), 127u);
  EXPECT_EQ(*U32({0x80, 0x01}), 128u);
  EXPECT_EQ(*U32({0xE5, 0x8E, 0x26}), 624485u);
  EXPECT_EQ(*U32({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), 0xFFFFFFFFu);
  // Padded but within five bytes is allowed.
  EXPECT_EQ(*U32({0x80, 0x80, 0x80, 0x80, 0x00}), 0u);
}

TEST(BinaryReaderTest, UnsignedLeb128RangeAndLength) {
  auto too_large = U32({0xFF, 0xFF, 0xFF, 0xFF, 0x1F});
  ASSERT_FALSE(too_large.ok());
  EXPECT_THAT(too_large.status().message(), HasSubstr("integer too large"));
  auto too_long = U32({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  ASSERT_FALSE(too_long.ok());
  EXPECT_THAT(too_long.status().message(), HasSubstr("integer representation too long"));
  auto truncated = U32({0x80, 0x80});
  ASSERT_FALSE(truncated.ok());
  EXPECT_THAT(truncated.status().message(),
              HasSubstr("byte offset 0x2: malformed: unexpected end"));
}

TEST(BinaryReaderTest, SignedLeb128) {
  EXPECT_EQ(*S(32, {0x7F}), -1);
  EXPECT_EQ(*S(32, {0x3F}), 63);
  EXPECT_EQ(*S(32, {0x40}), -64);
  EXPECT_EQ(*S(32, {0x80, 0x80, 0x80, 0x80, 0x78}), INT32_MIN);
  EXPECT_EQ(*S(32, {0xFF, 0xFF, 0xFF, 0xFF, 0x07}), INT32_MAX);
  EXPECT_EQ(*S(64, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F}), INT64_MIN);
  EXPECT_EQ(*S(64, {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}), INT64_MAX);
  EXPECT_EQ(*S(33, {0xFF, 0xFF, 0xFF, 0xFF, 0x0F}), 0xFFFFFFFFll);
  EXPECT_EQ(*S(33, {0x80, 0x80, 0x80, 0x80, 0x70}), -(1ll << 32));
}

TEST(BinaryReaderTest, SignedLeb128UnusedBitsMustExtendSign) {
  // Positive value whose unused high bits are set, and negative whose are clear.
  EXPECT_THAT(S(32, {0xFF, 0xFF, 0xFF, 0xFF, 0x17}).status().message(),
              HasSubstr("integer too large"));
  EXPECT_THAT(S(32, {0x80, 0x80, 0x80, 0x80, 0x68}).status().message(),
              HasSubstr("integer too large"));
  EXPECT_THAT(
      S(64, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}).status().message(),
      HasSubstr("integer too large"));
  EXPECT_THAT(S(32, {0x80, 0x80, 0x80, 0x80, 0x80, 0x00}).status().message(),
              HasSubstr("integer representation too long"));
}

TEST(BinaryReaderTest, FixedWidthAndSkip) {
  std::vector<uint8_t> b = {0x78, 0x56, 0x34, 0x12, 0x01};
  BinaryReader r(b);
  EXPECT_EQ(*r.ReadFixed32("x"), 0x12345678u);
  EXPECT_FALSE(r.ReadFixed32("x").ok());
  EXPECT_FALSE(r.Skip(2, "x").ok());
  EXPECT_TRUE(r.Skip(1, "x").ok());
  EXPECT_TRUE(r.AtEnd());
}

TEST(BinaryReaderTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("\xC3\xA9"));           // é
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));   // U+1F600
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\x80"));      // overlong 3-byte
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
}

TEST(BinaryReaderTest, NameChecksUtf8AndLength) {
  std::vector<uint8_t> ok = {0x02, 0xC3, 0xA9};
  BinaryReader r(ok);
  EXPECT_EQ(*r.ReadName("n"), "\xC3\xA9");
  std::vector<uint8_t> bad = {0x01, 0xFF};
  BinaryReader r2(bad);
  EXPECT_THAT(r2.ReadName("n").status().message(), HasSubstr("malformed UTF-8 encoding"));
  std::vector<uint8_t> short_name = {0x05, 'a'};
  BinaryReader r3(short_name);
  EXPECT_THAT(r3.ReadName("n").status().message(), HasSubstr("unexpected end"));
}

}  // namespace
}  // namespace lathe::wasm
