// Golden test of the worked example in docs/isel-dsl.md: the toy two-instruction target's
// lowering rules (testdata/toy_lowering.isel), compiled by dslc at build time and linked with a
// context that holds a tiny IR and records the instructions the rules emit.
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "isel/dsl/toy_lowering_rules.h"

namespace {

using toy::Reg;
using toy::Value;
using toy::rules::Opcode;

struct Inst {
  Opcode op;
  int64_t imm = 0;
  Value a, b;
};

class ToyLowering : public toy::rules::Context {
 public:
  Value Param() { return Push({Opcode::Param, 0, {}, {}}); }
  Value Iconst(int64_t k) { return Push({Opcode::Iconst, k, {}, {}}); }
  Value Iadd(Value a, Value b) { return Push({Opcode::Iadd, 0, a, b}); }

  void value_opcode(const Value& v, Opcode* out) override { *out = insts_[v.index].op; }
  bool value_iconst_imm(const Value& v, int64_t* k) override {
    if (insts_[v.index].op != Opcode::Iconst) return false;
    *k = insts_[v.index].imm;
    return true;
  }
  bool value_binary_args(const Value& v, Value* a, Value* b) override {
    if (insts_[v.index].op != Opcode::Iadd) return false;
    *a = insts_[v.index].a;
    *b = insts_[v.index].b;
    return true;
  }
  std::optional<int32_t> imm12_from_i64(int64_t k) override {
    if (k < -2048 || k > 2047) return std::nullopt;
    return static_cast<int32_t>(k);
  }
  Reg emit_add(const Reg& a, const Reg& b) override {
    Reg d = NewReg();
    code.push_back(absl::StrCat("add r", d.number, ", r", a.number, ", r", b.number));
    return d;
  }
  Reg emit_addi(const Reg& a, int32_t imm) override {
    Reg d = NewReg();
    code.push_back(absl::StrCat("addi r", d.number, ", r", a.number, ", ", imm));
    return d;
  }
  // Operands: parameters live in registers already; anything else is lowered on demand.
  Reg put_in_reg(const Value& v) override {
    if (insts_[v.index].op == Opcode::Param) return Reg{100 + v.index};
    std::optional<Reg> r = toy::rules::lower(*this, v);
    if (!r) {
      code.push_back(absl::StrCat("<cannot lower v", v.index, ">"));
      return Reg{-1};
    }
    return *r;
  }

  std::vector<std::string> code;

 private:
  Value Push(Inst i) {
    insts_.push_back(i);
    return Value{static_cast<int32_t>(insts_.size() - 1)};
  }
  Reg NewReg() { return Reg{next_reg_++}; }
  std::vector<Inst> insts_;
  int next_reg_ = 1;
};

TEST(ToyLowering, AddOfTwoRegisters) {
  ToyLowering t;
  Value a = t.Param(), b = t.Param();
  std::optional<Reg> r = toy::rules::lower(t, t.Iadd(a, b));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->number, 1);
  EXPECT_EQ(t.code, (std::vector<std::string>{"add r1, r100, r101"}));
}

TEST(ToyLowering, SmallConstantOnTheRightBecomesAddi) {
  ToyLowering t;
  Value a = t.Param();
  ASSERT_TRUE(toy::rules::lower(t, t.Iadd(a, t.Iconst(5))).has_value());
  EXPECT_EQ(t.code, (std::vector<std::string>{"addi r1, r100, 5"}));
}

TEST(ToyLowering, SmallConstantOnTheLeftBecomesAddi) {
  ToyLowering t;
  Value c = t.Iconst(-7);
  Value a = t.Param();
  ASSERT_TRUE(toy::rules::lower(t, t.Iadd(c, a)).has_value());
  EXPECT_EQ(t.code, (std::vector<std::string>{"addi r1, r101, -7"}));
}

TEST(ToyLowering, TwoConstantsPreferTheHigherPriorityRule) {
  ToyLowering t;
  // Priority 2 (constant on the left) wins over priority 1: the right operand is materialized.
  ASSERT_TRUE(toy::rules::lower(t, t.Iadd(t.Iconst(7), t.Iconst(9))).has_value());
  EXPECT_EQ(t.code, (std::vector<std::string>{"addi r1, r0, 9", "addi r2, r1, 7"}));
}

TEST(ToyLowering, WideConstantFallsBackToAdd) {
  ToyLowering t;
  Value a = t.Param();
  Value big = t.Iconst(5000);
  ASSERT_TRUE(toy::rules::lower(t, t.Iadd(a, big)).has_value());
  // The if-let of the priority-1 rule fails, so the priority-0 rule (add) fires.
  EXPECT_EQ(t.code, (std::vector<std::string>{"<cannot lower v1>", "add r1, r100, r-1"}));
}

TEST(ToyLowering, WideConstantAloneHasNoLowering) {
  ToyLowering t;
  EXPECT_FALSE(toy::rules::lower(t, t.Iconst(4096)).has_value());
  EXPECT_TRUE(t.code.empty());
}

TEST(ToyLowering, ParameterAloneHasNoLowering) {
  ToyLowering t;
  EXPECT_FALSE(toy::rules::lower(t, t.Param()).has_value());
}

std::string ReadRunfile(const std::string& path) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* ws = std::getenv("TEST_WORKSPACE");
  std::ifstream in(std::string(srcdir ? srcdir : ".") + "/" + (ws ? ws : "lathe") + "/" + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ToyLowering, ReferenceDocShowsTheseExactRules) {
  std::string rules = ReadRunfile("isel/dsl/testdata/toy_lowering.isel");
  std::string doc = ReadRunfile("docs/isel-dsl.md");
  ASSERT_GT(rules.size(), 500u);
  EXPECT_NE(doc.find("```lisp\n" + rules + "```"), std::string::npos)
      << "docs/isel-dsl.md must quote isel/dsl/testdata/toy_lowering.isel verbatim";
}

}  // namespace
