#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The guest side of the VM tests (docs/VM.md): run by /init in the chroot
# of the host's root, as `guest.sh TEST WORK`.  WORK is the host's work
# directory of the test (read-only here): WORK/uri holds the URI scmi-sim
# printed on the host.  The programs come from the environment (run.sh
# sets SCMI, SCMI_EVDEV, VMPING, EVREAD, SUITES and PROTOCOL_SUITES for the
# suites, SCMI_VM_SUITES to choose among the latter).
# Lines "@@HOST COMMAND@@" ask the host to send COMMAND to scmi-sim's
# control socket until it reports a notification sent (run.sh).
# Exit status: 0 pass, 77 skip, anything else a failure.
set -u
test=$1
work=$2
fails=0

say() { echo "guest: $*"; }
fail() { say "FAIL: $*"; fails=$((fails + 1)); }

# The ivshmem device (1af4:1110): its sysfs directory.
ivshmem_dev() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor")" = 0x1af4 ] && [ "$(cat "$d/device")" = 0x1110 ] &&
			{ echo "$d"; return 0; }
	done
	return 1
}

# The URI the host printed, its area offsets moved to the physical address
# of BAR2 and the path made /dev/mem (empty path = /dev/mem).
devmem_uri() { # BASE
	base=$1
	uri=$(head -n 1 "$work/uri")
	query=${uri#*\?}
	out=
	old_ifs=$IFS
	IFS='&'
	for kv in $query; do
		k=${kv%%=*}
		v=${kv#*=}
		case $k in
		a2p | p2a | a2p.* | p2a.* | db) v=$(printf '0x%x' $((base + v))) ;;
		esac
		out="$out${out:+&}$k=$v"
	done
	IFS=$old_ifs
	echo "shmem://?$out"
}

# One scmi command: must succeed (its output shown).
run() {
	if out=$("$SCMI" --uri "$uri" "$@" 2>&1); then
		say "ok: scmi $*"
		echo "$out" | sed 's/^/    /' | head -n 12
	else
		fail "scmi $* (exit $?)"
		echo "$out" | sed 's/^/    /'
	fi
}

# info and every protocol's list / get / set.
cli_all() {
	run info
	run power list
	run power get 0
	run power set 0 on
	run system
	run perf list
	run perf get 0
	run perf set 0 1500
	run clock list
	run clock get 0
	run clock set 0 1000000000
	run sensor list
	run sensor read 0
	run reset list
	run reset assert 0
	run reset deassert 0
	run voltage list
	run voltage get 0
	run voltage set 0 800000
	run powercap list
	run powercap get 0
	run powercap set 0 --cap 25000
	run pinctrl list
	run pinctrl get pin 0
	run pinctrl set pin 0 bias-disable=1
	run stats
}

# A notification from the host through P2A polling: SYSTEM_POWER_STATE_
# NOTIFIER (graceful shutdown) caught by `scmi system wait`.
notify_system() {
	"$SCMI" --uri "$uri" system wait --timeout 60s >/tmp/wait.out 2>&1 &
	pid=$!
	echo "@@HOST system 0 1@@"
	if wait $pid; then
		say "ok: system wait: $(tr '\n' ' ' </tmp/wait.out)"
	else
		fail "system wait: $(cat /tmp/wait.out)"
	fi
}

ping_figure() { # LABEL
	if out=$("$VMPING" "$uri" 2000 2>&1); then
		say "figure $1: $out"
	else
		fail "vmping: $out"
	fi
}

dev=$(ivshmem_dev) || { say "no ivshmem device (1af4:1110)"; exit 1; }
say "ivshmem at $dev"

case $test in
shmem)
	base=$(sed -n 3p "$dev/resource" | cut -d' ' -f1)
	say "BAR2 at $base"
	uri=$(devmem_uri "$base")
	say "uri $uri"
	cli_all
	notify_system
	ping_figure "shmem:///dev/mem"
	;;
