// The smallest complete use of Lathe as a JIT: build a function with FunctionBuilder (a loop
// summing 0..n-1), compile it for the host with the x86-64 backend, and call it.
// Run: bazel run //examples:jit_sum -- 10
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "absl/status/status.h"
#include "frontend/function_builder.h"
#include "ir/function.h"
#include "ir/printer.h"
#include "module/jit_module.h"

namespace {

using namespace lathe;

// sum(n) = 0 + 1 + ... + (n - 1), written with mutable variables; the builder makes the SSA.
absl::Status BuildSum(ir::Function* f) {
  f->name = ir::ExternalName::TestCase("sum");
  f->signature.params.push_back(ir::AbiParam{ir::kI64});
  f->signature.returns.push_back(ir::AbiParam{ir::kI64});

  frontend::FunctionBuilder b(f);
  frontend::Variable i = b.DeclareVar(ir::kI64), sum = b.DeclareVar(ir::kI64);
  ir::Block entry = b.CreateBlock(), header = b.CreateBlock(), body = b.CreateBlock(),
            exit = b.CreateBlock();
  b.AppendEntryParams(entry);
  b.SwitchToBlock(entry);
  b.SealBlock(entry);
  ir::Value n = f->dfg.block_params(entry)[0];
  b.DefVar(i, b.Iconst(ir::kI64, 0));
  b.DefVar(sum, b.Iconst(ir::kI64, 0));
  b.Jump(header);

  b.SwitchToBlock(header);  // sealed after the back edge exists
  b.Brif(b.Icmp(ir::IntCC::kSlt, b.UseVar(i), n), body, {}, exit, {});

  b.SwitchToBlock(body);
  b.SealBlock(body);
  b.DefVar(sum, b.Binary(ir::Opcode::kIadd, b.UseVar(sum), b.UseVar(i)));
  b.DefVar(i, b.Binary(ir::Opcode::kIadd, b.UseVar(i), b.Iconst(ir::kI64, 1)));
  b.Jump(header);
  b.SealBlock(header);

  b.SwitchToBlock(exit);
  b.SealBlock(exit);
  b.Return({b.UseVar(sum)});
  return b.Finalize();
}

}  // namespace

int main(int argc, char** argv) {
  int64_t n = argc > 1 ? std::strtoll(argv[1], nullptr, 10) : 10;
  ir::Function f;
  if (absl::Status s = BuildSum(&f); !s.ok()) {
    std::fprintf(stderr, "build: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  std::printf("%s\n", ir::PrintFunction(f).c_str());

  const ir::Function* functions[] = {&f};
  auto jit = module::JitModule::Create(functions, isa::OptLevel::kSpeed);
  if (!jit.ok()) {
    std::fprintf(stderr, "jit: %s\n", std::string(jit.status().message()).c_str());
    return 1;
  }
  auto result = (*jit)->Call(0, {static_cast<uint64_t>(n)});
  if (!result.ok()) {
    std::fprintf(stderr, "call: %s\n", std::string(result.status().message()).c_str());
    return 1;
  }
  std::printf("sum(%lld) = %lld (%u bytes of x86-64)\n", static_cast<long long>(n),
              static_cast<long long>(result->values[0]), (*jit)->code_size(0));
  return 0;
}
