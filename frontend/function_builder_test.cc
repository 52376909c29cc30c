#include "frontend/function_builder.h"

#include <string>

#include "frontend/switch.h"
#include "gtest/gtest.h"
#include "ir/printer.h"
#include "ir/verifier.h"

namespace lathe::frontend {
namespace {

using ir::Block;
using ir::IntCC;
using ir::kI32;
using ir::kI64;
using ir::Opcode;
using ir::Value;

ir::Function MakeFunction(const char* name, std::vector<ir::Type> params, std::vector<ir::Type> rets) {
  ir::Function f;
  f.name = ir::ExternalName::TestCase(name);
  for (ir::Type t : params) f.signature.params.push_back(ir::AbiParam{t});
  for (ir::Type t : rets) f.signature.returns.push_back(ir::AbiParam{t});
  return f;
}

std::string VerifyErrors(const ir::Function& f) {
  std::string out;
  for (const auto& e : ir::Verify(f)) out += ir::FormatVerifierError(f, e) + "\n";
  return out;
}

// sum = 0; for (i = 0; i < n; i++) sum += i; return sum;
TEST(FunctionBuilder, LoopGetsOneParameterPerLoopCarriedVariable) {
  ir::Function f = MakeFunction("sum", {kI32}, {kI32});
  FunctionBuilder b(&f);
  Variable i = b.DeclareVar(kI32), sum = b.DeclareVar(kI32), n = b.DeclareVar(kI32);
  Block entry = b.CreateBlock(), header = b.CreateBlock(), body = b.CreateBlock(), exit = b.CreateBlock();
  b.AppendEntryParams(entry);
  b.SwitchToBlock(entry);
  b.SealBlock(entry);
  b.DefVar(n, f.dfg.block_params(entry)[0]);
  b.DefVar(i, b.Iconst(kI32, 0));
  b.DefVar(sum, b.Iconst(kI32, 0));
  b.Jump(header);
  b.SwitchToBlock(header);
  Value c = b.Icmp(IntCC::kSlt, b.UseVar(i), b.UseVar(n));
  b.Brif(c, body, {}, exit, {});
  b.SwitchToBlock(body);
  b.SealBlock(body);
  b.DefVar(sum, b.Binary(Opcode::kIadd, b.UseVar(sum), b.UseVar(i)));
  b.DefVar(i, b.Binary(Opcode::kIadd, b.UseVar(i), b.Iconst(kI32, 1)));
  b.Jump(header);
  b.SealBlock(header);
  b.SwitchToBlock(exit);
  b.SealBlock(exit);
  Value r = b.UseVar(sum);
  b.Return({r});
  ASSERT_TRUE(b.Finalize().ok());
  EXPECT_EQ(VerifyErrors(f), "");
  EXPECT_EQ(ir::PrintFunction(f), R"(function %sum(i32) -> i32 fast {
block0(v0: i32):
    v1 = iconst.i32 0
    v2 = iconst.i32 0
    jump block1(v1, v2)  ; v1 = 0, v2 = 0

block1(v4: i32, v6: i32):
    v5 = icmp slt v4, v0
    brif v5, block2, block3

block2:
    v7 = iadd.i32 v6, v4
    v8 = iconst.i32 1
    v9 = iadd.i32 v4, v8  ; v8 = 1
    jump block1(v9, v7)

block3:
    return v6
}
)");
}

// x = a; if (a > 0) { if (a > 10) x = 10; else x = a + 1; } return x;
TEST(FunctionBuilder, NestedIfsMergeOnlyWhereDefinitionsDiffer) {
  ir::Function f = MakeFunction("clamp", {kI32}, {kI32});
  FunctionBuilder b(&f);
  Variable x = b.DeclareVar(kI32), a = b.DeclareVar(kI32);
  Block entry = b.CreateBlock(), outer_then = b.CreateBlock(), inner_then = b.CreateBlock(),
        inner_else = b.CreateBlock(), inner_join = b.CreateBlock(), join = b.CreateBlock();
  b.AppendEntryParams(entry);
  b.SwitchToBlock(entry);
  b.SealBlock(entry);
  b.DefVar(a, f.dfg.block_params(entry)[0]);
  b.DefVar(x, b.UseVar(a));
  b.Brif(b.Icmp(IntCC::kSgt, b.UseVar(a), b.Iconst(kI32, 0)), outer_then, {}, join, {});
  b.SwitchToBlock(outer_then);
  b.SealBlock(outer_then);
  b.Brif(b.Icmp(IntCC::kSgt, b.UseVar(a), b.Iconst(kI32, 10)), inner_then, {}, inner_else, {});
  b.SwitchToBlock(inner_then);
  b.SealBlock(inner_then);
  b.DefVar(x, b.Iconst(kI32, 10));
  b.Jump(inner_join);
  b.SwitchToBlock(inner_else);
  b.SealBlock(inner_else);
  b.DefVar(x, b.Binary(Opcode::kIadd, b.UseVar(a), b.Iconst(kI32, 1)));
  b.Jump(inner_join);
  b.SwitchToBlock(inner_join);
  b.SealBlock(inner_join);
  b.Jump(join);
  b.SwitchToBlock(join);
  b.SealBlock(join);
  b.Return({b.UseVar(x)});
  ASSERT_TRUE(b.Finalize().ok());
  EXPECT_EQ(VerifyErrors(f), "");
  EXPECT_EQ(ir::PrintFunction(f), R"(function %clamp(i32) -> i32 fast {
block0(v0: i32):
    v1 = iconst.i32 0
    v2 = icmp sgt v0, v1  ; v1 = 0
    brif v2, block1, block5(v0)

block1:
    v3 = iconst.i32 10
    v4 = icmp.i32 sgt v0, v3  ; v3 = 10
    brif v4, block2, block3

block2:
    v5 = iconst.i32 10
    jump block4(v5)  ; v5 = 10

block3:
    v6 = iconst.i32 1
    v7 = iadd.i32 v0, v6  ; v6 = 1
    jump block4(v7)

block4(v9: i32):
    jump block5(v9)

block5(v8: i32):
    return v8
}
)");
}

