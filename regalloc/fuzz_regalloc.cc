// libFuzzer entry point for the register allocator.
//
// Input byte 0 selects a mode. Even: the next bytes seed the random-program generator and its
// options; both allocators must succeed and the checker must accept both allocations. Odd: the
// bytes are decoded directly into a Function (often malformed); Allocate must return without
// crashing, and any allocation it does return must pass the checker. A failure aborts, which is
// what libFuzzer reports. See docs/regalloc.md for building with clang -fsanitize=fuzzer.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "regalloc/checker.h"
#include "regalloc/print.h"
#include "regalloc/random_program.h"
#include "regalloc/regalloc.h"

namespace lathe::regalloc {
namespace {

class Bytes {
 public:
  Bytes(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Next() { return pos_ < size_ ? data_[pos_++] : 0; }
  uint32_t Below(uint32_t n) { return n == 0 ? 0 : Next() % n; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void Die(const char* what, const absl::Status& s, const Function& fn, const Allocation* alloc) {
  std::fprintf(stderr, "regalloc fuzz: %s: %s\n%s", what, s.ToString().c_str(),
               FunctionToString(fn, alloc).c_str());
  std::abort();
}

void AllocateAndCheck(const Function& fn, const MachineEnv& env, bool must_succeed) {
  static RegisterAllocator* ra = new RegisterAllocator();
  Allocation alloc;
  for (Algorithm a : {Algorithm::kSinglePass, Algorithm::kOptimizing}) {
    absl::Status s = ra->Allocate(fn, env, a, &alloc);
    if (!s.ok()) {
      if (must_succeed) Die(AlgorithmName(a), s, fn, nullptr);
      continue;
    }
    absl::Status c = CheckAllocation(fn, env, alloc);
    if (!c.ok()) Die("checker rejected an allocation", c, fn, &alloc);
  }
}

void FromGenerator(Bytes& in) {
  uint64_t seed = 0;
  for (int k = 0; k < 8; ++k) seed = (seed << 8) | in.Next();
  RandomProgramOptions o;
  o.num_blocks = 1 + in.Below(24);
  o.max_insts_per_block = 1 + in.Below(12);
  o.num_int_regs = 4 + in.Below(12);
  o.num_float_regs = 2 + in.Below(8);
  o.scratch = in.Next() & 1;
  o.max_params = in.Below(5);
  o.call_percent = in.Below(40);
  o.fixed_percent = in.Below(40);
  o.reuse_percent = in.Below(60);
  o.late_percent = in.Below(40);
  Function fn;
  MachineEnv env;
  GenerateRandomProgram(seed, o, &fn, &env);
  AllocateAndCheck(fn, env, /*must_succeed=*/true);
}

void FromRawBytes(Bytes& in) {
  MachineEnv env;
  for (int k = 0; k < 4; ++k) env.regs[0].push_back(PReg(RegClass::kInt, k));
  for (int k = 0; k < 2; ++k) env.regs[1].push_back(PReg(RegClass::kFloat, k));
  if (in.Next() & 1) env.scratch[0] = PReg(RegClass::kInt, 5);
  Function fn;
  const uint32_t nb = 1 + in.Below(6);
  fn.num_vregs = in.Below(12);
  for (uint32_t v = 0; v < fn.num_vregs; ++v) fn.vreg_class.push_back(static_cast<RegClass>(in.Below(4) == 3 ? 1 : 0));
  fn.clobber_sets.push_back(PRegSet());
  PRegSet clob;
  clob.Add(PReg(RegClass::kInt, in.Below(6)));
  fn.clobber_sets.push_back(clob);
  fn.edge_args_begin.push_back(0);
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (uint32_t b = 0; b < nb; ++b) {
    Block bl;
    bl.insts_begin = static_cast<uint32_t>(fn.insts.size());
    const uint32_t ni = in.Below(4);
    for (uint32_t i = 0; i < ni; ++i) {
      Inst inst;
      inst.operands_begin = static_cast<uint32_t>(fn.operands.size());
      const uint32_t nops = in.Below(4);
      for (uint32_t k = 0; k < nops; ++k) {
        const uint32_t v = in.Below(fn.num_vregs + 2);
        const RegClass c = static_cast<RegClass>(in.Below(3));
        const uint8_t kind = in.Next();
        const Constraint con = static_cast<Constraint>(kind % 6);
        const OperandPos pos = (kind & 0x40) ? OperandPos::kLate : OperandPos::kEarly;
        if (con == Constraint::kFixedReg) {
          const PReg r = PReg::FromIndex(in.Next());
          fn.operands.push_back((kind & 0x80) ? Operand::FixedDef(v, r, pos) : Operand::FixedUse(v, r, pos));
        } else if (con == Constraint::kReuse) {
          fn.operands.push_back(Operand::ReuseDef(v, c, in.Next() % 4));
        } else {
          fn.operands.push_back((kind & 0x80) ? Operand::Def(v, c, con, pos) : Operand::Use(v, c, con, pos));
        }
      }
      inst.operands_end = static_cast<uint32_t>(fn.operands.size());
      inst.clobbers = in.Below(3);
      inst.flags = static_cast<uint8_t>(i + 1 == ni ? 1 + in.Below(2) : in.Below(8) == 0 ? 1 : 0);
      fn.insts.push_back(inst);
    }
    bl.insts_end = static_cast<uint32_t>(fn.insts.size());
    bl.params_begin = static_cast<uint32_t>(fn.params.size());
    for (uint32_t p = in.Below(3); p > 0; --p) fn.params.push_back(in.Below(fn.num_vregs + 1));
    bl.params_end = static_cast<uint32_t>(fn.params.size());
    bl.succs_begin = static_cast<uint32_t>(fn.succs.size());
    if (!fn.insts.empty() && (fn.insts.back().flags & kInstBranch)) {
      for (uint32_t s = 1 + in.Below(2); s > 0; --s) {
        const uint32_t to = in.Below(nb + 1);
        fn.succs.push_back(to);
        edges.push_back({b, to});
        for (uint32_t a = in.Below(3); a > 0; --a) fn.edge_args.push_back(in.Below(fn.num_vregs + 1));
        fn.edge_args_begin.push_back(static_cast<uint32_t>(fn.edge_args.size()));
      }
    }
    bl.succs_end = static_cast<uint32_t>(fn.succs.size());
    fn.blocks.push_back(bl);
  }
  // Predecessors: usually consistent with the successors, sometimes not.
  const bool consistent = in.Below(8) != 0;
  for (uint32_t b = 0; b < nb; ++b) {
    fn.blocks[b].preds_begin = static_cast<uint32_t>(fn.preds.size());
    for (const auto& e : edges) {
      if (e.second == b && (consistent || in.Below(4) != 0)) fn.preds.push_back(e.first);
    }
    fn.blocks[b].preds_end = static_cast<uint32_t>(fn.preds.size());
  }
  AllocateAndCheck(fn, env, /*must_succeed=*/false);
}

}  // namespace
}  // namespace lathe::regalloc

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lathe::regalloc::Bytes in(data, size);
  if (in.Next() & 1) {
    lathe::regalloc::FromRawBytes(in);
  } else {
    lathe::regalloc::FromGenerator(in);
  }
  return 0;
}
