// Block parameter lists: appending one at a time (interleaved across blocks, as SSA
// construction does) and removing keep each list's contents and positions right, and the
// pooled storage grows linearly with the number of parameters.
#include "ir/dfg.h"

#include <vector>

#include "gtest/gtest.h"
#include "ir/types.h"

namespace lathe::ir {
namespace {

TEST(DataFlowGraph, InterleavedBlockParamsStayLinear) {
  DataFlowGraph dfg;
  Block a = dfg.MakeBlock(), b = dfg.MakeBlock();
  std::vector<Value> pa, pb;
  constexpr int kN = 20000;
  for (int k = 0; k < kN; ++k) {
    pa.push_back(dfg.AppendBlockParam(a, kI64));
    pb.push_back(dfg.AppendBlockParam(b, kI32));
  }
  ASSERT_EQ(dfg.block_params(a).size(), static_cast<size_t>(kN));
  ASSERT_EQ(dfg.block_params(b).size(), static_cast<size_t>(kN));
  for (int k = 0; k < kN; ++k) {
    EXPECT_EQ(dfg.block_params(a)[k], pa[k]);
    EXPECT_EQ(dfg.block_params(b)[k], pb[k]);
    EXPECT_EQ(dfg.value(pa[k]).num, static_cast<uint32_t>(k));
    EXPECT_EQ(dfg.value_type(pb[k]), kI32);
  }
  // Doubling: every list lives in a region at most twice its size, plus the abandoned smaller
  // regions (a geometric series), so well under 8 slots per parameter.
  EXPECT_LT(dfg.value_pool_size(), static_cast<size_t>(8 * 2 * kN));
}

TEST(DataFlowGraph, RemoveBlockParamShiftsPositions) {
  DataFlowGraph dfg;
  Block a = dfg.MakeBlock();
  std::vector<Value> p;
  for (int k = 0; k < 5; ++k) p.push_back(dfg.AppendBlockParam(a, kI64));
  dfg.RemoveBlockParam(a, 1);
  dfg.RemoveBlockParam(a, 3);  // the last one (p[4]) after the first removal
  std::vector<Value> want = {p[0], p[2], p[3]};
  ASSERT_EQ(dfg.block_params(a).size(), want.size());
  for (size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(dfg.block_params(a)[k], want[k]);
    EXPECT_EQ(dfg.value(want[k]).num, k);
  }
  EXPECT_FALSE(dfg.value_valid(p[1]));
  EXPECT_FALSE(dfg.value_valid(p[4]));
  // Appending after removals reuses the reserved room and keeps positions dense.
  Value v = dfg.AppendBlockParam(a, kI64);
  ASSERT_EQ(dfg.block_params(a).size(), 4u);
  EXPECT_EQ(dfg.block_params(a)[3], v);
  EXPECT_EQ(dfg.value(v).num, 3u);
}

}  // namespace
}  // namespace lathe::ir
