#!/usr/bin/env bash
# Build libscmi and run every test:
#   1. a normal build (warnings are errors) and the whole ctest suite,
#      including the install + pkg-config consumer test;
#   2. the same suite built with -fsanitize=address,undefined;
#   3. the concurrency suites built with -fsanitize=thread.
# Usage: scripts/test.sh [--quick]   (--quick: step 1 only)
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc 2>/dev/null || echo 2)
[ "$jobs" -gt 2 ] && jobs=2

scripts/deps.sh

build() { # dir, extra cmake args...
	local dir=$1; shift
	cmake -S . -B "$dir" -DSCMI_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$jobs"
}

echo "== normal build and tests"
build build
ctest --test-dir build --output-on-failure -j"$jobs"

[ $quick -eq 1 ] && exit 0

echo "== address + undefined sanitizers"
build build-asan -DCMAKE_BUILD_TYPE=Debug -DSCMI_SANITIZE=address,undefined \
	-DSCMI_BUILD_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ctest --test-dir build-asan --output-on-failure -j"$jobs" -E install

echo "== thread sanitizer (concurrency suites)"
build build-tsan -DCMAKE_BUILD_TYPE=Debug -DSCMI_SANITIZE=thread -DSCMI_BUILD_BENCH=OFF
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	ctest --test-dir build-tsan --output-on-failure -j"$jobs" -L concurrency
echo "== all tests passed"
