// Differential test of the x86-64 lowering's memory operands and dead-code skipping: random
// functions over a stack slot (loads and stores through iadd/ishl/iconst address arithmetic,
// loads feeding ALU ops, compares and extensions, stores between loads and their users,
// unused values, a diamond with a fused compare) run natively with both register allocators
// and must return what the reference interpreter returns. Seeds are fixed, so a failure
// names a reproducible program (printed with the failure).
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "module/jit_module.h"
#include "testsuite/interp/interpreter.h"

namespace lathe {
namespace {

constexpr int kSlotBytes = 192;

// One random function `%fN(i64, i64, i64) -> i64`. Every address stays inside the slot:
// index (0..7) << (0..3) + constant (0..64) + offset (0..56) + 8 bytes <= 184.
class ProgramGenerator {
 public:
  explicit ProgramGenerator(uint32_t seed) : rng_(seed) {}

  std::string Function(const std::string& name) {
    body_.clear();
    next_ = 4;
    i64_ = {0, 1, 2};
    Line("v3 = stack_addr.i64 ss0");
    for (int off = 0; off < kSlotBytes; off += 8) {
      Line(absl::StrCat("store v", Fresh(), ", v3+", off));
    }
    const int steps = 12 + Rand(20);
    for (int s = 0; s < steps; ++s) Step();
    // A diamond: a compare fused into the branch, a value computed on each side.
    uint32_t a = Pick(), b = Pick();
    uint32_t c = Def(absl::StrCat("icmp ", Cond(), " v", a, ", v", b));
    Line(absl::StrCat("brif v", c, ", block1, block2"));
    body_ += "block1:\n";
    uint32_t t = LoadAt("i64");
    uint32_t tv = Def(absl::StrCat("iadd v", t, ", v", Pick()));
    Line(absl::StrCat("jump block3(v", tv, ")"));
    body_ += "block2:\n";
    uint32_t e = Def(absl::StrCat("bxor v", Pick(), ", v", Pick()));
    Line(absl::StrCat("jump block3(v", e, ")"));
    uint32_t r = next_++;
    body_ += absl::StrCat("block3(v", r, ": i64):\n");
    uint32_t out = Def(absl::StrCat("bxor v", r, ", v", Pick()));
    Line(absl::StrCat("return v", out));
    return absl::StrCat("function %", name, "(i64, i64, i64) -> i64 {\n    ss0 = explicit_slot ", kSlotBytes,
                        "\nblock0(v0: i64, v1: i64, v2: i64):\n", body_, "}\n");
  }

