#!/usr/bin/env bash
# Checks `lathe wast` as a user runs it: a corpus file and a directory pass with the summary
# line, a failing script prints FILE.wast:LINE and exits 1, bad usage exits 2.
set -u
lathe="$TEST_SRCDIR/$TEST_WORKSPACE/tools/lathe"
spec="$TEST_SRCDIR/corpus/wasm-spec/json"
[ -d "$spec" ] || spec="$TEST_SRCDIR/$TEST_WORKSPACE/external/corpus/wasm-spec/json"
source "$TEST_SRCDIR/$TEST_WORKSPACE/testsuite/shell_checks.sh"

out=$("$lathe" wast "$spec/binary-leb128/binary-leb128.json"); rc=$?
check file_exit_0 test "$rc" -eq 0
check file_summary grep -Eq '^[1-9][0-9]* passed, 0 failed, [0-9]+ skipped$' <<<"$(tail -1 <<<"$out")"

out=$("$lathe" wast "$spec/address" "$spec/nop"); rc=$?
check dirs_exit_0 test "$rc" -eq 0
check dirs_summary grep -Eq '^[1-9][0-9]* passed, 0 failed, [1-9][0-9]* skipped$' <<<"$(tail -1 <<<"$out")"

# `lathe wasm translate`: verifier-clean IR for a corpus module, errors and usage.
out=$("$lathe" wasm translate "$spec/address/address.0.wasm"); rc=$?
check translate_exit_0 test "$rc" -eq 0
check translate_prints_ir grep -q '^function u0:0(i64 vmctx, i32) -> i32' <<<"$out"
check translate_bounds_check grep -q 'trapnz .*, heap_oob' <<<"$out"
"$lathe" wasm translate "$spec/binary-leb128/binary-leb128.json" >/dev/null 2>&1; rc=$?
check translate_bad_input_exit_1 test "$rc" -eq 1
"$lathe" wasm >/dev/null 2>&1; rc=$?
check translate_usage_exit_2 test "$rc" -eq 2

tmp="${TEST_TMPDIR:-/tmp}/wast_cli_test"
mkdir -p "$tmp"
cp "$spec/binary-leb128/binary-leb128.0.wasm" "$tmp/ok.wasm"
cat >"$tmp/bad.json" <<'JSON'
{"source_filename": "bad.wast", "commands": [
 {"type": "module", "line": 1, "filename": "ok.wasm"},
 {"type": "assert_invalid", "line": 4, "filename": "ok.wasm", "module_type": "binary", "text": "nope"}]}
JSON
out=$("$lathe" wast "$tmp/bad.json"); rc=$?
check failing_exit_1 test "$rc" -eq 1
check failing_location grep -q '^bad.wast:4: assert_invalid: ' <<<"$out"
check failing_summary grep -q '^1 passed, 1 failed, 0 skipped$' <<<"$out"

"$lathe" wast >/dev/null 2>&1; rc=$?
check no_args_exit_2 test "$rc" -eq 2
err=$("$lathe" wast "$tmp/does-not-exist" 2>&1 >/dev/null); rc=$?
check missing_exit_1 test "$rc" -eq 1
check missing_named grep -q 'does-not-exist' <<<"$err"

finish wast_cli
