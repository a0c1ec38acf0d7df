#!/usr/bin/env bash
# Install what building and testing libscmi needs (Debian 12 packages).
# Does nothing when everything is already there.
# Usage: scripts/deps.sh [--build]   (--build: what building needs only,
# without the test tools: clang, doxygen, QEMU, cross compilers...)
set -euo pipefail

build_packages=(
	build-essential cmake pkg-config
	libuv1-dev uthash-dev libcriterion-dev libjson-c-dev libevdev-dev
)
packages=(
	"${build_packages[@]}"
	clang libclang-rt-14-dev # the libFuzzer harnesses (tests/fuzz)
	doxygen groff-base       # the API reference (docs target), man page checks
	# ---- vm (issue 14): the VM rig, tests/vm (docs/VM.md); the guest's
	# kernel is fetched by tests/vm/vm.sh itself (apt-get download).
	qemu-system-x86 busybox-static xz-utils
	# ---- end vm
	# issue 15: the s390x suites under emulation (scripts/cross.sh), the ABI baseline
	gcc-s390x-linux-gnu qemu-user mmdebstrap abigail-tools
)

[ "${1:-}" = "--build" ] && packages=("${build_packages[@]}")
missing=()
for p in "${packages[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
	sudo=sudo
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
