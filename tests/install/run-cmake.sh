#!/usr/bin/env bash
# Install the build into a temporary prefix, then configure, build and run
# the project in cmake/ against it with find_package(scmi): scmi::scmi-sim
# (opens loopback://) and scmi::scmi alone (cannot).  No LD_LIBRARY_PATH:
# CMake links the programs with an RPATH to the imported libraries.
set -euo pipefail
build_dir=$1
src_dir=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
unset LD_LIBRARY_PATH SCMI_URI

cmake --install "$build_dir" --prefix "$prefix" >/dev/null
for f in scmiConfig.cmake scmiConfigVersion.cmake scmiTargets.cmake; do
	[ -n "$(find "$prefix" -name "$f")" ] || { echo "$f not installed"; exit 1; }
done
cmake -S "$src_dir/cmake" -B "$prefix/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" \
	-DCMAKE_BUILD_TYPE=Release >"$prefix/configure.log" ||
	{ cat "$prefix/configure.log"; exit 1; }
cmake --build "$prefix/consumer-build" >"$prefix/build.log" || { cat "$prefix/build.log"; exit 1; }
"$prefix/consumer-build/consumer"
"$prefix/consumer-build/consumer-core"
if readelf -d "$prefix/consumer-build/consumer-core" | grep -q 'libscmi-sim'; then
	echo "consumer-core links libscmi-sim"; exit 1
fi
# A version the package does not provide is refused.
mkdir -p "$prefix/too-new"
cat >"$prefix/too-new/CMakeLists.txt" <<'EOT'
cmake_minimum_required(VERSION 3.16)
project(too_new LANGUAGES C)
find_package(scmi 99 REQUIRED)
EOT
if cmake -S "$prefix/too-new" -B "$prefix/too-new/b" -DCMAKE_PREFIX_PATH="$prefix" \
	>/dev/null 2>&1; then
	echo "find_package(scmi 99) succeeded"; exit 1
fi
echo "install test (CMake package): ok"
