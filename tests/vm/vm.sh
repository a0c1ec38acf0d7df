#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# The VM test rig (docs/VM.md): a small Linux guest under QEMU (TCG) that
# runs one command of the host's build on a real kernel, with the host's
# root file system shared read-only through 9p.
#
#   tests/vm/vm.sh fetch               kernel, modules, busybox into the cache
#   tests/vm/vm.sh check               exit 0 if the rig can run here, else
#                                      print why and exit 77
#   tests/vm/vm.sh run [OPTIONS] -- COMMAND [ARG...]
#        boot the guest; /init loads the modules, mounts the host's root on
#        /host (read-only, under a tmpfs overlay: writes stay in the guest),
#        chroots into it and runs COMMAND there (in the current directory;
#        /dev, /proc, /sys of the guest), prints its exit
#        status and powers off.  Exits with COMMAND's status; 124 when the
#        time limit passed, 125 when the guest never reported one, 77 when
#        the rig cannot run here.
#        --timeout S         the time limit (default 240 s)
#        --mem-file FILE     an ivshmem-plain device whose BAR2 is FILE
#                            (its size a power of two: scmi-sim --shmem's)
#        --ivshmem SOCKET    an ivshmem-doorbell device (1 vector) served by
#                            the ivshmem server on SOCKET (scmi-sim --ivshmem)
#        --smp N             N virtual CPUs (default 1; TCG runs each on a
#                            host thread)
#        --qemu ARG          one more argument for QEMU (repeatable)
#
# Cache: $SCMI_VM_CACHE, default ~/.cache/libscmi-vm (the kernel package,
# ~70 MB, is fetched once per machine with apt-get download).
# QEMU and busybox-static come from scripts/deps.sh (or apt-get install
# qemu-system-x86 busybox-static --no-install-recommends).
set -euo pipefail

SKIP=77
cache=${SCMI_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/libscmi-vm}
qemu=${SCMI_VM_QEMU:-qemu-system-x86_64}
busybox=${SCMI_VM_BUSYBOX:-/bin/busybox}
# The modules /init loads, in dependency order (basenames under kernel/).
modules=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci
	netfs fscache 9pnet 9pnet_virtio 9p overlay uio uio_pci_generic uinput evdev)

log() { echo "vm.sh: $*" >&2; }

# The kernel package linux-image-amd64 points at (Debian 12: 6.1).
kernel_pkg() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1 || true
}

why_not() { # print why the rig cannot run, or nothing
	command -v "$qemu" >/dev/null 2>&1 || { echo "no $qemu (apt-get install qemu-system-x86)"; return; }
	[ -x "$busybox" ] && "$busybox" cpio --help >/dev/null 2>&1 ||
		{ echo "no static busybox with cpio at $busybox (apt-get install busybox-static)"; return; }
	command -v xz >/dev/null 2>&1 || { echo "no xz"; return; }
	if [ ! -s "$cache/vmlinux" ] && [ -z "$(kernel_pkg)" ] && [ "$(id -u)" -ne 0 ]; then
		echo "no kernel in $cache and apt knows no linux-image-amd64"; return
	fi
}

