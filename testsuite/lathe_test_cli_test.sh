#!/usr/bin/env bash
# Runs `lathe test` and `lathe interpret` as a user does: directories, summary line, failure
# lines with file:line, exit codes, and errors (not crashes) for malformed files.
set -u
lathe="$TEST_SRCDIR/$TEST_WORKSPACE/tools/lathe"
dir="$TEST_TMPDIR/clif"
mkdir -p "$dir/sub"
source "$TEST_SRCDIR/$TEST_WORKSPACE/testsuite/shell_checks.sh"

cat >"$dir/good.clif" <<'CLIF'
test interpret
function %add(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = iadd v0, v1
    return v2
}
; run: %add(1, 2) == 3
; run: %add(-1, 1) == 0
CLIF
cat >"$dir/sub/compile_only.clif" <<'CLIF'
test compile
function %one() -> i64 {
block0:
    v0 = iconst.i64 1
    return v0
}
; run: %one() == 1
CLIF

out=$("$lathe" test "$dir"); rc=$?
check test_dir_exit_0 test "$rc" -eq 0
check test_dir_summary grep -qx '2 passed, 0 failed, 1 skipped' <<<"$out"

out=$("$lathe" interpret "$dir"); rc=$?
check interpret_dir_exit_0 test "$rc" -eq 0
check interpret_dir_summary grep -qx '3 passed, 0 failed, 0 skipped' <<<"$out"

cat >"$dir/bad_run.clif" <<'CLIF'
test interpret
function %add(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    v2 = iadd v0, v1
    return v2
}
; run: %add(2, 2) == 5
; run: %missing(1) == 1
CLIF
out=$("$lathe" test "$dir/bad_run.clif"); rc=$?
check wrong_result_exit_1 test "$rc" -eq 1
check wrong_result_line grep -q 'bad_run.clif:7: ; run: %add(2, 2) == 5: expected 5, got 4' <<<"$out"
check unknown_function_line grep -q 'bad_run.clif:8: .*unknown function %missing' <<<"$out"
check wrong_result_summary grep -qx '0 passed, 2 failed, 0 skipped' <<<"$out"

printf 'test interpret\nfunction %%f( {\n' >"$dir/garbage.clif"
out=$("$lathe" test "$dir/garbage.clif"); rc=$?
check garbage_exit_1 test "$rc" -eq 1
check garbage_located grep -q 'garbage.clif:2:[0-9]*:' <<<"$out"

"$lathe" test "$dir/nonexistent" >/dev/null 2>&1; rc=$?
check missing_path_exit_1 test "$rc" -eq 1
"$lathe" test >/dev/null 2>&1; rc=$?
check no_args_exit_2 test "$rc" -eq 2

finish lathe_test_cli
