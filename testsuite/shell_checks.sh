# Shared helpers for Lathe's shell tests (sourced, not run). Each `check` is one test case;
# `finish SUITE` writes them as JUnit XML for Bazel (so ./test.sh counts them) and exits
# non-zero if any failed.
#   check NAME COMMAND [ARGS...]   passes when COMMAND succeeds
#   finish SUITE
failures=0
cases=""

check() {
  local name=$1
  shift
  if "$@"; then
    echo "PASS $name"
    cases+="<testcase name=\"$name\"/>"
  else
    echo "FAIL $name"
    failures=$((failures + 1))
    cases+="<testcase name=\"$name\"><failure message=\"check failed\"/></testcase>"
  fi
}

finish() {
  if [ -n "${XML_OUTPUT_FILE:-}" ]; then
    echo "<?xml version=\"1.0\"?><testsuites><testsuite name=\"$1\">$cases</testsuite></testsuites>" \
      >"$XML_OUTPUT_FILE"
  fi
  echo "$failures failed checks"
  exit $((failures > 0))
}
