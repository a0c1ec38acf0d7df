#!/usr/bin/env bash
# The README's "API tour" shows examples/tour.c (which ctest builds and runs
# as example_tour): the two must not drift apart.  Compares the first
# ```c block after the "## API tour" heading with the file.
# Usage: tests/check_readme_tour.sh README.md examples/tour.c [HEADING]
# (HEADING: the line the block follows, default "## API tour")
set -euo pipefail
readme=$1 src=$2 heading=${3:-## API tour}
shown=$(awk -v h="$heading" '$0 == h {t = 1} t && /^```c$/ {c = 1; next} c && /^```$/ {exit} c' "$readme")
if ! diff -u <(printf '%s\n' "$shown") "$src"; then
	echo "README.md's block under \"$heading\" differs from $src (above): copy the file into the README" >&2
	exit 1
fi
echo "README API tour matches $src"
