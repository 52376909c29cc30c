#!/usr/bin/env bash
# Checks `lathe dsl check|gen`: clean rules exit 0, diagnostics exit 1 with file:line:col, bad
# usage exits 2, and gen writes a header and a source file.
set -u
lathe="$TEST_SRCDIR/$TEST_WORKSPACE/tools/lathe"
tmp=${TEST_TMPDIR:-$(mktemp -d)}
source "$TEST_SRCDIR/$TEST_WORKSPACE/testsuite/shell_checks.sh"

cat >"$tmp/good.isel" <<'RULES'
(type Op (enum A B))
(decl f (Op) u8)
(rule (f Op.A) 1)
(rule (f Op.B) 2)
RULES
cat >"$tmp/bad.isel" <<'RULES'
(type Op (enum A B))
(decl f (Op) u8)
(rule (f _) 1)
(rule (f Op.B) (g 2))
RULES

out=$("$lathe" dsl check "$tmp/good.isel" 2>&1); rc=$?
check check_clean_exit_0 test "$rc" -eq 0

err=$("$lathe" dsl check "$tmp/bad.isel" 2>&1); rc=$?
check check_errors_exit_1 test "$rc" -eq 1
check check_reports_location grep -q "bad.isel:4:16: unknown term 'g'" <<<"$err"

"$lathe" dsl gen "$tmp/good.isel" -o "$tmp/out.cc" --namespace demo; rc=$?
check gen_exit_0 test "$rc" -eq 0
check gen_writes_source grep -q 'uint8_t f(Context& ctx, Op b0)' "$tmp/out.cc"
check gen_writes_header grep -q 'enum class Op : int32_t { A, B };' "$tmp/out.h"

"$lathe" dsl gen "$tmp/good.isel" >/dev/null 2>&1; rc=$?
check gen_without_output_exit_2 test "$rc" -eq 2
"$lathe" dsl frobnicate >/dev/null 2>&1; rc=$?
check unknown_subcommand_exit_2 test "$rc" -eq 2
err=$("$lathe" dsl check "$tmp/missing.isel" 2>&1); rc=$?
check missing_file_exit_1 test "$rc" -eq 1
check missing_file_named grep -q "missing.isel: cannot open rules file" <<<"$err"

finish lathe_dsl
