#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# One VM test (docs/VM.md), host side: start scmi-sim as the platform, boot
# the guest with the rig (vm.sh) on the memory scmi-sim serves, run
# guest.sh TEST in it, answer its requests for platform actions, and exit
# with the guest's status (77: skipped, the reason printed).
#
#   run.sh TEST WORKDIR     TEST: shmem, uio, evdev, suites, devmem
#
# The programs come from the environment (tests/vm/CMakeLists.txt sets
# them): SCMI_SIM, SCMI, SCMI_EVDEV, VMPING, EVREAD, VMCTL, SUITES,
# PROTOCOL_SUITES.  SCMI_VM_SUITES: the protocol suites vm_devmem runs
# ("all", or names such as "base perf"; default: base system perf, the
# others take 2-5 minutes more under TCG).  SCMI_VM_TIMEOUT: the guest's time
# limit in seconds (default 240; devmem 420).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
test=$1
work=$2
timeout=${SCMI_VM_TIMEOUT:-240}
# The suites take longest (a shared, loaded machine slows TCG a lot).
[ "$test" = devmem ] && timeout=${SCMI_VM_TIMEOUT:-420}

reason=$("$here/vm.sh" check) || { echo "$reason"; exit 77; }

rm -rf "$work"
mkdir -p "$work"
sim_pid=
cleanup() {
	[ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
	true
}
trap cleanup EXIT

# The platform: --shmem on the file QEMU's ivshmem-plain maps, or the
# ivshmem server QEMU's ivshmem-doorbell connects to.
vm_args=()
case $test in
shmem | evdev | suites)
	"$SCMI_SIM" --shmem "$work/shm" --control "$work/ctl" >"$work/uri" 2>"$work/sim.err" &
	sim_pid=$!
	vm_args=(--mem-file "$work/shm")
	;;
devmem)
	# No platform on the host: the suites' own scmi-sim servers serve
	# slots of the guest's BAR2, a 64 MiB file here.
	truncate -s 64M "$work/bar"
	vm_args=(--mem-file "$work/bar")
	;;
uio)
	"$SCMI_SIM" --ivshmem "$work/ivshmem.sock" --control "$work/ctl" >"$work/uri" \
		2>"$work/sim.err" &
	sim_pid=$!
	vm_args=(--ivshmem "$work/ivshmem.sock")
	;;
*) echo "run.sh: unknown test $test" >&2; exit 2 ;;
esac
# The URI line comes once the server serves (and the control socket is up).
for _ in $(seq 100); do
	[ -n "$sim_pid" ] || break
	[ -s "$work/uri" ] && [ -S "$work/ctl" ] && break
	kill -0 "$sim_pid" 2>/dev/null || break
	sleep 0.1
done
if [ -n "$sim_pid" ]; then
	[ -s "$work/uri" ] || { cat "$work/sim.err" >&2; echo "run.sh: scmi-sim did not start" >&2; exit 1; }
	echo "host: scmi-sim serves $(head -n 1 "$work/uri")"
fi

# "@@HOST CMD@@" from the guest: CMD to the control socket until a
# notification went out (the guest's agent enables it a moment later).
host_cmd() {
	local reply deadline=$((SECONDS + 60))
	while [ $SECONDS -lt $deadline ]; do
		reply=$("$VMCTL" "$work/ctl" "$@" || true)
		case $reply in
		*sent=0*) sleep 0.1 ;;
		ok*) echo "host: $* -> $reply"; return 0 ;;
		*) echo "host: $* -> $reply"; return 1 ;;
		esac
	done
	echo "host: $*: no agent took it within 60 s"
}

start=$SECONDS
set +e
"$here/vm.sh" run --timeout "$timeout" "${vm_args[@]}" -- \
	env SCMI="$SCMI" SCMI_EVDEV="$SCMI_EVDEV" VMPING="$VMPING" EVREAD="$EVREAD" \
	SUITES="${SUITES:-}" PROTOCOL_SUITES="${PROTOCOL_SUITES:-}" \
	SCMI_VM_SUITES="${SCMI_VM_SUITES:-}" "$here/guest.sh" "$test" "$work" 2>&1 |
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		*@@HOST\ *@@*)
			cmd=${line#*@@HOST }
			host_cmd ${cmd%@@*}
			;;
		esac
	done
rc=${PIPESTATUS[0]}
set -e
echo "host: the VM step took $((SECONDS - start)) s, guest status $rc"
stats=
if [ -n "$sim_pid" ]; then
	stats=$("$VMCTL" "$work/ctl" stats || true)
	echo "host: scmi-sim stats: $stats"
fi
# uio: the platform must have been woken by the guest's doorbell (QEMU's
# eventfd), not found the commands by itself.
if [ "$test" = uio ] && [ "$rc" -eq 0 ]; then
	db=$(printf '%s\n' "$stats" | sed -n 's/.* ivshmem_doorbells=\([0-9]*\).*/\1/p')
	if [ -z "$db" ] || [ "$db" -eq 0 ]; then
		echo "host: FAIL: no doorbell from the guest reached scmi-sim"
		rc=1
	else
		echo "host: $db doorbells from the guest"
	fi
fi
if [ "$rc" -ne 0 ] && [ -s "$work/sim.err" ] && [ -n "$sim_pid" ]; then
	echo "host: scmi-sim said:"
	tail -n 20 "$work/sim.err"
fi
exit "$rc"
