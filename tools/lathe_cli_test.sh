#!/usr/bin/env bash
# Checks the `lathe` driver: --help lists subcommands, version prints, unknown commands exit 2.
set -u
lathe="$TEST_SRCDIR/$TEST_WORKSPACE/tools/lathe"
source "$TEST_SRCDIR/$TEST_WORKSPACE/testsuite/shell_checks.sh"

out=$("$lathe" --help); rc=$?
check help_exit_0 test "$rc" -eq 0
check help_lists_version grep -q '^  version ' <<<"$out"

out=$("$lathe" version); rc=$?
check version_exit_0 test "$rc" -eq 0
check version_text grep -Eq '^lathe [0-9]+\.[0-9]+\.[0-9]+' <<<"$out"

err=$("$lathe" nosuchcommand 2>&1 >/dev/null); rc=$?
check unknown_exit_2 test "$rc" -eq 2
check unknown_names_it grep -q "unknown command 'nosuchcommand'" <<<"$err"
check unknown_prints_usage grep -q '^usage: lathe' <<<"$err"

"$lathe" >/dev/null 2>&1; rc=$?
check no_args_exit_2 test "$rc" -eq 2

"$lathe" version extra >/dev/null 2>&1; rc=$?
check version_extra_arg_exit_2 test "$rc" -eq 2

out=$("$lathe" help version); rc=$?
check help_command_exit_0 test "$rc" -eq 0
check help_command_usage grep -q 'usage: lathe version' <<<"$out"

finish lathe_cli
