// The extern type of the randomized differential test (random_rules_test.cc): a tree node,
// named by its index in the test's node arena; equal when it is the same node.
#ifndef LATHE_ISEL_DSL_TESTDATA_RANDOM_DOMAIN_H_
#define LATHE_ISEL_DSL_TESTDATA_RANDOM_DOMAIN_H_

#include <cstdint>

namespace rnd {

struct Tree {
  int32_t index = -1;
  bool operator==(const Tree& o) const { return index == o.index; }
};

}  // namespace rnd

#endif  // LATHE_ISEL_DSL_TESTDATA_RANDOM_DOMAIN_H_
