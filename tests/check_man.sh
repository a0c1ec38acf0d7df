#!/usr/bin/env bash
# Lint the man pages (docs/man/*.[1-8]): groff must format each one without
# a warning (-ww: all of them), man(1) must render it, and mandoc -Tlint,
# where installed, must find nothing above a style note.  Exit 77 (ctest:
# skipped) when groff is not installed.
# Usage: tests/check_man.sh DIR
set -uo pipefail
dir=${1:?usage: check_man.sh DIR}
command -v groff >/dev/null || { echo "groff not installed: man pages not checked"; exit 77; }
shopt -s nullglob
pages=("$dir"/*.[1-8])
[ ${#pages[@]} -gt 0 ] || { echo "no man pages in $dir"; exit 1; }
fail=0
for p in "${pages[@]}"; do
	out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$p" 2>&1)
	if [ -n "$out" ]; then
		echo "$p: groff:"; echo "$out"; fail=1
	fi
	# The page must name itself in .TH and have the sections man pages have.
	name=$(basename "$p"); name=${name%.*}
	th=$(grep -m1 '^\.TH ' "$p" | awk '{print $2}' | sed 's/\\-/-/g')
	if [ "${th,,}" != "${name,,}" ]; then
		echo "$p: .TH names '$th', not $name"; fail=1
	fi
	for s in NAME SYNOPSIS DESCRIPTION; do
		grep -q "^\.SH \"\?$s" "$p" || { echo "$p: no $s section"; fail=1; }
	done
	if command -v man >/dev/null; then
		text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$p" 2>&1 >/dev/null)
		if [ -n "$text" ]; then
			echo "$p: man -l:"; echo "$text"; fail=1
		fi
	fi
	if command -v mandoc >/dev/null; then
		lint=$(mandoc -Tlint -W warning "$p" 2>&1)
		if [ -n "$lint" ]; then
			echo "$p: mandoc:"; echo "$lint"; fail=1
		fi
	fi
done
[ $fail -eq 0 ] && echo "man pages: ${#pages[@]} checked, no warning"
exit $fail