uio)
	echo "1af4 1110" >/sys/bus/pci/drivers/uio_pci_generic/new_id ||
		{ say "cannot bind uio_pci_generic"; exit 1; }
	uio=
	for u in "$dev"/uio/uio*; do [ -e "$u" ] && uio=${u##*/}; done
	[ -n "$uio" ] || { say "uio_pci_generic did not bind $dev"; exit 1; }
	say "bound: $uio, maps: $(ls /sys/class/uio/$uio/maps)"
	uri=$(head -n 1 "$work/uri" | sed "s|^uio://uio0|uio://$uio|")
	say "uri $uri"
	run probe
	cli_all
	notify_system
	ping_figure "uio://"
	;;
evdev)
	base=$(sed -n 3p "$dev/resource" | cut -d' ' -f1)
	uri=$(devmem_uri "$base")
	"$SCMI_EVDEV" --uri "$uri" --device-name scmi-evdev-vm >/tmp/evdev.out 2>/tmp/evdev.err &
	epid=$!
	node=
	i=0
	# scmi-evdev says which node it made, then "ready".
	while [ $i -lt 600 ] && ! grep -q ready /tmp/evdev.err; do
		kill -0 $epid 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	node=$(sed -n 's/.*" is \(\/dev\/input\/event[0-9]*\).*/\1/p' /tmp/evdev.err | head -n 1)
	[ -n "$node" ] || { cat /tmp/evdev.err; say "scmi-evdev made no input device"; exit 1; }
	say "scmi-evdev: $node"
	"$EVREAD" "$node" 60 KEY_POWER KEY_RESTART >/tmp/evread.out 2>&1 &
	rpid=$!
	i=0
	while [ $i -lt 600 ] && ! grep -q ready /tmp/evread.out; do
		kill -0 $rpid 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	echo "@@HOST system 0 1@@"
	echo "@@HOST system 1 1@@"
	wait $rpid || fail "evread: $(cat /tmp/evread.out)"
	sed 's/^/    /' /tmp/evread.out
	kill $epid
	wait $epid
	;;
suites)
	# The Criterion suites whose uinput parts need a real kernel: here
	# nothing of them may skip.
	for s in $SUITES; do
		if "$s" --jobs 1 --short-filename --verbose >/tmp/suite.out 2>&1; then
			say "ok: $s: $(tail -n 1 /tmp/suite.out)"
		else
			fail "$s"
			tail -n 40 /tmp/suite.out
		fi
		if grep '\[SKIP\]' /tmp/suite.out; then
			fail "$s: tests skipped on a real kernel"
		fi
	done
	;;
devmem)
	# Every protocol suite over shmem:///dev/mem: each handle's platform is
	# an scmi-sim server on a thread of the suite (--devmem), in a slot of
	# BAR2; the agent maps the same physical range through /dev/mem.
	set -- $(sed -n 3p "$dev/resource")
	size=$(($2 - $1 + 1))
	export SCMI_SIM_DEVMEM="/dev/mem@$1+$(printf '0x%x' $size)"
	export SCMI_TEST_TRANSPORT=devmem SCMI_TEST_SIM_SERVER=thread
	say "SCMI_SIM_DEVMEM=$SCMI_SIM_DEVMEM"
	want=${SCMI_VM_SUITES:-base system perf}
	for s in $PROTOCOL_SUITES; do
		name=${s##*/}
		case " $want " in
		*" all "* | *" ${name#test_} "*) ;;
		*) continue ;;
		esac
		t0=$(date +%s)
		# Not here: the premise of this test, an address no mapping
		# reaches, does not hold on /dev/mem (0x7f000000 is an unused
		# physical address, and mappable).
		filter='!(powercap/fastchannels_unmappable_fall_back_to_messages)'
		if "$s" --jobs 1 --short-filename --filter "$filter" >/tmp/suite.out 2>&1; then
			say "ok: ${s##*/}@devmem ($(($(date +%s) - t0)) s): $(tail -n 1 /tmp/suite.out)"
		else
			fail "${s##*/}@devmem"
			grep -v '^\[----\] *$' /tmp/suite.out | tail -n 40
		fi
	done
	;;
*)
	say "unknown test $test"
	exit 2
	;;
esac
[ $fails -eq 0 ] && say "PASS $test" || say "FAIL $test: $fails failures"
[ $fails -eq 0 ]
