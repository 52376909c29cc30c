#include "regalloc/blocked_regs.h"

#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "regalloc/random_program.h"

namespace lathe::regalloc {
namespace {

// Every (s, e) query against a direct OR, over densities from none to every instruction blocked
// (short runs, whole-chunk lookups and their partial ends).
TEST(BlockedRegsTest, MatchesDirectOr) {
  Rng rng(7);
  BlockedRegs blocked;
  for (uint32_t n : {1u, 2u, 17u, 100u, 700u}) {
    for (uint32_t percent : {0u, 5u, 30u, 100u}) {
      std::vector<PRegSet> at(n);
      blocked.Reset(n);
      for (uint32_t i = 0; i < n; ++i) {
        if (!rng.Percent(percent)) continue;
        at[i].Add(PReg(RegClass::kInt, static_cast<int>(rng.Below(64))));
        at[i].Add(PReg(RegClass::kFloat, static_cast<int>(rng.Below(64))));
        blocked.Add(i, at[i]);
      }
      blocked.Build();
      for (uint32_t s = 0; s < n; ++s) {
        uint64_t want[kNumRegClasses] = {0, 0, 0};
        for (uint32_t e = s; e < n; ++e) {
          for (int c = 0; c < kNumRegClasses; ++c) {
            ASSERT_EQ(blocked.Between(s, e, static_cast<RegClass>(c)), want[c])
                << "n=" << n << " percent=" << percent << " s=" << s << " e=" << e << " class " << c;
          }
          // Position e lies strictly inside (s, e + 1).
          if (e > s) {
            for (int c = 0; c < kNumRegClasses; ++c) want[c] |= at[e].class_bits(static_cast<RegClass>(c));
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace lathe::regalloc
