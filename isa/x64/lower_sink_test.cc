// Backward lowering: dead pure instructions and merged definitions (fused icmp, folded iconst,
// sunk loads, folded address arithmetic) produce no code of their own; loads are sunk only
// when nothing effectful lies between them and their user; vcode stays in program order; the
// trap record of a sunk load lands on the instruction that now reads memory.
#include <capstone/capstone.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/x64/assembler.h"
#include "isa/common/compile.h"
#include "isa/x64/x64_target.h"
#include "isa/x64/lower.h"

namespace lathe::x64 {
namespace {

class LowerSinkTest : public ::testing::Test {
 protected:
  // Parses one function and lowers it; the vcode's instruction kinds in order.
  std::vector<MOp> LowerOps(const std::string& text) {
    absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(text, "t.clif");
    EXPECT_TRUE(file.ok()) << file.status();
    if (!file.ok()) return {};
    file_ = std::make_unique<ir::TestFile>(std::move(*file));
    absl::Status st = Lower(*file_->functions[0].function, &vc_);
    EXPECT_TRUE(st.ok()) << st;
    std::vector<MOp> ops;
    for (const MInst& m : vc_.insts) ops.push_back(m.op);
    return ops;
  }
  static int Count(const std::vector<MOp>& ops, MOp op) { return static_cast<int>(std::count(ops.begin(), ops.end(), op)); }
  const MInst& Only(MOp op) const {
    for (const MInst& m : vc_.insts) {
      if (m.op == op) return m;
    }
    ADD_FAILURE() << "no instruction of kind " << static_cast<int>(op);
    return vc_.insts[0];
  }
  std::unique_ptr<ir::TestFile> file_;
  VCode vc_;
};

TEST_F(LowerSinkTest, DeadPureInstructionsAndChainsAcrossBlocksAreSkipped) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = imul v0, v1
    v3 = iconst.i64 5
    v4 = ushr v2, v3
    jump block1
block1:
    v5 = imul v4, v4
    v6 = udiv v0, v1
    return v0
}
)");
  EXPECT_EQ(Count(ops, MOp::kImul), 0);
  EXPECT_EQ(Count(ops, MOp::kShift), 0);
  EXPECT_EQ(Count(ops, MOp::kMovImm), 0);
  EXPECT_EQ(Count(ops, MOp::kDiv), 1);  // may trap: kept although unused
}

TEST_F(LowerSinkTest, VcodeStaysInProgramOrder) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iadd v0, v1
    store v2, v0
    v3 = imul v2, v2
    v4 = load.i64 v1
    v5 = ineg v4
    return v3
}
)");
  const std::vector<MOp> want = {MOp::kArgs, MOp::kJump, MOp::kAlu, MOp::kStore, MOp::kImul, MOp::kLoad, MOp::kReturn};
  EXPECT_EQ(ops, want);  // the unused ineg is skipped, the unused load is not (it may trap)
}

TEST_F(LowerSinkTest, FusedIcmpAndFoldedIconstAreNotEmittedAlone) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconst.i64 100
    v3 = iadd v0, v2
    v4 = icmp slt v3, v1
    brif v4, block1, block2
block1:
    return v3
block2:
    return v1
}
)");
  EXPECT_EQ(Count(ops, MOp::kIcmp), 0);
  EXPECT_EQ(Count(ops, MOp::kBrIcmp), 1);
  EXPECT_EQ(Count(ops, MOp::kMovImm), 0);
  EXPECT_EQ(Count(ops, MOp::kAluImm), 1);
}

TEST_F(LowerSinkTest, IcmpWithAnotherUseIsStillMaterialized) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64, i64) -> i8 {
block0(v0: i64, v1: i64):
    v2 = icmp eq v0, v1
    brif v2, block1, block2
block1:
    return v2
block2:
    v3 = iconst.i8 7
    return v3
}
)");
  EXPECT_EQ(Count(ops, MOp::kIcmp), 1);
  EXPECT_EQ(Count(ops, MOp::kBrIcmp), 1);
}

TEST_F(LowerSinkTest, SingleUseLoadsSinkIntoAluIcmpAndSse) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64, i64, i32, f64) -> i64, i8, f64 {
block0(v0: i64, v1: i64, v2: i32, v3: f64):
    v4 = load.i64 v0+8
    v5 = iadd v4, v1
    v6 = load.i32 v0+16
    v7 = icmp ugt v6, v2
    v8 = load.f64 v0+24
    v9 = fsub v3, v8
    return v5, v7, v9
}
)");
  EXPECT_EQ(Count(ops, MOp::kLoad), 0);
  EXPECT_EQ(Count(ops, MOp::kFload), 0);
  const MInst& add = Only(MOp::kAluMem);
  EXPECT_EQ(add.sub, static_cast<uint8_t>(Alu::kAdd));
  EXPECT_EQ(add.size, 8);
  EXPECT_EQ(add.imm, 8);
  const MInst& cmp = Only(MOp::kIcmpMem);
  EXPECT_EQ(cmp.sub, static_cast<uint8_t>(Cond::kB));  // v2 < [mem]: operands swapped
  EXPECT_EQ(cmp.size, 4);
  EXPECT_EQ(cmp.imm, 16);
  const MInst& sub = Only(MOp::kSseMem);
  EXPECT_EQ(sub.sub, 0x5C);
  EXPECT_EQ(sub.imm, 24);
}