// A variable defined once before a loop and only read inside it needs no block parameter,
// even though the loop header was unsealed when it was first read (a provisional parameter
// is created and then found redundant).
TEST(FunctionBuilder, RemovesRedundantLoopParameters) {
  ir::Function f = MakeFunction("inv", {kI64}, {});
  FunctionBuilder b(&f);
  Variable k = b.DeclareVar(kI64), p = b.DeclareVar(kI64);
  Block entry = b.CreateBlock(), header = b.CreateBlock(), exit = b.CreateBlock();
  b.AppendEntryParams(entry);
  b.SwitchToBlock(entry);
  b.SealBlock(entry);
  b.DefVar(k, b.Iconst(kI64, 7));
  b.DefVar(p, f.dfg.block_params(entry)[0]);
  b.Jump(header);
  b.SwitchToBlock(header);
  Value sum = b.Binary(Opcode::kIadd, b.UseVar(p), b.UseVar(k));
  b.DefVar(p, sum);
  b.Brif(b.Icmp(IntCC::kEq, sum, b.UseVar(k)), exit, {}, header, {});
  b.SealBlock(header);
  b.SwitchToBlock(exit);
  b.SealBlock(exit);
  b.Return({});
  ASSERT_TRUE(b.Finalize().ok());
  EXPECT_EQ(VerifyErrors(f), "");
  EXPECT_EQ(ir::PrintFunction(f), R"(function %inv(i64) fast {
block0(v0: i64):
    v1 = iconst.i64 7
    jump block1(v0)

block1(v3: i64):
    v4 = iadd v3, v1  ; v1 = 7
    v5 = icmp eq v4, v1  ; v1 = 7
    brif v5, block2, block1(v4)

block2:
    return
}
)");
}

ir::Function BuildSwitch(std::vector<uint64_t> keys, ir::Type t) {
  ir::Function f = MakeFunction("sw", {t}, {kI32});
  FunctionBuilder b(&f);
  Block entry = b.CreateBlock(), otherwise = b.CreateBlock();
  b.AppendEntryParams(entry);
  b.SwitchToBlock(entry);
  b.SealBlock(entry);
  Switch sw;
  std::vector<Block> targets;
  for (uint64_t k : keys) {
    targets.push_back(b.CreateBlock());
    sw.SetEntry(k, targets.back());
  }
  sw.Emit(b, f.dfg.block_params(entry)[0], otherwise);
  for (size_t i = 0; i < targets.size(); ++i) {
    b.SwitchToBlock(targets[i]);
    b.SealBlock(targets[i]);
    b.Return({b.Iconst(kI32, static_cast<int64_t>(i + 1))});
  }
  b.SwitchToBlock(otherwise);
  b.SealBlock(otherwise);
  b.Return({b.Iconst(kI32, 0)});
  EXPECT_TRUE(b.Finalize().ok());
  return f;
}

