#!/usr/bin/env bash
# Builds everything and runs every test. Ends with the line "N passed, N failed", where N
# counts test cases (GoogleTest cases and the checks of script tests), not Bazel targets.
# Extra arguments go to `bazel test` (e.g. ./test.sh --config=asan).
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$root"
./third_party/install_deps.sh || exit 1

bazel build //... "$@" || { echo "0 passed, 1 failed"; exit 1; }
bazel test //... "$@"
status=$?

# Sum the JUnit XML of every test target that exists now (not stale outputs of removed ones).
targets=$(bazel query 'tests(//...)' 2>/dev/null)
python3 - "$root/bazel-testlogs" $targets <<'PY'
import os, sys
import xml.etree.ElementTree as ET
logs, targets = sys.argv[1], sys.argv[2:]
passed = failed = 0
for t in targets:
    path = os.path.join(logs, t.lstrip("/").replace(":", "/"), "test.xml")
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        print(f"{t}: no test results", file=sys.stderr)
        failed += 1
        continue
    cases = root.iter("testcase")
    for c in cases:
        if c.find("failure") is not None or c.find("error") is not None:
            failed += 1
        elif c.get("result") == "suppressed" or c.get("status") == "notrun":
            continue
        else:
            passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
sum_status=$?
[ $status -eq 0 ] && [ $sum_status -eq 0 ]
