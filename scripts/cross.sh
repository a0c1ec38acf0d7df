#!/usr/bin/env bash
# Cross-build libscmi for ARCH (aarch64 or s390x: 64-bit Arm, big-endian IBM
# Z) with Debian's cross compiler and run its core, loopback, notification
# and protocol suites under qemu-user (docs/PORTABILITY.md).
#
# The target's libuv, json-c and libevdev come from Debian's archive for
# that architecture, extracted into a sysroot with mmdebstrap (no emulation
# needed for that).  The suites run on tests/crshim, not Criterion: Debian
# has no Criterion for s390x, and Criterion's runner (BoxFort) re-executes
# /proc/self/exe, which under qemu-user without binfmt_misc is qemu itself.  The sysroot is kept in
# build-cross/sysroot-<debarch> and reused while its package list is the
# same; a fresh clone (CI) builds it anew.
#
# Usage: scripts/cross.sh ARCH [--sysroot-only] [ctest args...]
#   env: SCMI_CROSS_MIRROR (default: the host's Debian mirror),
#        SCMI_CROSS_SUITE (default bookworm), JOBS (default min(nproc, 2)),
#        SCMI_CROSS_CMAKE_ARGS (more cmake options, e.g. the strict-POSIX
#        build: -DSCMI_FORCE_FALLBACKS=ON -DSCMI_TRANSPORT_UIO=OFF
#        -DSCMI_TRANSPORT_VIRTIO_VFIO_USER=OFF), CRSHIM_SKIP, CRSHIM_TIMEOUT_SCALE.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${1:-}
shift || true
case "$arch" in
aarch64) debarch=arm64 ;;
s390x) debarch=s390x ;;
*) echo "usage: scripts/cross.sh aarch64|s390x [--sysroot-only] [ctest args...]" >&2; exit 2 ;;
esac
triple=$arch-linux-gnu
sysroot_only=0
if [ "${1:-}" = "--sysroot-only" ]; then sysroot_only=1; shift; fi
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$jobs" -gt 2 ] && jobs=2

# What the host needs (scripts/deps.sh installs the same for CI).
need=()
for p in "gcc-$triple" qemu-user mmdebstrap; do
	dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	echo "cross.sh: installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# ---- the sysroot
suite=${SCMI_CROSS_SUITE:-bookworm}
mirror=${SCMI_CROSS_MIRROR:-}
if [ -z "$mirror" ]; then
	# The host's own Debian mirror (deb822 or one-line sources).
	mirror=$(grep -hsE '^URIs:.*/debian/?$' /etc/apt/sources.list.d/*.sources | head -n 1 |
		awk '{ print $2 }')
	[ -n "$mirror" ] || mirror=$(grep -hsE '^deb [^ ]*/debian/? ' /etc/apt/sources.list \
		/etc/apt/sources.list.d/*.list | head -n 1 | awk '{ print $2 }')
	[ -n "$mirror" ] || { echo "cross.sh: no Debian mirror found; set SCMI_CROSS_MIRROR" >&2; exit 1; }
fi
packages=(libc6-dev libuv1-dev libjson-c-dev libevdev-dev uthash-dev)
sysroot=$PWD/build-cross/sysroot-$debarch
stamp="$suite $mirror ${packages[*]}"
if [ "$(cat "$sysroot/.scmi-sysroot" 2>/dev/null)" != "$stamp" ]; then
	echo "== sysroot for $debarch ($suite: ${packages[*]})"
	t0=$(date +%s)
	rm -rf "$sysroot"
	mkdir -p build-cross
	# extract: the packages (and what they depend on) are unpacked, no
	# maintainer script runs, so no emulator is needed.
	mmdebstrap --quiet --mode=root --variant=extract --architectures="$debarch" \
		--include="$(IFS=,; echo "${packages[*]}")" "$suite" "$sysroot" \
		"deb $mirror $suite main"
	# Debian 12 keeps libc in /lib/<triple>; make the absolute symlinks
	# (e.g. libm.so -> /lib/...) resolve inside the sysroot.
	find "$sysroot" -xtype l -lname '/*' | while read -r l; do
		ln -sfn "$sysroot$(readlink "$l")" "$l"
	done
	echo "$stamp" >"$sysroot/.scmi-sysroot"
	echo "== sysroot took $(($(date +%s) - t0)) s ($(du -sh "$sysroot" | cut -f1))"
fi
[ $sysroot_only -eq 1 ] && exit 0

# ---- build
build=build-cross/$arch
t0=$(date +%s)
# Options cached by a run with other SCMI_CROSS_CMAKE_ARGS must not stick.
if [ "$(cat "$build/.scmi-cross-args" 2>/dev/null)" != "args: ${SCMI_CROSS_CMAKE_ARGS:-}" ]; then
	rm -f "$build/CMakeCache.txt"
fi
mkdir -p "$build"
echo "args: ${SCMI_CROSS_CMAKE_ARGS:-}" >"$build/.scmi-cross-args"
cmake -S . -B "$build" -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/$triple.cmake" \
	-DSCMI_SYSROOT="$sysroot" -DSCMI_WERROR=ON -DSCMI_BUILD_BENCH=OFF \
	-DSCMI_BUILD_EXAMPLES=OFF -DSCMI_TEST_CRITERION_SHIM=ON ${SCMI_CROSS_CMAKE_ARGS:-} >/dev/null
# The suites below, nothing more.
suites=(uri xfer msg shmem base clock close errors event_hdr faults handle notify perf pinctrl
	power powercap quirks reset sensor sim system trace transport voltage)
targets=()
for s in "${suites[@]}"; do targets+=("test_$s"); done
cmake --build "$build" -j"$jobs" --target "${targets[@]}" stress
echo "== $arch build took $(($(date +%s) - t0)) s"

# ---- run: core, loopback (every suite on the in-process simulator),
# notifications, every protocol, and the protocols again over shmem:// and
# virtio-vfio-user:// with scmi-sim's server on a thread (a process would
# need binfmt_misc).  Not here: uio:// (qemu-user cannot make the pty that
# stands for the UIO interrupt) and the vfio-user client suite (its fake
# server writes eventfds it received over SCM_RIGHTS, which qemu-user does
# not byte-swap as it does the eventfds it made).
# The emulator is some 5-20 times slower: the suites' own timeouts are
# stretched (crshim) and so are their waits for an event (SCMI_TEST_WAIT_SCALE,
# tests/helpers.c), and the few tests that assert wall-clock bounds or
# need many threads to make progress within fixed waits are skipped here
# (CRSHIM_SKIP; they run natively in every other CI step): none of them
# looks at byte order.  One suite at a time, each on 2 processes.
t0=$(date +%s)
re="^(test_($(IFS='|'; echo "${suites[*]}"))(@shmem|@virtio)?|stress)\$"
CRSHIM_TIMEOUT_SCALE=${CRSHIM_TIMEOUT_SCALE:-10} SCMI_TEST_WAIT_SCALE=${SCMI_TEST_WAIT_SCALE:-4} \
CRSHIM_SKIP=${CRSHIM_SKIP-"xfer/more_threads_than_xfers close/single_command_waiting_for_its_response voltage/concurrent_level_sets trace/transfers_in_order_with_increasing_ids"} \
	ctest --test-dir "$build" --output-on-failure -R "$re" "$@"
echo "== $arch suites took $(($(date +%s) - t0)) s"
