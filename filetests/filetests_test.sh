#!/usr/bin/env bash
# Runs `lathe test` on every .clif file here: each file is one test case, which passes when
# its summary line reports at least one passed item and none failed.
set -u
source "$TEST_SRCDIR/$TEST_WORKSPACE/testsuite/shell_checks.sh"
lathe="$TEST_SRCDIR/$TEST_WORKSPACE/tools/lathe"
here="$TEST_SRCDIR/$TEST_WORKSPACE/filetests"

clean_summary() {  # clean_summary FILE: lathe test exits 0 and nothing failed or was skipped
  local out
  out=$("$lathe" test "$1") || { printf '%s\n' "$out"; return 1; }
  grep -Eq '^[1-9][0-9]* passed, 0 failed, 0 skipped$' <<<"$(tail -1 <<<"$out")" \
    || { printf '%s\n' "$out"; return 1; }
}

count=0
while IFS= read -r f; do
  check "${f#"$here"/}" clean_summary "$f"
  count=$((count + 1))
done < <(find -L "$here" -name '*.clif' | sort)
check found_filetests test "$count" -gt 0
finish filetests
