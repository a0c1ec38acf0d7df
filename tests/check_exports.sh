#!/usr/bin/env bash
# The shared libraries export their public API and nothing else:
#   libscmi.so      exactly the functions declared SCMI_EXPORT in
#                   include/scmi/ (all scmi_*, none scmi_sim_* or
#                   scmi_loopback_*);
#   libscmi-sim.so  exactly those declared SCMI_EXPORT in include/scmi-sim/
#                   (scmi_sim_*, and loopback://'s scmi_loopback_*).
# Usage: check_exports.sh LIBSCMI_SO LIBSCMI_SIM_SO SRC_INCLUDE_DIR BIN_INCLUDE_DIR
set -euo pipefail
lib=$1 simlib=$2 inc=$3 geninc=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

exported() { nm -D --defined-only "$1" | awk 'NF == 3 { print $3 }' | sort -u; }
# Names of the functions declared "SCMI_EXPORT ... name(" in the headers.
declared() {
	# Comments and preprocessor lines out; then every "SCMI_EXPORT ... name(".
	cat "$@" | perl -0777 -ne '
		s{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s{^[ \t]*#[^\n]*}{}gm;
		while (/SCMI_EXPORT\s+[^;(]*?\b([A-Za-z_]\w*)\s*\(/g) { print "$1\n" }' |
		sort -u
}

check() { # name, exported list, declared list, allowed-prefix regex
	local name=$1 exp=$2 decl=$3 re=$4
	local bad extra missing
	bad=$(grep -Ev "$re" "$exp" || true)
	extra=$(comm -23 "$exp" "$decl")
	missing=$(comm -13 "$exp" "$decl")
	if [ -n "$bad" ]; then
		echo "$name exports symbols outside its API prefix:"; echo "$bad" | sed 's/^/  /'
		fail=1
	fi
	if [ -n "$extra" ]; then
		echo "$name exports symbols no public header declares SCMI_EXPORT:"
		echo "$extra" | sed 's/^/  /'
		fail=1
	fi
	if [ -n "$missing" ]; then
		echo "$name lacks symbols its public headers declare:"; echo "$missing" | sed 's/^/  /'
		fail=1
	fi
	echo "$name: $(wc -l <"$exp") symbols exported"
}

exported "$lib" >"$tmp/core.exp"
declared $(find "$inc/scmi" "$geninc/scmi" -name '*.h') >"$tmp/core.decl"
check libscmi.so "$tmp/core.exp" "$tmp/core.decl" '^scmi_'
if grep -E '^scmi_(sim|loopback)_' "$tmp/core.exp"; then
	echo "libscmi.so exports simulator symbols (above)"
	fail=1
fi

exported "$simlib" >"$tmp/sim.exp"
declared $(find "$inc/scmi-sim" -name '*.h') >"$tmp/sim.decl"
check libscmi-sim.so "$tmp/sim.exp" "$tmp/sim.decl" '^scmi_(sim|loopback)_'

[ "$fail" = 0 ] && echo "exports: ok"
exit "$fail"
