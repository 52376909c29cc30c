// Extern C++ types named by features.isel (golden test of the rules compiler).
#ifndef LATHE_ISEL_DSL_TESTDATA_FEATURES_H_
#define LATHE_ISEL_DSL_TESTDATA_FEATURES_H_

#include <cstdint>

namespace features {

struct Pair {
  int64_t first = 0;
  int64_t second = 0;
};

inline constexpr int64_t kAnswer = 42;

}  // namespace features

#endif  // LATHE_ISEL_DSL_TESTDATA_FEATURES_H_
