#!/usr/bin/env bash
# Build libscmi and run every test:
#   1. a normal build (warnings are errors) and the whole ctest suite,
#      including the install + pkg-config consumer test, then the API
#      reference (Doxygen: any warning, e.g. an undocumented public
#      function, fails it);
#      then the VM tests (ctest -L vm, docs/VM.md; not with --quick);
#   2. the same suite built with clang, then strictly POSIX with the
#      Linux-only parts off, then cross-built for big-endian s390x and run
#      under qemu-user (docs/PORTABILITY.md), then built with
#      -fsanitize=address,undefined;
#   3. the concurrency suites built with -fsanitize=thread;
#   4. the libFuzzer harnesses (clang): their seed corpora as regression
#      tests, then a bounded fuzzing run of each (FUZZ_SECONDS, default 60),
#      then what that run found replayed with the handle / simulator reuse
#      checks (tests/fuzz/README.md).
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
ctest --test-dir build --output-on-failure -j"$jobs" -LE vm # vm: its own step below

echo "== API reference (doxygen, warnings are errors)"
cmake --build build --target docs

[ $quick -eq 1 ] && exit 0

# ---- vm (issue 14): libscmi in a QEMU guest on a real kernel, scmi-sim on
# the host (docs/VM.md).  The first run on a machine fetches the kernel
# (~70 MB).  Each test skips (reported) where QEMU cannot run.
echo "== VM tests (tests/vm, docs/VM.md)"
vm_start=$(date +%s)
tests/vm/vm.sh check && tests/vm/vm.sh fetch ||
	echo "vm: the VM tests will skip (reason above)"
ctest --test-dir build --output-on-failure -j"$jobs" -L vm
echo "== VM tests took $(($(date +%s) - vm_start)) s"
# ---- end vm
# ---- port (issue 15): the same build and suite with clang (warnings are
# errors there too).
echo "== clang build and tests"
clang_start=$(date +%s)
CC=clang build build-clang
ctest --test-dir build-clang --output-on-failure -j"$jobs"
echo "== clang took $(($(date +%s) - clang_start)) s"

# The core beyond Linux: Linux-only parts off, the core, loopback:// and the
# simulator strictly POSIX with their portable fallbacks, and the suite.
echo "== portable build (SCMI_FORCE_FALLBACKS, Linux-only parts off) and tests"
portable_start=$(date +%s)
build build-portable -DSCMI_FORCE_FALLBACKS=ON -DSCMI_TRANSPORT_UIO=OFF \
	-DSCMI_TRANSPORT_VIRTIO_VFIO_USER=OFF -DSCMI_WITH_SIM_SERVER=OFF -DSCMI_EXAMPLE_EVDEV=OFF \
	-DSCMI_EXAMPLE_DAEMON=OFF -DSCMI_BUILD_BENCH=OFF
ctest --test-dir build-portable --output-on-failure -j"$jobs"
echo "== portable took $(($(date +%s) - portable_start)) s"

# Big-endian: cross-built for s390x, the core, loopback, notification and
# protocol suites under qemu-s390x (docs/PORTABILITY.md; the sysroot is made
# once per run, in build-cross/).
echo "== s390x (big-endian) under qemu-user"
s390x_start=$(date +%s)
scripts/cross.sh s390x
echo "== s390x took $(($(date +%s) - s390x_start)) s"
# ---- end port

echo "== address + undefined sanitizers"
build build-asan -DCMAKE_BUILD_TYPE=Debug -DSCMI_SANITIZE=address,undefined \
	-DSCMI_BUILD_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp" \
	ctest --test-dir build-asan --output-on-failure -j"$jobs" -E install

echo "== thread sanitizer (concurrency suites)"
build build-tsan -DCMAKE_BUILD_TYPE=Debug -DSCMI_SANITIZE=thread -DSCMI_BUILD_BENCH=OFF
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	ctest --test-dir build-tsan --output-on-failure -j"$jobs" -L concurrency

echo "== fuzzing (tests/fuzz/README.md)"
fuzz_start=$(date +%s)
CC=clang cmake -S . -B build-fuzz -DSCMI_WERROR=ON -DSCMI_FUZZ=ON -DSCMI_BUILD_EXAMPLES=OFF \
	-DSCMI_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzzers
ctest --test-dir build-fuzz --output-on-failure -L fuzz
for h in fuzz_platform fuzz_sim fuzz_uri fuzz_shmem fuzz_vfio_user fuzz_virtqueue fuzz_sim_vfio_user; do
	# A harness whose option is off (fuzz_vfio_user, fuzz_virtqueue without
	# json-c) is not built.
	[ -x "build-fuzz/tests/fuzz/$h" ] || continue
	# New inputs go to build-fuzz/corpus (the first directory); the seeds
	# are only read.  A crash, leak or timeout leaves its input in
	# build-fuzz/ (crash-*, leak-*, timeout-*).
	mkdir -p "build-fuzz/corpus/$h"
	if ! "build-fuzz/tests/fuzz/$h" -max_total_time="${FUZZ_SECONDS:-60}" -timeout=10 \
		-print_final_stats=1 -artifact_prefix=build-fuzz/ "build-fuzz/corpus/$h" \
		"tests/fuzz/corpus/$h" >"build-fuzz/$h.log" 2>&1; then
		tail -n 60 "build-fuzz/$h.log" >&2
		echo "$h found a bug: see build-fuzz/$h.log and tests/fuzz/README.md" >&2
		exit 1
	fi
	echo "$h: $(grep -E '^#[0-9]+[[:space:]]+DONE' "build-fuzz/$h.log" | tail -n 1)"
done
# Every input found, against a handle / simulator the inputs before it used
# and against a new one: reusing them across inputs must not change a thing.
for check in fuzz_platform:FUZZ_PLATFORM_CHECK_FRESH fuzz_sim:FUZZ_SIM_CHECK_RESET \
	fuzz_sim_vfio_user:FUZZ_SIM_VFIO_USER_CHECK_FRESH; do
	h=${check%%:*}
	[ -x "build-fuzz/tests/fuzz/$h" ] || continue
	if ! env "${check#*:}=1" "build-fuzz/tests/fuzz/$h" -runs=0 -artifact_prefix=build-fuzz/ \
		"build-fuzz/corpus/$h" >"build-fuzz/$h-reuse.log" 2>&1; then
		tail -n 30 "build-fuzz/$h-reuse.log" >&2
		echo "$h: reuse check failed: see build-fuzz/$h-reuse.log" >&2
		exit 1
	fi
	echo "$h: reuse check passed on $(ls "build-fuzz/corpus/$h" | wc -l) inputs"
done
echo "== fuzzing took $(($(date +%s) - fuzz_start)) s"
echo "== all tests passed"