TEST_F(LowerSinkTest, LoadsAreNotSunkAcrossStoresCallsOrTrapsNorWhenShared) {
  // `v2 = load v0` and its user `v3 = iadd v1, v2`, with what stands between them.
  const char* between[] = {
      "store v1, v1",      // a store
      "call fn0(v1)",      // a call
      "trapz v1, user1",   // a trap
      "v4 = load.i64 v1",  // another (trapping) load
      "jump block1\nblock1:",  // a block boundary
  };
  for (const char* mid : between) {
    std::string text = absl::StrCat("function %f(i64, i64) -> i64 {\n    fn0 = %g(i64)\nblock0(v0: i64, v1: i64):\n",
                                    "    v2 = load.i64 v0\n    ", mid, "\n    v3 = iadd v1, v2\n    return v3\n}\n");
    std::vector<MOp> ops = LowerOps(text);
    EXPECT_EQ(Count(ops, MOp::kAluMem), 0) << text;
    EXPECT_EQ(Count(ops, MOp::kLoad), std::string(mid).find("load") == std::string::npos ? 1 : 2) << text;
  }
  // A load with two uses, and a 16-bit load (no 16-bit memory forms), stay loads.
  for (const char* text : {R"(
function %twice(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = load.i64 v0
    v3 = iadd v1, v2
    v4 = iadd v3, v2
    return v4
}
)", R"(
function %narrow(i64, i16) -> i16 {
block0(v0: i64, v1: i16):
    v2 = load.i16 v0
    v3 = iadd v1, v2
    return v3
}
)"}) {
    std::vector<MOp> ops = LowerOps(text);
    EXPECT_EQ(Count(ops, MOp::kAluMem), 0) << text;
    EXPECT_EQ(Count(ops, MOp::kLoad), 1) << text;
  }
}

TEST_F(LowerSinkTest, LoadsSinkIntoImulFromEitherSide) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    v2 = load.i32 v0+12
    v3 = imul v2, v1
    return v3
}
)");
  EXPECT_EQ(Count(ops, MOp::kLoad), 0);
  EXPECT_EQ(Count(ops, MOp::kImul), 0);
  EXPECT_EQ(Only(MOp::kImulMem).size, 4);
  EXPECT_EQ(Only(MOp::kImulMem).imm, 12);
}

TEST_F(LowerSinkTest, PureInstructionsBetweenDoNotBlockSinking) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = load.i64 v0
    v3 = imul v1, v1
    v4 = bxor v3, v2
    return v4
}
)");
  EXPECT_EQ(Count(ops, MOp::kLoad), 0);
  EXPECT_EQ(Only(MOp::kAluMem).sub, static_cast<uint8_t>(Alu::kXor));
}

TEST_F(LowerSinkTest, AddressArithmeticFoldsIntoTheAddressMode) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64, i64, i32) -> i32 {
block0(v0: i64, v1: i64, v2: i32):
    v3 = iconst.i64 2
    v4 = ishl v1, v3
    v5 = iadd v0, v4
    v6 = iconst.i64 40
    v7 = iadd v5, v6
    store v2, v7+4
    v8 = iadd v0, v1
    v9 = uload8.i32 v8-3
    return v9
}
)");
  EXPECT_EQ(Count(ops, MOp::kAlu), 0);
  EXPECT_EQ(Count(ops, MOp::kAluImm), 0);
  EXPECT_EQ(Count(ops, MOp::kShift), 0);
  EXPECT_EQ(Count(ops, MOp::kMovImm), 0);
  const MInst& st = Only(MOp::kStore);
  EXPECT_EQ(st.aux & (kAddrIndexed | kAddrShiftMask), kAddrIndexed | 2u);
  EXPECT_EQ(st.imm, 44);
  const MInst& ld = Only(MOp::kLoad);
  EXPECT_EQ(ld.aux & (kAddrIndexed | kAddrShiftMask), static_cast<uint32_t>(kAddrIndexed));
  EXPECT_EQ(ld.imm, -3);
}

TEST_F(LowerSinkTest, SharedAddressAddStaysAndLargeShiftsAreNotScales) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconst.i64 4
    v3 = ishl v1, v2
    v4 = iadd v0, v3
    v5 = load.i64 v4
    v6 = smax v5, v4
    return v6
}
)");
  // A shift by 4 is no scale, so the add is indexed by the shifted value; the add itself is
  // also used as a value, so it is still computed.
  EXPECT_EQ(Count(ops, MOp::kShift), 1);
  EXPECT_EQ(Count(ops, MOp::kAlu), 1);
  EXPECT_EQ(Only(MOp::kLoad).aux & (kAddrIndexed | kAddrShiftMask), static_cast<uint32_t>(kAddrIndexed));
}