TEST(Switch, DenseKeysBecomeOneBrTable) {
  ir::Function f = BuildSwitch({3, 4, 5, 6, 7}, kI32);
  EXPECT_EQ(VerifyErrors(f), "");
  EXPECT_EQ(ir::PrintFunction(f), R"(function %sw(i32) -> i32 fast {
block0(v0: i32):
    v1 = iconst.i32 3
    v2 = isub v0, v1  ; v1 = 3
    br_table v2, block1, [block2, block3, block4, block5, block6]

block2:
    v3 = iconst.i32 1
    return v3  ; v3 = 1

block3:
    v4 = iconst.i32 2
    return v4  ; v4 = 2

block4:
    v5 = iconst.i32 3
    return v5  ; v5 = 3

block5:
    v6 = iconst.i32 4
    return v6  ; v6 = 4

block6:
    v7 = iconst.i32 5
    return v7  ; v7 = 5

block1:
    v8 = iconst.i32 0
    return v8  ; v8 = 0
}
)");
}

TEST(Switch, SparseKeysBecomeACompareTree) {
  ir::Function f = BuildSwitch({1000, 1, 100}, kI64);
  EXPECT_EQ(VerifyErrors(f), "");
  EXPECT_EQ(ir::PrintFunction(f), R"(function %sw(i64) -> i32 fast {
block0(v0: i64):
    v1 = iconst.i64 100
    v2 = icmp ult v0, v1  ; v1 = 100
    brif v2, block5, block6

block5:
    v3 = iconst.i64 1
    v4 = icmp.i64 eq v0, v3  ; v3 = 1
    brif v4, block3, block1

block6:
    v5 = iconst.i64 1000
    v6 = icmp.i64 ult v0, v5  ; v5 = 1000
    brif v6, block7, block8

block7:
    v7 = iconst.i64 100
    v8 = icmp.i64 eq v0, v7  ; v7 = 100
    brif v8, block4, block1

block8:
    v9 = iconst.i64 1000
    v10 = icmp.i64 eq v0, v9  ; v9 = 1000
    brif v10, block2, block1

block2:
    v11 = iconst.i32 1
    return v11  ; v11 = 1

block3:
    v12 = iconst.i32 2
    return v12  ; v12 = 2

block4:
    v13 = iconst.i32 3
    return v13  ; v13 = 3

block1:
    v14 = iconst.i32 0
    return v14  ; v14 = 0
}
)");
}

TEST(Switch, WideScrutineeIsRangeCheckedBeforeTheTable) {
  ir::Function f = BuildSwitch({0, 1, 2, 3}, kI64);
  EXPECT_EQ(VerifyErrors(f), "");
  EXPECT_EQ(ir::PrintFunction(f), R"(function %sw(i64) -> i32 fast {
block0(v0: i64):
    v1 = iconst.i64 4
    v2 = icmp ult v0, v1  ; v1 = 4
    brif v2, block6, block1

block6:
    v3 = ireduce.i32 v0
    br_table v3, block1, [block2, block3, block4, block5]

block2:
    v4 = iconst.i32 1
    return v4  ; v4 = 1

block3:
    v5 = iconst.i32 2
    return v5  ; v5 = 2

block4:
    v6 = iconst.i32 3
    return v6  ; v6 = 3

block5:
    v7 = iconst.i32 4
    return v7  ; v7 = 4

block1:
    v8 = iconst.i32 0
    return v8  ; v8 = 0
}
)");
}

TEST(FunctionBuilder, CallsLoadsAndStores) {
  ir::Function f = MakeFunction("mem", {kI64}, {ir::kF64});
  ir::Signature callee_sig;
  callee_sig.params.push_back(ir::AbiParam{ir::kF64});
  callee_sig.returns.push_back(ir::AbiParam{ir::kF64});
  ir::SigRef sig = f.AddSignature(callee_sig, true);
  ir::FuncRef sqrt_fn = f.ImportFunction(ir::ExternalName::User(0, 7), sig);
  ir::StackSlot slot = f.CreateStackSlot(8, 3);
  FunctionBuilder b(&f);
  Block entry = b.CreateBlock();
  b.AppendEntryParams(entry);
  b.SwitchToBlock(entry);
  b.SealBlock(entry);
  ir::MemFlags flags;
  flags.set(ir::MemFlags::kAligned);
  flags.trap = ir::TrapCode();
  Value p = f.dfg.block_params(entry)[0];
  Value x = b.Load(ir::kF64, flags, p, 16);
  Value y = b.Binary(Opcode::kFadd, x, b.F64const(1.5));
  Value addr = b.StackAddr(kI64, slot);
  b.Store(flags, y, addr);
  auto r = b.Call(sqrt_fn, {y});
  ASSERT_EQ(r.size(), 1u);
  b.Return({r[0]});
  ASSERT_TRUE(b.Finalize().ok());
  EXPECT_EQ(VerifyErrors(f), "");
  EXPECT_EQ(ir::PrintFunction(f), R"(function %mem(i64) -> f64 fast {
    ss0 = explicit_slot 8, align = 8
    sig0 = (f64) -> f64 fast
    fn0 = u0:7 sig0

block0(v0: i64):
    v1 = load.f64 notrap aligned v0+16
    v2 = f64const 0x1.8000000000000p0
    v3 = fadd v1, v2  ; v2 = 0x1.8000000000000p0
    v4 = stack_addr.i64 ss0
    store notrap aligned v3, v4
    v5 = call fn0(v3)
    return v5
}
)");
}

