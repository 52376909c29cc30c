#!/usr/bin/env bash
# Checks `lathe cat` and `lathe verify` as a user runs them: canonical printing is a fixed
# point, parse errors carry FILE:LINE:COL and exit 1, verifier errors name the instruction.
set -u
lathe="$TEST_SRCDIR/$TEST_WORKSPACE/tools/lathe"
tmp="${TEST_TMPDIR:-/tmp}"
source "$TEST_SRCDIR/$TEST_WORKSPACE/testsuite/shell_checks.sh"

cat >"$tmp/good.clif" <<'CLIF'
test run
target x86_64

function %add(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
  v2 = iadd v0, v1   ; a comment
  return v2
}
; run: %add(1, 2) == 3
CLIF
out=$("$lathe" cat "$tmp/good.clif"); rc=$?
check cat_exit_0 test "$rc" -eq 0
check cat_canonical_header grep -q '^function %add(i32, i32) -> i32 fast {$' <<<"$out"
check cat_keeps_run_directive grep -q '^; run: %add(1, 2) == 3$' <<<"$out"
check cat_keeps_target grep -q '^target x86_64$' <<<"$out"
printf '%s\n' "$out" >"$tmp/printed.clif"
again=$("$lathe" cat "$tmp/printed.clif")
check cat_fixed_point test "$out" == "$again"

"$lathe" verify "$tmp/good.clif" >"$tmp/verify.out"; rc=$?
check verify_clean_exit_0 test "$rc" -eq 0
check verify_clean_silent test ! -s "$tmp/verify.out"

cat >"$tmp/bad_syntax.clif" <<'CLIF'
function %f() {
block0:
  v1 = iconst.i32
}
CLIF
err=$("$lathe" cat "$tmp/bad_syntax.clif" 2>&1 >/dev/null); rc=$?
check cat_error_exit_1 test "$rc" -eq 1
check cat_error_has_location grep -q "bad_syntax.clif:4:1: expected a 64-bit integer" <<<"$err"

cat >"$tmp/bad_types.clif" <<'CLIF'
function %f(i32, i64) -> i32 {
block0(v0: i32, v1: i64):
  v2 = iadd v0, v1
  return v2
}
CLIF
out=$("$lathe" verify "$tmp/bad_types.clif"); rc=$?
check verify_error_exit_1 test "$rc" -eq 1
check verify_error_names_inst grep -q 'bad_types.clif:3: function %f: inst0 (v2 = iadd v0, v1): arg 1 (v1) has type i64, expected i32' <<<"$out"

"$lathe" cat >/dev/null 2>&1; rc=$?
check cat_no_args_exit_2 test "$rc" -eq 2

finish ir_commands
