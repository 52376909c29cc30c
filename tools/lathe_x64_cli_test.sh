#!/usr/bin/env bash
# `lathe compile [-D]` and `lathe run` end to end on x86-64 hosts: sizes, disassembly, native
# run summary, skipping of files without an x86_64 target, and unsupported-opcode errors.
set -u
lathe="$TEST_SRCDIR/$TEST_WORKSPACE/tools/lathe"
data="$TEST_SRCDIR/$TEST_WORKSPACE/isa/x64/testdata"
failures=0
cases=""
check() {  # check NAME CONDITION...: one test case, reported to Bazel's JUnit XML too.
  local name=$1; shift
  if "$@"; then
    echo "PASS $name"; cases+="<testcase name=\"$name\"/>"
  else
    echo "FAIL $name"; failures=$((failures + 1))
    cases+="<testcase name=\"$name\"><failure message=\"check failed\"/></testcase>"
  fi
}
dir=$(mktemp -d)

out=$("$lathe" compile "$data/basic.clif"); rc=$?
check compile_exit_0 test "$rc" -eq 0
check compile_sizes grep -qE '^function %add: [0-9]+ bytes$' <<<"$out"
out=$("$lathe" compile -D "$data/basic.clif"); rc=$?
check disasm_has_add grep -qE '^ +[0-9a-f]+:  add r' <<<"$out"
check disasm_has_ret grep -qE '^ +[0-9a-f]+:  ret' <<<"$out"

if [ "$(uname -m)" = x86_64 ]; then
  out=$("$lathe" run "$data/basic.clif"); rc=$?
  check run_exit_0 test "$rc" -eq 0
  check run_summary grep -qx '4 passed, 0 failed, 0 skipped' <<<"$out"
  out=$("$lathe" run --regalloc=optimizing "$data/basic.clif"); rc=$?
  check run_optimizing_summary grep -qx '4 passed, 0 failed, 0 skipped' <<<"$out"
fi

sed 's/^target x86_64$/target aarch64/' "$data/basic.clif" >"$dir/arm.clif"
out=$("$lathe" run "$dir/arm.clif"); rc=$?
check run_skips_other_targets grep -qx '0 passed, 0 failed, 4 skipped' <<<"$out"

cat >"$dir/vec.clif" <<'CLIF'
test run
target x86_64
function %v(i8x16) -> i8x16 {
block0(v0: i8x16):
    v1 = imul v0, v0
    return v1
}
CLIF
out=$("$lathe" compile "$dir/vec.clif"); rc=$?
check unsupported_exit_1 test "$rc" -eq 1
check unsupported_names_type grep -q 'function %v: error: .*i8x16' <<<"$out"

"$lathe" compile --target riscv64 "$data/basic.clif" >/dev/null 2>&1; rc=$?
check unknown_target_exit_2 test "$rc" -eq 2

rm -rf "$dir"
if [ -n "${XML_OUTPUT_FILE:-}" ]; then
  echo "<?xml version=\"1.0\"?><testsuites><testsuite name=\"lathe_x64_cli\">$cases</testsuite></testsuites>" \
    >"$XML_OUTPUT_FILE"
fi
exit $((failures > 0))