TEST(FunctionBuilder, UseBeforeDefinitionIsAnError) {
  ir::Function f = MakeFunction("bad", {}, {kI32});
  FunctionBuilder b(&f);
  Variable v = b.DeclareVar(kI32);
  Block entry = b.CreateBlock();
  b.SwitchToBlock(entry);
  b.SealBlock(entry);
  b.UseVar(v);
  b.Return({});
  absl::Status s = b.Finalize();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("used before it is defined"), std::string::npos) << s;
}

TEST(FunctionBuilder, EmittingAfterATerminatorIsAnError) {
  ir::Function f = MakeFunction("bad", {}, {});
  FunctionBuilder b(&f);
  Block entry = b.CreateBlock();
  b.SwitchToBlock(entry);
  b.SealBlock(entry);
  b.Return({});
  b.Iconst(kI32, 1);
  absl::Status s = b.Finalize();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("already ends in a terminator"), std::string::npos) << s;
}

TEST(FunctionBuilder, MalformedEmitRequestsAreErrors) {
  ir::Function f = MakeFunction("bad", {kI32}, {});
  FunctionBuilder b(&f);
  Block entry = b.CreateBlock(), other = b.CreateBlock();
  b.AppendEntryParams(entry);
  b.SwitchToBlock(entry);
  b.SealBlock(entry);
  ir::InstData brif;
  brif.opcode = Opcode::kBrif;
  FunctionBuilder::Target t{other, {}};
  EXPECT_FALSE(b.Emit(brif, {f.dfg.block_params(entry)[0]}, {t}).valid());  // one target, not two
  absl::Status s = b.Finalize();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("wrong number of branch targets"), std::string::npos) << s;

  ir::Function g = MakeFunction("bad2", {}, {});
  FunctionBuilder c(&g);
  Block e2 = c.CreateBlock();
  c.SwitchToBlock(e2);
  c.SealBlock(e2);
  ir::InstData call;
  call.opcode = Opcode::kCall;
  call.entity = 5;  // no such function
  EXPECT_FALSE(c.Emit(call, {}, {}).valid());
  EXPECT_NE(c.Finalize().message().find("invalid function reference"), std::string::npos);
}

TEST(FunctionBuilder, UnsealedBlockIsReported) {
  ir::Function f = MakeFunction("bad", {}, {});
  FunctionBuilder b(&f);
  Block entry = b.CreateBlock();
  b.SwitchToBlock(entry);
  b.Return({});
  absl::Status s = b.Finalize();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("never sealed"), std::string::npos) << s;
}

TEST(FunctionBuilder, DeepChainOfBlocksDoesNotRecurse) {
  // A variable read 20000 single-predecessor blocks below its definition.
  ir::Function f = MakeFunction("deep", {}, {kI32});
  FunctionBuilder b(&f);
  Variable v = b.DeclareVar(kI32);
  Block prev = b.CreateBlock();
  b.SwitchToBlock(prev);
  b.SealBlock(prev);
  b.DefVar(v, b.Iconst(kI32, 42));
  for (int i = 0; i < 20000; ++i) {
    Block next = b.CreateBlock();
    b.Jump(next);
    b.SwitchToBlock(next);
    b.SealBlock(next);
  }
  Value r = b.UseVar(v);
  b.Return({r});
  ASSERT_TRUE(b.Finalize().ok());
  EXPECT_EQ(f.dfg.value(r).kind, ir::ValueData::kResult);
  EXPECT_EQ(VerifyErrors(f), "");
}

}  // namespace
}  // namespace lathe::frontend