fetch() {
	local pkg kver deb x off
	mkdir -p "$cache"
	if [ -s "$cache/vmlinux" ] && [ -s "$cache/modules/lib/modules/kver" ]; then
		local have=1
		for m in "${modules[@]}"; do
			[ -s "$cache/modules/lib/modules/$(cat "$cache/modules/lib/modules/kver")/$m.ko" ] ||
				have=0
		done
		[ $have -eq 0 ] || return 0
	fi
	pkg=$(kernel_pkg)
	if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
		# A machine whose package lists were cleaned (containers).
		apt-get update -qq >&2 || true
		pkg=$(kernel_pkg)
	fi
	[ -n "$pkg" ] || { log "apt-cache knows no linux-image-amd64"; return 1; }
	deb=$(ls "$cache/$pkg"_*.deb 2>/dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		log "fetching $pkg"
		(cd "$cache" && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2) || true
		deb=$(ls "$cache/$pkg"_*.deb 2>/dev/null | head -n 1 || true)
		[ -n "$deb" ] || { log "apt-get download $pkg failed"; return 1; }
	fi
	rm -rf "$cache"/x.* "$cache"/root.*
	x=$(mktemp -d "$cache/x.XXXXXX")
	dpkg-deb -x "$deb" "$x" || { rm -rf "$x"; return 1; }
	kver=$(ls "$x/lib/modules")
	# The uncompressed kernel boots in a third of bzImage's time under TCG:
	# the xz stream inside vmlinuz, from its magic on.
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$x/boot/vmlinuz-$kver" | head -n 1 | cut -d: -f1 || true)
	[ -n "$off" ] || { log "no xz stream in vmlinuz-$kver"; rm -rf "$x"; return 1; }
	# (tail gets SIGPIPE when xz stops at the stream's end: check the result)
	tail -c +$((off + 1)) "$x/boot/vmlinuz-$kver" | xz -dc --single-stream >"$cache/vmlinux.tmp" || true
	[ "$(head -c 4 "$cache/vmlinux.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] ||
		{ log "vmlinuz-$kver: the xz stream is not an ELF kernel"; rm -rf "$x"; return 1; }
	rm -rf "$cache/modules"
	mkdir -p "$cache/modules/lib/modules/$kver"
	for m in "${modules[@]}"; do
		f=$(find "$x/lib/modules/$kver/kernel" -name "$m.ko" -o -name "$m.ko.xz" | head -n 1 || true)
		[ -n "$f" ] || { log "module $m not in $pkg"; rm -rf "$x"; return 1; }
		case $f in
		*.xz) xz -dc "$f" >"$cache/modules/lib/modules/$kver/$m.ko" ;;
		*) cp "$f" "$cache/modules/lib/modules/$kver/$m.ko" ;;
		esac || { rm -rf "$x"; return 1; }
	done
	echo "$kver" >"$cache/modules/lib/modules/kver"
	mv "$cache/vmlinux.tmp" "$cache/vmlinux"
	rm -rf "$x" "$deb"
	log "kernel $kver ready in $cache"
}

# /init of the guest: busybox ash.  Kernel command line: scmi.run=SCRIPT
# (a file of the host, run in the chroot with /bin/sh).
write_init() {
	cat >"$1" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
kver=$(cat /lib/modules/kver)
for m in $(cat /lib/modules/order); do
	insmod /lib/modules/$kver/$m.ko || echo "vm-init: insmod $m failed"
done
run=
for a in $(cat /proc/cmdline); do
	case $a in scmi.run=*) run=${a#scmi.run=} ;; esac
done
rc=125
mkdir -p /host /lower /rw
# The host's root, read-only, under a tmpfs overlay: the guest sees every
# host file (its /tmp too) and its own writes stay in the guest.
if mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /lower &&
	mount -t tmpfs rw /rw && mkdir -p /rw/upper /rw/work &&
	mount -t overlay overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /host; then
	mount -t proc proc /host/proc
	mount -t sysfs sys /host/sys
	mount -t devtmpfs dev /host/dev
	mount -t tmpfs run /host/run 2>/dev/null
	mkdir -p /host/dev/pts /host/dev/shm
	mount -t devpts pts /host/dev/pts
	mount -t tmpfs shm /host/dev/shm
	echo "vm-init: running $run"
	chroot /host /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		HOME=/tmp TMPDIR=/tmp SCMI_VM_GUEST=1 /bin/sh "$run"
	rc=$?
else
	echo "vm-init: cannot mount the host's root (9p)"
fi
echo "@@SCMI-VM-EXIT $rc@@"
sync
poweroff -f
EOF
	chmod +x "$1"
}