 private:
  int Rand(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  uint32_t Pick() { return i64_[Rand(static_cast<int>(i64_.size()))]; }
  const char* Cond() {
    static const char* const kConds[] = {"eq", "ne", "slt", "sge", "sgt", "sle", "ult", "uge", "ugt", "ule"};
    return kConds[Rand(10)];
  }
  void Line(const std::string& s) { absl::StrAppend(&body_, "    ", s, "\n"); }
  uint32_t Def(const std::string& rhs) {
    uint32_t v = next_++;
    Line(absl::StrCat("v", v, " = ", rhs));
    return v;
  }
  uint32_t Const(int64_t k) { return Def(absl::StrCat("iconst.i64 ", k)); }
  // A value unlike those already in memory.
  uint32_t Fresh() { return Def(absl::StrCat("iadd v", Pick(), ", v", Const(Rand(1 << 30) + 1))); }
  // An in-bounds address: base + (index << k) [+ constant], and a static offset.
  std::pair<uint32_t, int> Address() {
    uint32_t idx = Def(absl::StrCat("band v", Pick(), ", v", Const(7)));
    uint32_t shifted = Def(absl::StrCat("ishl v", idx, ", v", Const(Rand(4))));
    uint32_t addr = Rand(2) ? Def(absl::StrCat("iadd v3, v", shifted)) : Def(absl::StrCat("iadd v", shifted, ", v3"));
    if (Rand(2)) addr = Def(absl::StrCat("iadd v", addr, ", v", Const(8 * Rand(9))));
    return {addr, 4 * Rand(15)};
  }
  uint32_t LoadAt(const char* type) {
    auto [addr, off] = Address();
    return Def(absl::StrCat("load.", type, Rand(4) == 0 ? " notrap" : "", " v", addr, "+", off));
  }
  void Step() {
    static const char* const kAlu[] = {"iadd", "isub", "band", "bor", "bxor", "imul"};
    switch (Rand(8)) {
      case 0: {  // a load feeding an ALU op, maybe with a store in between (often to it)
        auto [addr, off] = Address();
        uint32_t l = Def(absl::StrCat("load.i64 v", addr, "+", off));
        if (Rand(2) == 0) {
          Line(absl::StrCat("store v", Fresh(), ", v", addr, "+", off));
        } else if (Rand(2) == 0) {
          Store();
        }
        uint32_t other = Pick();
        const char* op = kAlu[Rand(6)];
        i64_.push_back(Rand(2) ? Def(absl::StrCat(op, " v", other, ", v", l)) : Def(absl::StrCat(op, " v", l, ", v", other)));
        break;
      }
      case 1: {  // a 32-bit load compared, the flag widened
        uint32_t l = LoadAt("i32");
        uint32_t n = Def(absl::StrCat("ireduce.i32 v", Pick()));
        uint32_t c = Rand(2) ? Def(absl::StrCat("icmp ", Cond(), " v", l, ", v", n))
                             : Def(absl::StrCat("icmp ", Cond(), " v", n, ", v", l));
        i64_.push_back(Def(absl::StrCat("uextend.i64 v", c)));
        break;
      }
      case 2: {  // an extended narrow load
        const char* types[] = {"i8", "i16", "i32"};
        uint32_t l = LoadAt(types[Rand(3)]);
        i64_.push_back(Def(absl::StrCat(Rand(2) ? "sextend" : "uextend", ".i64 v", l)));
        break;
      }
      case 3: Store(); break;
      case 4: {  // unused values, one of them a trapping-free chain
        uint32_t x = Def(absl::StrCat(kAlu[Rand(6)], " v", Pick(), ", v", Pick()));
        Def(absl::StrCat("iadd v", x, ", v", Const(Rand(100))));
        break;
      }
      case 5: {  // a select on a compare
        uint32_t c = Def(absl::StrCat("icmp ", Cond(), " v", Pick(), ", v", Pick()));
        i64_.push_back(Def(absl::StrCat("select v", c, ", v", Pick(), ", v", Pick())));
        break;
      }
      case 6: i64_.push_back(LoadAt("i64")); break;
      default: i64_.push_back(Def(absl::StrCat(kAlu[Rand(6)], " v", Pick(), ", v", Const(Rand(2000) - 1000)))); break;
    }
  }
  void Store() {
    auto [addr, off] = Address();
    if (Rand(3) == 0) {
      uint32_t n = Def(absl::StrCat("ireduce.i32 v", Pick()));
      Line(absl::StrCat("istore8 v", n, ", v", addr, "+", off));
    } else {
      Line(absl::StrCat("store v", Fresh(), ", v", addr, "+", off));
    }
  }

  std::mt19937 rng_;
  std::string body_;
  uint32_t next_ = 4;
  std::vector<uint32_t> i64_;  // i64 values defined so far in block0
};

TEST(X64MemoryOperandsFuzz, NativeAgreesWithInterpreter) {
  constexpr int kFunctions = 150;
  std::vector<std::string> texts;
  std::string file;
  for (int f = 0; f < kFunctions; ++f) {
    ProgramGenerator gen(1000u + static_cast<uint32_t>(f));
    texts.push_back(gen.Function(absl::StrCat("f", f)));
    file += texts.back();
  }
  absl::StatusOr<ir::TestFile> parsed = ir::ParseTestFile(file, "fuzz.clif");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  std::vector<const ir::Function*> fns;
  for (const ir::ParsedFunction& pf : parsed->functions) fns.push_back(pf.function.get());
  interp::Interpreter interp(fns);
  const std::vector<std::vector<uint64_t>> inputs = {
      {0, 1, 2}, {0xdeadbeefcafef00dull, 7, ~uint64_t{0}}, {12345, 0x8000000000000000ull, 0x7f}};
  for (isa::OptLevel alg : {isa::OptLevel::kNone, isa::OptLevel::kSpeed}) {
    absl::StatusOr<std::unique_ptr<module::JitModule>> jit = module::JitModule::Create(fns, alg);
    ASSERT_TRUE(jit.ok()) << jit.status();
    for (size_t f = 0; f < fns.size(); ++f) {
      ASSERT_TRUE((*jit)->status(f).ok()) << (*jit)->status(f) << "\n" << texts[f];
      for (const std::vector<uint64_t>& in : inputs) {
        std::vector<interp::u128> args(in.begin(), in.end());
        absl::StatusOr<interp::CallResult> want = interp.CallIndex(f, args);
        ASSERT_TRUE(want.ok()) << want.status() << "\n" << texts[f];
        absl::StatusOr<module::CallOutcome> got = (*jit)->Call(f, in);
        ASSERT_TRUE(got.ok()) << got.status();
        ASSERT_FALSE(want->trapped) << texts[f];
        ASSERT_FALSE(got->trapped) << texts[f];
        EXPECT_EQ(got->values[0], static_cast<uint64_t>(want->values[0]))
            << "allocator " << static_cast<int>(alg) << ", inputs " << in[0] << " " << in[1] << " " << in[2] << "\n"
            << texts[f];
      }
    }
  }
}

}  // namespace
}  // namespace lathe
