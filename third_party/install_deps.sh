#!/usr/bin/env bash
# Installs the Debian packages Lathe builds and tests with, if any is missing.
# Quiet and quick when everything is present: it checks with dpkg before touching apt.
set -euo pipefail

packages=(
  bazel-bootstrap   # Bazel 4.2.3, works offline with the stand-ins in third_party/
  g++
  libabsl-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libcapstone-dev
  re2c
  python3           # test.sh sums the test results
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "lathe: installing missing packages: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >&2
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
