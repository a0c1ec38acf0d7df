#!/usr/bin/env bash
# Install the build into a temporary prefix, then build and run a consumer
# that uses nothing but `pkg-config --cflags --libs scmi`.
set -euo pipefail
build_dir=$1
src_dir=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build_dir" --prefix "$prefix" >/dev/null
pc_dir=$(dirname "$(find "$prefix" -name scmi.pc | head -n1)")
[ -f "$prefix/include/scmi/scmi.h" ] || { echo "headers not installed"; exit 1; }
[ -x "$prefix/bin/scmi" ] || { echo "scmi CLI not installed"; exit 1; }

export PKG_CONFIG_PATH=$pc_dir
# The .pc was generated for the configured prefix; point it at ours.
flags=$(pkg-config --define-prefix --cflags --libs scmi)
cc -std=c11 -Wall -Werror "$src_dir/consumer.c" -o "$prefix/consumer" $flags
libdir=$(pkg-config --define-prefix --variable=libdir scmi)
LD_LIBRARY_PATH=$libdir "$prefix/consumer"
# Static linking works too.
cc -std=c11 -Wall -Werror "$src_dir/consumer.c" -o "$prefix/consumer-static" \
	$(pkg-config --define-prefix --cflags scmi) "$libdir/libscmi.a" \
	$(pkg-config --define-prefix --static --libs-only-l --libs-only-other scmi | sed 's/-lscmi//')
"$prefix/consumer-static"
LD_LIBRARY_PATH=$libdir "$prefix/bin/scmi" info >/dev/null
# scmi-evdev, where built: its man page, and it starts from where it is
# installed with no environment tweaks (its RPATH).
if [ -e "$prefix/bin/scmi-evdev" ]; then
	[ -f "$prefix/share/man/man1/scmi-evdev.1" ] || { echo "scmi-evdev.1 not installed"; exit 1; }
	env -u LD_LIBRARY_PATH "$prefix/bin/scmi-evdev" --version >/dev/null
fi
echo "install test: ok"