initrd() {
	local d
	fetch
	if [ -s "$cache/initrd.img" ] && [ "$cache/initrd.img" -nt "$0" ] &&
		[ "$cache/initrd.img" -nt "$cache/vmlinux" ]; then
		return 0
	fi
	d=$(mktemp -d "$cache/root.XXXXXX")
	mkdir -p "$d"/{bin,proc,sys,dev,host,lib}
	cp "$busybox" "$d/bin/busybox"
	cp -r "$cache/modules/lib/modules" "$d/lib/"
	printf '%s\n' "${modules[@]}" >"$d/lib/modules/order"
	write_init "$d/init"
	(cd "$d" && find . | "$busybox" cpio -o -H newc 2>/dev/null) >"$cache/initrd.img.tmp" ||
		{ rm -rf "$d"; return 1; }
	mv "$cache/initrd.img.tmp" "$cache/initrd.img"
	rm -rf "$d"
}

run() {
	local timeout=240 memfile= ivsock= smp=1 extra=() script rc out
	while [ $# -gt 0 ]; do
		case $1 in
		--timeout) timeout=$2; shift 2 ;;
		--mem-file) memfile=$2; shift 2 ;;
		--ivshmem) ivsock=$2; shift 2 ;;
		--smp) smp=$2; shift 2 ;;
		--qemu) extra+=("$2"); shift 2 ;;
		--) shift; break ;;
		*) log "unknown option $1"; exit 2 ;;
		esac
	done
	[ $# -gt 0 ] || { log "run: no command"; exit 2; }
	reason=$(why_not)
	if [ -n "$reason" ]; then
		echo "SKIP: the VM rig cannot run here: $reason"
		exit $SKIP
	fi
	# One fetch / initramfs build at a time (ctest -j runs several).
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	if ! initrd; then
		echo "SKIP: the VM rig cannot run here: no guest kernel or initramfs (see above)"
		exit $SKIP
	fi
	flock -u 9
	# The command, as a script on the host's file system (the guest sees
	# it through 9p at the same path).
	script=$(mktemp "${TMPDIR:-/tmp}/scmi-vm-run.XXXXXX")
	out=$(mktemp "${TMPDIR:-/tmp}/scmi-vm-out.XXXXXX")
	trap 'rm -f "$script" "$out"' EXIT
	{
		printf 'cd %q || exit 125\n' "$PWD"
		printf 'exec'
		printf ' %q' "$@"
		printf '\n'
	} >"$script"
	chmod 644 "$script"
	local dev=()
	if [ -n "$memfile" ]; then
		# The BAR is the file as it is: its size must be a power of two.
		local size
		size=$(stat -c %s "$memfile")
		if [ "$size" -lt 4096 ] || [ $((size & (size - 1))) -ne 0 ]; then
			log "$memfile: $size bytes, not a power of two (4096 at least)"
			exit 2
		fi
		dev+=(-object "memory-backend-file,id=shm0,share=on,mem-path=$memfile,size=$size"
			-device ivshmem-plain,memdev=shm0)
	fi
	if [ -n "$ivsock" ]; then
		dev+=(-chardev "socket,path=$ivsock,id=ivs0" -device ivshmem-doorbell,chardev=ivs0,vectors=1)
	fi
	rc=0
	timeout --foreground -k 5 "$timeout" "$qemu" -accel tcg -cpu max -m 512M -smp "$smp" \
		-nodefaults -no-user-config -display none -no-reboot \
		-serial stdio -kernel "$cache/vmlinux" -initrd "$cache/initrd.img" \
		-append "console=ttyS0 quiet loglevel=3 panic=-1 scmi.run=$script" \
		-virtfs local,path=/,mount_tag=hostroot,readonly=on,multidevs=remap,security_model=none \
		"${dev[@]}" "${extra[@]}" </dev/null | tee "$out" || rc=$?
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		log "the guest did not finish within ${timeout}s"
		exit 124
	fi
	rc=$(sed -n 's/.*@@SCMI-VM-EXIT \([0-9]*\)@@.*/\1/p' "$out" | tail -n 1)
	if [ -z "$rc" ]; then
		log "the guest reported no exit status"
		exit 125
	fi
	exit "$rc"
}

case ${1:-} in
fetch)
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	fetch
	;;
initrd) initrd ;;
check)
	reason=$(why_not)
	[ -z "$reason" ] || { echo "SKIP: $reason"; exit $SKIP; }
	;;
run) shift; run "$@" ;;
*) sed -n '4,30p' "$0" >&2; exit 2 ;;
esac
