#include "wasm-frontend/operator_reader.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lathe::wasm {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<Operator> ReadAll(const std::vector<uint8_t>& code, absl::Status* status) {
  OperatorReader r(code, 0, code.size());
  std::vector<Operator> ops;
  while (!r.AtEnd()) {
    Operator op;
    *status = r.Next(&op);
    if (!status->ok()) return ops;
    ops.push_back(op);
  }
  *status = absl::OkStatus();
  return ops;
}

TEST(OperatorReaderTest, ImmediatesAndOffsets) {
  const std::vector<uint8_t> code = {0x41, 0x7F,                    // i32.const -1
                                     0x42, 0x80, 0x01,              // i64.const 128
                                     0x43, 0x00, 0x00, 0x80, 0x3F,  // f32.const 1.0
                                     0x28, 0x02, 0x10,              // i32.load align=2 offset=16
                                     0x02, 0x40,                    // block
                                     0x04, 0x7E,                    // if (result i64)
                                     0x03, 0x05,                    // loop (type 5)
                                     0x11, 0x03, 0x01,              // call_indirect type 3 table 1
                                     0xFC, 0x0E, 0x02, 0x03,        // table.copy 2 3
                                     0xD0, 0x6F,                    // ref.null extern
                                     0x0B};
  absl::Status s;
  std::vector<Operator> ops = ReadAll(code, &s);
  ASSERT_TRUE(s.ok()) << s;
  ASSERT_EQ(ops.size(), 11u);
  EXPECT_EQ(ops[10].opcode, Opcode::kEnd);
  EXPECT_EQ(ops[0].opcode, Opcode::kI32Const);
  EXPECT_EQ(ops[0].bits, 0xFFFFFFFFu);
  EXPECT_EQ(ops[1].bits, 128u);
  EXPECT_EQ(ops[1].offset, 2u);
  EXPECT_EQ(ops[2].bits, 0x3F800000u);
  EXPECT_EQ(ops[3].align_log2, 2u);
  EXPECT_EQ(ops[3].mem_offset, 16u);
  EXPECT_EQ(ops[4].block.kind, BlockType::Kind::kEmpty);
  EXPECT_EQ(ops[5].block.kind, BlockType::Kind::kValue);
  EXPECT_EQ(ops[5].block.value, ValType::kI64);
  EXPECT_EQ(ops[6].block.kind, BlockType::Kind::kTypeIndex);
  EXPECT_EQ(ops[6].block.type_index, 5u);
  EXPECT_EQ(ops[7].index, 3u);
  EXPECT_EQ(ops[7].index2, 1u);
  EXPECT_EQ(ops[8].opcode, Opcode::kTableCopy);
  EXPECT_EQ(ops[9].type, ValType::kExternRef);
}

TEST(OperatorReaderTest, BrTable) {
  const std::vector<uint8_t> code = {0x0E, 0x03, 0x00, 0x01, 0x02, 0x04};
  OperatorReader r(code, 0, code.size());
  Operator op;
  ASSERT_TRUE(r.Next(&op).ok());
  EXPECT_THAT(op.br_targets, ElementsAre(0u, 1u, 2u));
  EXPECT_EQ(op.br_default, 4u);
  // A count larger than the remaining bytes is rejected before allocating.
  const std::vector<uint8_t> lying = {0x0E, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00};
  OperatorReader r2(lying, 0, lying.size());
  EXPECT_THAT(r2.Next(&op).message(), HasSubstr("unexpected end"));
}

TEST(OperatorReaderTest, MalformedEncodings) {
  absl::Status s;
  ReadAll({0x06}, &s);
  EXPECT_THAT(s.message(), HasSubstr("byte offset 0x0: malformed: illegal opcode 0x06"));
  ReadAll({0xFC, 0x12}, &s);
  EXPECT_THAT(s.message(), HasSubstr("illegal opcode 0xFC 18"));
  ReadAll({0x41}, &s);
  EXPECT_THAT(s.message(), HasSubstr("unexpected end while reading i32 constant"));
  ReadAll({0x02, 0x50}, &s);
  EXPECT_THAT(s.message(), HasSubstr("malformed block type"));
  ReadAll({0x1C, 0x02, 0x7F, 0x7F}, &s);
  EXPECT_THAT(s.message(), HasSubstr("invalid result arity"));
}

TEST(OperatorReaderTest, OpcodeTableIsConsistent) {
  // Every opcode's name is unique per (prefix, code) and loads/stores carry an alignment.
  for (int i = 0; i < static_cast<int>(Opcode::kCount); ++i) {
    const OpcodeInfo& a = GetOpcodeInfo(static_cast<Opcode>(i));
    EXPECT_EQ(a.imm == Imm::kMemArg, a.access_log2 >= 0) << a.name;
    for (int j = i + 1; j < static_cast<int>(Opcode::kCount); ++j) {
      const OpcodeInfo& b = GetOpcodeInfo(static_cast<Opcode>(j));
      EXPECT_FALSE(a.prefix == b.prefix && a.code == b.code) << a.name << " vs " << b.name;
    }
  }
}

}  // namespace
}  // namespace lathe::wasm
