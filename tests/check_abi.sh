#!/usr/bin/env bash
# The ABI baseline (abi/, docs/PORTABILITY.md): the shared libraries must
# export exactly the symbols of abi/<lib>.symbols, carry the soname
# <lib>.so.<major>, and (with --abidiff, when abidiff is installed) show no
# difference from abi/<lib>.abi as abidiff sees it.  A deliberate ABI change
# regenerates the baseline with scripts/abi-update.sh, in its own commit.
# Usage: check_abi.sh [--abidiff] ABI_DIR MAJOR LIB.so...
set -euo pipefail
abidiff_too=0
if [ "${1:-}" = "--abidiff" ]; then abidiff_too=1; shift; fi
abidir=$1 major=$2
shift 2
fail=0
how="If the change is deliberate, run scripts/abi-update.sh and commit abi/ (an ABI change is its own commit; see docs/PORTABILITY.md)."

# "name type" per exported symbol (type: nm's letter, T function, D/B/R data).
symbols() { nm -D --defined-only "$1" | awk 'NF == 3 { print $3, $2 }' | LC_ALL=C sort -u; }

for so in "$@"; do
	base=$(basename "$so")
	name=${base%%.so*}
	soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
	if [ "$soname" != "$name.so.$major" ]; then
		echo "$base: soname '$soname', expected $name.so.$major"
		fail=1
	fi
	if [ ! -f "$abidir/$name.symbols" ]; then
		echo "$name: no baseline $abidir/$name.symbols. $how"
		fail=1
		continue
	fi
	if ! diff -u "$abidir/$name.symbols" <(symbols "$so") >"${TMPDIR:-/tmp}/abi-$$.diff"; then
		echo "$name: exported symbols differ from abi/$name.symbols (- baseline, + this build):"
		grep -E '^[-+][^-+]' "${TMPDIR:-/tmp}/abi-$$.diff" | sed 's/^/  /'
		fail=1
	else
		echo "$name: $(wc -l <"$abidir/$name.symbols") exported symbols, as in abi/$name.symbols"
	fi
	rm -f "${TMPDIR:-/tmp}/abi-$$.diff"
	if [ $abidiff_too -eq 1 ]; then
		if ! command -v abidiff >/dev/null; then
			echo "$name: abidiff not installed (abigail-tools): types not compared"
		elif [ ! -f "$abidir/$name.abi" ]; then
			echo "$name: no $abidir/$name.abi. $how"
			fail=1
		else
			# The baseline holds the public types only (abidw
			# --drop-private-types): what the API shows is compared.
			rc=0
			abidiff --no-added-syms "$abidir/$name.abi" "$so" || rc=$?
			if [ $rc -ne 0 ]; then
				echo "$name: abidiff against abi/$name.abi: exit $rc (4: ABI change, 8: incompatible)"
				fail=1
			else
				echo "$name: abidiff: no change from abi/$name.abi"
			fi
		fi
	fi
done
[ $fail -eq 0 ] && echo "abi: ok" || echo "$how"
exit $fail
