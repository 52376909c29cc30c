// Runs the libFuzzer entry point in the normal build: fixed seeds for both modes and a few
// thousand pseudo-random inputs. The entry point aborts on any crash or checker failure.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"
#include "regalloc/random_program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace lathe::regalloc {
namespace {

TEST(FuzzRegallocTest, SeedsAndRandomInputsRunCleanly) {
  const std::vector<std::vector<uint8_t>> seeds = {
      {},
      {0},
      {1},
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 20, 10, 6, 4, 1, 3, 30, 30, 40, 30},
      {1, 1, 5, 3, 3, 0x85, 2, 0x40, 1, 0x83, 1, 2, 0, 1, 0, 0, 1, 1, 1},
      {1, 0, 2, 4, 2, 3, 1, 0x81, 1, 0x01, 2, 0, 0, 2, 1, 1, 0, 2, 0, 0},
      // Found by libFuzzer: one value as two reuse inputs plus a late Any use, two registers.
      {0x0, 0xa7, 0x3f, 0x55, 0x1, 0x3f, 0xa7, 0x3f, 0x55, 0x1, 0x3f, 0x0, 0x0, 0x0, 0x0, 0x0, 0x0, 0xa7, 0x26},
      // Found by libFuzzer: a branch reads a loop-carried block parameter whose boundary register
      // the edge's moves overwrite; every other register was a boundary register (optimizing).
      {0x6c, 0x8c, 0x6c, 0x6c, 0xb3, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c,
       0x62, 0x1, 0x0, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c,
       0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x6c,
       0xff, 0xff, 0x82},
  };
  for (const auto& s : seeds) EXPECT_EQ(LLVMFuzzerTestOneInput(s.data(), s.size()), 0);
  Rng rng(7);
  std::vector<uint8_t> buf;
  for (int n = 0; n < 3000; ++n) {
    buf.resize(1 + rng.Below(96));
    for (auto& b : buf) b = static_cast<uint8_t>(rng.Next());
    EXPECT_EQ(LLVMFuzzerTestOneInput(buf.data(), buf.size()), 0);
  }
}

}  // namespace
}  // namespace lathe::regalloc
