#!/usr/bin/env bash
# Regenerate the ABI baseline (abi/: exported-symbol lists and abidw XML of
# libscmi.so and libscmi-sim.so) from a default gcc build, deliberately:
# commit the result on its own ("abi: ..."), saying what changed and why
# (docs/PORTABILITY.md, "ABI policy").  The ctest abi_baseline compares
# every default build with it.
# Usage: scripts/abi-update.sh [BUILD_DIR]   (default build-abi, made fresh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-abi}
command -v abidw >/dev/null || scripts/deps.sh
# The baseline build: default options, gcc, RelWithDebInfo (abidw reads the
# debug info), whatever build directory the caller already uses.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=gcc \
	-DSCMI_BUILD_BENCH=OFF -DSCMI_BUILD_EXAMPLES=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j2 --target scmi scmi_sim_shared
mkdir -p abi
for so in "$build/lib/libscmi.so" "$build/sim/libscmi-sim.so"; do
	name=$(basename "$so" .so)
	nm -D --defined-only "$so" | awk 'NF == 3 { print $3, $2 }' | LC_ALL=C sort -u >"abi/$name.symbols"
	# Private types (not in include/) and source locations left out, and
	# no paths of this machine: abidiff ignores them anyway.
	abidw --no-corpus-path --no-comp-dir-path --no-show-locs --drop-private-types \
		--headers-dir include --out-file "abi/$name.abi" "$so"
	sed -i "s|path='$PWD/|path='|" "abi/$name.abi"
	echo "abi/$name.symbols: $(wc -l <"abi/$name.symbols") symbols; abi/$name.abi: $(wc -c <"abi/$name.abi") bytes"
done
git --no-pager diff --stat -- abi/ || true
echo "Now commit abi/ on its own: git add abi && git commit -m 'abi: <what changed and why>'"
