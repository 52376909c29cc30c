#!/usr/bin/env bash
# The JIT example really compiles and runs: sum(n) matches n(n-1)/2 for several n.
set -u
source "$TEST_SRCDIR/$TEST_WORKSPACE/testsuite/shell_checks.sh"
demo="$TEST_SRCDIR/$TEST_WORKSPACE/examples/jit_sum"
for n in 0 1 10 100000; do
  out=$("$demo" "$n")
  check "sum_$n" grep -q "^sum($n) = $(( n * (n - 1) / 2 )) " <<<"$out"
done
check prints_ir grep -q '^function %sum(i64) -> i64' <<<"$out"
finish jit_sum
