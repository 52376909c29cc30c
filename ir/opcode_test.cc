// Consistency of the opcode table in opcodes.def: names, formats and constraint strings agree.
#include <set>
#include <string>

#include "gtest/gtest.h"
#include "ir/opcode.h"

namespace lathe::ir {
namespace {

int FixedOperands(Format f) {
  switch (f) {
    case Format::kNullAry: case Format::kUnaryImm: case Format::kUnaryIeee16:
    case Format::kUnaryIeee32: case Format::kUnaryIeee64: case Format::kUnaryConst:
    case Format::kUnaryGlobalValue: case Format::kJump: case Format::kFuncAddr:
    case Format::kStackAddr: case Format::kDynamicStackAddr: case Format::kTrap:
    case Format::kExceptionHandlerAddress: case Format::kCall: case Format::kTryCall:
    case Format::kMultiAry:
      return 0;
    case Format::kUnary: case Format::kBinaryImm8: case Format::kBrif: case Format::kBranchTable:
    case Format::kLoad: case Format::kLoadNoOffset: case Format::kCondTrap:
    case Format::kCallIndirect: case Format::kTryCallIndirect:
      return 1;
    case Format::kBinary: case Format::kTernaryImm8: case Format::kShuffle: case Format::kIntCompare:
    case Format::kFloatCompare: case Format::kStore: case Format::kStoreNoOffset:
    case Format::kAtomicRmw: case Format::kIntAddTrap:
      return 2;
    case Format::kTernary: case Format::kAtomicCas:
      return 3;
  }
  return -1;
}

TEST(OpcodeTable, HasTheDialectsOpcodeCount) { EXPECT_EQ(kNumOpcodes, 163); }

TEST(OpcodeTable, NamesAreUniqueAndLookUpBack) {
  std::set<std::string> names;
  for (int i = 0; i < kNumOpcodes; ++i) {
    Opcode op = static_cast<Opcode>(i);
    EXPECT_TRUE(names.insert(Name(op)).second) << Name(op);
    ASSERT_TRUE(OpcodeFromName(Name(op)).has_value()) << Name(op);
    EXPECT_EQ(*OpcodeFromName(Name(op)), op);
  }
  EXPECT_FALSE(OpcodeFromName("iadd_imm").has_value());
}

TEST(OpcodeTable, ConstraintsFitTheFormat) {
  const std::string letters = "TLBHDSWXbihfdqIJKGFEV";
  for (int i = 0; i < kNumOpcodes; ++i) {
    const OpcodeInfo& info = Info(static_cast<Opcode>(i));
    const int n = static_cast<int>(std::string(info.operands).size());
    EXPECT_EQ(n, FixedOperands(info.format)) << info.name;
    for (char c : std::string(info.operands) + info.results) {
      EXPECT_NE(letters.find(c), std::string::npos) << info.name << ": unknown letter " << c;
    }
    if (info.ctrl >= 0) {
      EXPECT_LT(info.ctrl, n) << info.name;
      EXPECT_EQ(info.operands[info.ctrl], 'T') << info.name << ": the controlling operand must be T";
    }
    if (info.ctrl == kMono) {
      EXPECT_EQ(std::string(info.operands).find_first_of("TLBHDSWV"), std::string::npos) << info.name;
      EXPECT_EQ(std::string(info.results).find_first_of("TLBHDSWV"), std::string::npos) << info.name;
    }
    if ((info.flags & kTerm) != 0) {
      EXPECT_NE(info.flags & (kBranch | kReturn | kTrap), 0) << info.name;
    }
    if ((info.flags & kBranch) != 0) {
      Format f = info.format;
      EXPECT_TRUE(f == Format::kJump || f == Format::kBrif || f == Format::kBranchTable ||
                  f == Format::kTryCall || f == Format::kTryCallIndirect)
          << info.name;
    }
  }
}

}  // namespace
}  // namespace lathe::ir
