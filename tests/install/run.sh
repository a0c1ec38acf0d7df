#!/usr/bin/env bash
# Install the build into a temporary prefix, then build and run consumers
# with nothing but plain pkg-config (the .pc files are relocatable) and no
# LD_LIBRARY_PATH (the installed programs carry an RPATH; the consumers are
# linked with one to the libdir pkg-config names):
#   consumer       scmi-sim (and so scmi): opens loopback://
#   consumer-core  scmi alone: loopback:// refused, saying what to link
# Also statically, and the installed scmi and scmi-sim programs.
set -euo pipefail
build_dir=$1
src_dir=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
unset LD_LIBRARY_PATH SCMI_URI

cmake --install "$build_dir" --prefix "$prefix" >/dev/null
pc=$(find "$prefix" -name scmi.pc | head -n1)
[ -n "$pc" ] || { echo "scmi.pc not installed"; exit 1; }
[ -f "$(dirname "$pc")/scmi-sim.pc" ] || { echo "scmi-sim.pc not installed"; exit 1; }
[ -f "$prefix/include/scmi/scmi.h" ] || { echo "headers not installed"; exit 1; }
[ -f "$prefix/include/scmi/version.h" ] || { echo "scmi/version.h not installed"; exit 1; }
[ -f "$prefix/include/scmi-sim/sim.h" ] || { echo "simulator headers not installed"; exit 1; }
[ ! -e "$prefix/include/scmi/sim.h" ] && [ ! -e "$prefix/include/scmi/sim" ] ||
	{ echo "simulator headers installed among libscmi's"; exit 1; }
[ -x "$prefix/bin/scmi" ] || { echo "scmi CLI not installed"; exit 1; }

export PKG_CONFIG_PATH=$(dirname "$pc")
# Relocatable: the flags name the prefix we installed to.
cflags=$(pkg-config --cflags-only-I scmi)
incdir=${cflags%% *}
incdir=${incdir#-I}
[ -d "$incdir" ] && [ "$(cd "$incdir" && pwd -P)" = "$(cd "$prefix/include" && pwd -P)" ] ||
	{ echo "pkg-config --cflags scmi: '$cflags', not $prefix/include"; exit 1; }
libdir=$(pkg-config --variable=libdir scmi)
[ "$(cd "$libdir" && pwd -P)" = "$(cd "$(dirname "$pc")/.." && pwd -P)" ] ||
	{ echo "libdir '$libdir' is not where scmi.pc is"; exit 1; }
pkg-config --libs scmi-sim | grep -q -- "-lscmi-sim" || { echo "scmi-sim.pc: no -lscmi-sim"; exit 1; }

cc -std=c11 -Wall -Werror "$src_dir/consumer.c" -o "$prefix/consumer" \
	$(pkg-config --cflags --libs scmi-sim) -Wl,-rpath,"$libdir"
"$prefix/consumer"
cc -std=c11 -Wall -Werror "$src_dir/consumer_core.c" -o "$prefix/consumer-core" \
	$(pkg-config --cflags --libs scmi) -Wl,-rpath,"$libdir"
"$prefix/consumer-core"
if readelf -d "$prefix/consumer-core" | grep -q 'libscmi-sim'; then
	echo "consumer-core links libscmi-sim"; exit 1
fi
# Static linking works too.
cc -std=c11 -Wall -Werror "$src_dir/consumer.c" -o "$prefix/consumer-static" \
	$(pkg-config --cflags scmi-sim) "$libdir/libscmi-sim.a" "$libdir/libscmi.a" \
	$(pkg-config --static --libs-only-l --libs-only-other scmi-sim |
		sed 's/-lscmi-sim//; s/-lscmi\b//')
"$prefix/consumer-static"
# The installed programs start without LD_LIBRARY_PATH (their RPATH).
"$prefix/bin/scmi" info >/dev/null 2>"$prefix/err" || { cat "$prefix/err"; exit 1; }
grep -q "talking to the simulator" "$prefix/err" || { echo "no simulator note"; exit 1; }
if [ -x "$prefix/bin/scmi-sim" ]; then
	"$prefix/bin/scmi-sim" --help >/dev/null
fi
# scmi-evdev and scmid, where built: their man pages, and they start.
if [ -e "$prefix/bin/scmi-evdev" ]; then
	[ -f "$prefix/share/man/man1/scmi-evdev.1" ] || { echo "scmi-evdev.1 not installed"; exit 1; }
	"$prefix/bin/scmi-evdev" --version >/dev/null
fi
if [ -e "$prefix/sbin/scmid" ]; then
	[ -f "$prefix/share/man/man8/scmid.8" ] || { echo "scmid.8 not installed"; exit 1; }
	"$prefix/sbin/scmid" --version >/dev/null
fi
echo "install test (pkg-config): ok"