TEST_F(LowerSinkTest, ExtensionsOfSingleUseLoadsReadMemoryDirectly) {
  std::vector<MOp> ops = LowerOps(R"(
function %f(i64) -> i64, i64 {
block0(v0: i64):
    v1 = load.i16 v0+2
    v2 = sextend.i64 v1
    v3 = load.i32 v0+4
    v4 = uextend.i64 v3
    return v2, v4
}
)");
  EXPECT_EQ(Count(ops, MOp::kExt), 0);
  ASSERT_EQ(Count(ops, MOp::kLoad), 2);
  for (const MInst& m : vc_.insts) {
    if (m.op != MOp::kLoad) continue;
    EXPECT_EQ(m.size, m.imm == 2 ? 2 : 4);
    EXPECT_EQ(m.sub, m.imm == 2 ? 1 : 0);  // sign-extending only for the sextend
  }
  // A load with a second use keeps its own instruction and the extension its own.
  ops = LowerOps(R"(
function %g(i64) -> i64, i32 {
block0(v0: i64):
    v1 = load.i32 v0
    v2 = sextend.i64 v1
    return v2, v1
}
)");
  EXPECT_EQ(Count(ops, MOp::kExt), 1);
  EXPECT_EQ(Count(ops, MOp::kLoad), 1);
}

// Compiles `text` and returns the instructions (offset, mnemonic, operands) and trap records.
struct Compiled {
  std::vector<std::pair<uint64_t, std::string>> insts;
  std::vector<std::pair<uint32_t, uint8_t>> traps;
};
Compiled CompileAndDisassemble(const std::string& text) {
  Compiled out;
  absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(text, "t.clif");
  EXPECT_TRUE(file.ok()) << file.status();
  if (!file.ok()) return out;
  absl::StatusOr<isa::TargetSpec> spec = isa::ParseTarget("x86_64 skylake", "test");
  EXPECT_TRUE(spec.ok()) << spec.status();
  if (!spec.ok()) return out;
  X64Target target(*spec);
  isa::CompileContext ctx;
  isa::CodeBuffer buf;
  absl::Status st = isa::Compile(*file->functions[0].function, target, isa::OptLevel::kSpeed, ctx, &buf);
  EXPECT_TRUE(st.ok()) << st;
  csh h;
  EXPECT_EQ(cs_open(CS_ARCH_X86, CS_MODE_64, &h), CS_ERR_OK);
  cs_insn* insn = nullptr;
  size_t n = cs_disasm(h, buf.bytes().data(), buf.bytes().size(), 0, 0, &insn);
  for (size_t k = 0; k < n; ++k) out.insts.push_back({insn[k].address, std::string(insn[k].mnemonic) + " " + insn[k].op_str});
  cs_free(insn, n);
  cs_close(&h);
  for (const isa::TrapRecord& t : buf.traps()) out.traps.push_back({t.offset, t.code.code()});
  return out;
}

TEST_F(LowerSinkTest, SunkLoadCarriesItsTrapRecordToTheUser) {
  Compiled c = CompileAndDisassemble(R"(
function %f(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconst.i64 3
    v4 = ishl v2, v3
    v5 = iadd v0, v4
    v6 = load.i64 v5+16
    v7 = isub v1, v6
    return v7
}
)");
  int found = 0;
  for (const auto& [off, text] : c.insts) {
    if (text.rfind("sub ", 0) != 0 || text.find("qword ptr [") == std::string::npos) continue;
    ++found;
    EXPECT_NE(text.find("*8 + 0x10]"), std::string::npos) << text;
    ASSERT_EQ(c.traps.size(), 1u);
    EXPECT_EQ(c.traps[0].first, off);
    EXPECT_EQ(c.traps[0].second, ir::TrapCode::kHeapOutOfBounds);
  }
  EXPECT_EQ(found, 1);
  for (const auto& [off, text] : c.insts) {
    bool separate_load = text.rfind("mov", 0) == 0 && text.find("ptr [r") != std::string::npos &&
                         text.find("rsp") == std::string::npos;
    EXPECT_FALSE(separate_load) << text;
  }

  Compiled nt = CompileAndDisassemble(R"(
function %f(i64, f32) -> f32 {
block0(v0: i64, v1: f32):
    v2 = load.f32 notrap aligned v0
    v3 = fadd v1, v2
    return v3
}
)");
  bool addss = false;
  for (const auto& [off, text] : nt.insts) {
    addss = addss || (text.rfind("addss xmm", 0) == 0 && text.find("dword ptr [r") != std::string::npos);
  }
  EXPECT_TRUE(addss);
  EXPECT_TRUE(nt.traps.empty());  // notrap: no trap record
}

}  // namespace
}  // namespace lathe::x64
