// Differential test of the x86-64 SIMD lowering: every vector operation the backend lowers,
// over every lane type it takes, runs natively on random inputs (biased toward edge values:
// zero, all ones, sign bits, extremes, NaNs with payloads, infinities, signed zeros, shift
// amounts beyond the lane width) and must agree bit for bit with the interpreter. Each case runs
// under a bare SSE2 target (the fallback sequences) and under skylake (SSSE3 .. SSE4.2, FMA3);
// under skylake every function must compile, under SSE2 a function may only be refused with an
// error (never miscompiled).
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "ir/parser.h"
#include "ir/test_file.h"
#include "isa/common/opt_level.h"
#include "isa/common/target_registry.h"
#include "isa/targets.h"
#include "module/jit_module.h"
#include "testsuite/interp/interpreter.h"
#include "testsuite/run_values.h"

namespace lathe::testsuite {
namespace {

struct Case {
  std::vector<std::string> params;
  std::string ret;
  std::string body;  // defines v10 from v0, v1, ...
  // Arithmetic NaN results may carry any payload (the hardware propagates an input's, the
  // interpreter gives the canonical NaN): such lanes agree when both are NaN.
  bool any_nan = false;
};

std::vector<Case> Cases() {
  std::vector<Case> c;
  const char* const ints[] = {"i8x16", "i16x8", "i32x4", "i64x2"};
  const char* const floats[] = {"f32x4", "f64x2"};
  for (const char* t : ints) {
    for (const char* op : {"iadd", "isub", "band", "bor", "bxor", "smin", "smax", "umin", "umax"}) {
      c.push_back({{t, t}, t, absl::StrCat("v10 = ", op, " v0, v1")});
    }
    for (const char* cc : {"eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"}) {
      c.push_back({{t, t}, t, absl::StrCat("v10 = icmp ", cc, " v0, v1")});
    }
    for (const char* op : {"ishl", "ushr", "sshr"}) c.push_back({{t, "i32"}, t, absl::StrCat("v10 = ", op, " v0, v1")});
    for (const char* op : {"ineg", "iabs", "bnot"}) c.push_back({{t}, t, absl::StrCat("v10 = ", op, " v0")});
    c.push_back({{t}, "i8", "v10 = vall_true v0"});
    c.push_back({{t}, "i8", "v10 = vany_true v0"});
    c.push_back({{t}, "i64", "v10 = vhigh_bits.i64 v0"});
    c.push_back({{t, t, t}, t, "v10 = bitselect v0, v1, v2"});
    c.push_back({{t}, "i8x16", "v10 = bitcast.i8x16 little v0"});
  }
  for (const char* t : {"i16x8", "i32x4", "i64x2"}) c.push_back({{t, t}, t, "v10 = imul v0, v1"});
  for (const char* t : {"i8x16", "i16x8"}) {
    for (const char* op : {"uadd_sat", "sadd_sat", "usub_sat", "ssub_sat", "avg_round"}) {
      c.push_back({{t, t}, t, absl::StrCat("v10 = ", op, " v0, v1")});
    }
  }
  c.push_back({{"i16x8", "i16x8"}, "i16x8", "v10 = sqmul_round_sat v0, v1"});
  c.push_back({{"i8x16"}, "i8x16", "v10 = popcnt v0"});
  c.push_back({{"i16x8", "i16x8"}, "i16x8", "v10 = iadd_pairwise v0, v1"});
  c.push_back({{"i32x4", "i32x4"}, "i32x4", "v10 = iadd_pairwise v0, v1"});
  // Lanes: splat, extract, insert (every lane of i8x16 and i32x4, the ends of the others).
  const char* const scalar[] = {"i8", "i16", "i32", "i64"};
  for (int k = 0; k < 4; ++k) {
    const char* t = ints[k];
    const int lanes = 16 >> k;
    c.push_back({{scalar[k]}, t, absl::StrCat("v10 = splat.", t, " v0")});
    for (int lane = 0; lane < lanes; ++lane) {
      if (k == 1 && lane != 0 && lane != 7) continue;
      c.push_back({{t}, scalar[k], absl::StrCat("v10 = extractlane v0, ", lane)});
      c.push_back({{t, scalar[k]}, t, absl::StrCat("v10 = insertlane v0, v1, ", lane)});
    }
  }
  for (const char* t : floats) {
    const char* s = t[1] == '3' ? "f32" : "f64";
    const int lanes = t[1] == '3' ? 4 : 2;
    for (const char* op : {"fmin", "fmax", "fcopysign", "band", "bxor"}) c.push_back({{t, t}, t, absl::StrCat("v10 = ", op, " v0, v1")});
    for (const char* op : {"fadd", "fsub", "fmul", "fdiv"}) c.push_back({{t, t}, t, absl::StrCat("v10 = ", op, " v0, v1"), true});
    for (const char* op : {"fneg", "fabs"}) c.push_back({{t}, t, absl::StrCat("v10 = ", op, " v0")});
    for (const char* op : {"sqrt", "floor", "ceil", "trunc", "nearest"}) {
      c.push_back({{t}, t, absl::StrCat("v10 = ", op, " v0"), true});
    }
    for (const char* cc : {"eq", "ne", "lt", "le", "gt", "ge", "ord", "uno", "one", "ueq", "ult", "ule", "ugt", "uge"}) {
      c.push_back({{t, t}, t[1] == '3' ? "i32x4" : "i64x2", absl::StrCat("v10 = fcmp ", cc, " v0, v1")});
    }
    c.push_back({{t, t, t}, t, "v10 = fma v0, v1, v2", true});
    c.push_back({{s}, t, absl::StrCat("v10 = splat.", t, " v0")});
    for (int lane = 0; lane < lanes; ++lane) {
      c.push_back({{t}, s, absl::StrCat("v10 = extractlane v0, ", lane)});
      c.push_back({{t, s}, t, absl::StrCat("v10 = insertlane v0, v1, ", lane)});
    }
  }
  c.push_back({{"f32x4"}, "i32x4", "v10 = fcvt_to_sint_sat.i32x4 v0"});
  c.push_back({{"f32x4"}, "i32x4", "v10 = fcvt_to_uint_sat.i32x4 v0"});
  c.push_back({{"f64x2"}, "i64x2", "v10 = fcvt_to_sint_sat.i64x2 v0"});
  c.push_back({{"f64x2"}, "i64x2", "v10 = fcvt_to_uint_sat.i64x2 v0"});
  c.push_back({{"i32x4"}, "f32x4", "v10 = fcvt_from_sint.f32x4 v0"});
  c.push_back({{"i32x4"}, "f32x4", "v10 = fcvt_from_uint.f32x4 v0"});
  c.push_back({{"i64x2"}, "f64x2", "v10 = fcvt_from_sint.f64x2 v0"});
  c.push_back({{"i64x2"}, "f64x2", "v10 = fcvt_from_uint.f64x2 v0"});
  c.push_back({{"f64x2"}, "f32x4", "v10 = fvdemote v0", true});
  c.push_back({{"f32x4"}, "f64x2", "v10 = fvpromote_low v0", true});
  // Widening, narrowing, byte permutations.
  const char* const wide[] = {"i16x8", "i32x4", "i64x2"};
  for (int k = 0; k < 3; ++k) {
    for (const char* op : {"swiden_low", "swiden_high", "uwiden_low", "uwiden_high"}) {
      c.push_back({{ints[k]}, wide[k], absl::StrCat("v10 = ", op, " v0")});
    }
  }
  for (int k = 0; k < 3; ++k) {
    for (const char* op : {"snarrow", "unarrow", "uunarrow"}) {
      c.push_back({{wide[k], wide[k]}, ints[k], absl::StrCat("v10 = ", op, " v0, v1")});
    }
  }
  // Moves: select, bitcasts through i128, scalar_to_vector, a store and load through a slot.
  for (const char* t : {"i8x16", "i64x2", "f32x4", "f64x2"}) {
    c.push_back({{"i8", t, t}, t, "v10 = select v0, v1, v2"});
    c.push_back({{t}, "i128", "v10 = bitcast.i128 little v0"});
    c.push_back({{"i128"}, t, absl::StrCat("v10 = bitcast.", t, " little v0")});
    c.push_back({{t, t}, t, absl::StrCat("v3 = stack_addr.i64 ss0\n    store v1, v3+16\n    v10 = load.", t, " v3+16")});
  }
  for (int k = 0; k < 4; ++k) c.push_back({{scalar[k]}, ints[k], absl::StrCat("v10 = scalar_to_vector.", ints[k], " v0")});
  const char* const ext_loads[][2] = {{"uload8x8", "i16x8"}, {"sload8x8", "i16x8"}, {"uload16x4", "i32x4"},
                                      {"sload16x4", "i32x4"}, {"uload32x2", "i64x2"}, {"sload32x2", "i64x2"}};
  for (const auto& l : ext_loads) {
    c.push_back({{"i8x16", "i8x16"}, l[1], absl::StrCat("v3 = stack_addr.i64 ss0\n    store v1, v3+8\n    v10 = ", l[0], " v3+12")});
  }
  for (const char* op : {"umulhi", "smulhi"}) c.push_back({{"i16x8", "i16x8"}, "i16x8", absl::StrCat("v10 = ", op, " v0, v1")});
  c.push_back({{"f32"}, "f32x4", "v10 = scalar_to_vector.f32x4 v0"});
  c.push_back({{"f64"}, "f64x2", "v10 = scalar_to_vector.f64x2 v0"});
  c.push_back({{"i8x16", "i8x16"}, "i8x16", "v10 = swizzle v0, v1"});
  c.push_back({{"i8x16", "i8x16"}, "i8x16", "v10 = shuffle v0, v1, [31 0 17 2 19 5 4 21 6 23 30 29 28 9 8 15]"});
  c.push_back({{"i8x16", "i8x16"}, "i8x16", "v10 = shuffle v0, v1, [0 1 2 3 20 21 22 23 8 9 10 11 28 29 30 31]"});
  return c;
}

std::string FileText(const std::vector<Case>& cases) {
  std::string text;
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    std::string params, block_params;
    for (size_t k = 0; k < c.params.size(); ++k) {
      absl::StrAppend(&params, k ? ", " : "", c.params[k]);
      absl::StrAppend(&block_params, k ? ", " : "", "v", k, ": ", c.params[k]);
    }
    absl::StrAppend(&text, "function %f", i, "(", params, ") -> ", c.ret, " {\n    ss0 = explicit_slot 48\nblock0(", block_params, "):\n    ", c.body,
                    "\n    return v10\n}\n");
  }
  return text;
}

// Random lane bits, often an edge value of the lane's type.
uint64_t Lane(std::mt19937_64& rng, ir::Type lane) {
  const int bits = static_cast<int>(lane.lane_bits());
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  const uint64_t sign = uint64_t{1} << (bits - 1);
  const uint64_t r = rng();
  switch (r % 12) {
    case 0: return 0;
    case 1: return mask;
    case 2: return sign;
    case 3: return sign - 1;
    case 4: return (r >> 8) % 70;  // small: counts, shift amounts around the lane width
    case 5:
      if (lane.is_float()) return bits == 32 ? 0x7fc00000u | ((r >> 20) & 0x3fffff) : 0x7ff8000000000000ull;  // NaNs
      return 1;
    case 6:
      if (lane.is_float()) return bits == 32 ? 0xff800001u : 0xfff0000000000001ull;  // signalling, negative
      return mask - 1;
    case 7:
      if (lane.is_float()) return bits == 32 ? 0x7f800000u : 0x7ff0000000000000ull;  // +inf
      return sign + 1;
    case 8:  // floats near integer boundaries: 2^31, 2^32, 0.5, -1.5
      if (lane.is_float()) {
        static constexpr uint32_t f32[] = {0x4f000000, 0x4f800000, 0x3f000000, 0xbfc00000, 0xcf000000};
        static constexpr uint64_t f64[] = {0x41e0000000000000, 0x41f0000000000000, 0x3fe0000000000000,
                                           0xbff8000000000000, 0x43e0000000000000};
        return bits == 32 ? f32[(r >> 8) % 5] : f64[(r >> 8) % 5];
      }
      return (r >> 8) & mask;
    default: return (r >> 4) & mask;
  }
}

bool IsNan(uint64_t bits, int width) {
  return width == 32 ? (bits & 0x7fffffffu) > 0x7f800000u : (bits & ~(uint64_t{1} << 63)) > 0x7ff0000000000000ull;
}

// Bit equality, except that NaN lanes match any NaN when `any_nan`.
bool Agree(interp::u128 a, interp::u128 b, ir::Type t, bool any_nan) {
  if (!any_nan || !t.is_float()) return RunValuesEqual(a, b, t);
  const int bits = static_cast<int>(t.lane_bits());
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  for (uint32_t k = 0; k < t.lane_count(); ++k) {
    const uint64_t x = static_cast<uint64_t>(a >> (k * bits)) & mask, y = static_cast<uint64_t>(b >> (k * bits)) & mask;
    if (x != y && !(IsNan(x, bits) && IsNan(y, bits))) return false;
  }
  return true;
}

interp::u128 Value(std::mt19937_64& rng, ir::Type t) {
  interp::u128 v = 0;
  const int lanes = static_cast<int>(t.lane_count()), bits = static_cast<int>(t.lane_bits());
  if (bits == 128) {  // an i128 or f128 scalar: two 64-bit halves, each edge-biased
    return (static_cast<interp::u128>(Lane(rng, ir::kI64)) << 64) | Lane(rng, ir::kI64);
  }
  for (int k = 0; k < lanes; ++k) v |= static_cast<interp::u128>(Lane(rng, t.lane_type())) << (k * bits);
  return v;
}

void RunUnder(const char* target_line, bool all_must_compile) {
  std::vector<Case> cases = Cases();
  absl::StatusOr<ir::TestFile> file = ir::ParseTestFile(FileText(cases), "simd_differential.clif");
  ASSERT_TRUE(file.ok()) << file.status();
  std::vector<const ir::Function*> fns;
  for (const ir::ParsedFunction& pf : file->functions) fns.push_back(pf.function.get());
  absl::StatusOr<isa::TargetSpec> spec = isa::ParseTarget(target_line, "t");
  ASSERT_TRUE(spec.ok()) << spec.status();
  if (!isa::MissingOnHost(*spec, isa::HostFlags(*spec->target)).empty()) GTEST_SKIP() << "host lacks " << target_line;
  interp::Interpreter interp(fns);
  std::mt19937_64 rng(0x51d);
  int compiled = 0, calls = 0;
  for (isa::OptLevel level : {isa::OptLevel::kNone, isa::OptLevel::kSpeed}) {
    absl::StatusOr<std::unique_ptr<module::JitModule>> jit = module::JitModule::Create(fns, level, &*spec);
    ASSERT_TRUE(jit.ok()) << jit.status();
    for (size_t i = 0; i < fns.size(); ++i) {
      const ir::Signature& sig = fns[i]->signature;
      const absl::Status& st = (*jit)->status(i);
      if (!st.ok()) {
        EXPECT_FALSE(all_must_compile) << cases[i].body << ": " << st;
        EXPECT_EQ(st.code(), absl::StatusCode::kUnimplemented) << cases[i].body << ": " << st;
        continue;
      }
      ++compiled;
      for (int run = 0; run < 40; ++run) {
        std::vector<interp::u128> args;
        std::vector<uint64_t> slots;
        for (const ir::AbiParam& p : sig.params) {
          args.push_back(Value(rng, p.type));
          slots.push_back(static_cast<uint64_t>(args.back()));
          if (p.type.bits_total() == 128) slots.push_back(static_cast<uint64_t>(args.back() >> 64));
        }
        absl::StatusOr<interp::CallResult> want = interp.CallIndex(i, args);
        ASSERT_TRUE(want.ok()) << want.status();
        absl::StatusOr<module::CallOutcome> got = (*jit)->Call(i, slots);
        ASSERT_TRUE(got.ok()) << got.status();
        ASSERT_FALSE(got->trapped) << cases[i].body;
        ASSERT_FALSE(want->trapped) << cases[i].body;
        const ir::Type rt = sig.returns[0].type;
        interp::u128 v = got->values[0];
        if (rt.bits_total() == 128) v |= static_cast<interp::u128>(got->values[1]) << 64;
        ++calls;
        std::string in;
        for (size_t k = 0; k < args.size(); ++k) absl::StrAppend(&in, k ? ", " : "", FormatRunValue(args[k], sig.params[k].type));
        EXPECT_TRUE(Agree(v, want->values[0], rt, cases[i].any_nan))
            << target_line << ": " << cases[i].body << " (" << in << "): native " << FormatRunValue(v, rt)
            << ", interpreter " << FormatRunValue(want->values[0], rt);
      }
    }
  }
  std::printf("%s: %d of %zu function compilations succeeded, %d calls compared with the interpreter\n", target_line, compiled,
              2 * fns.size(), calls);
  EXPECT_GT(compiled, 0);
}

TEST(X64SimdDifferential, Sse2Baseline) { RunUnder("x86_64", false); }
TEST(X64SimdDifferential, Skylake) { RunUnder("x86_64 skylake", true); }

}  // namespace
}  // namespace lathe::testsuite
