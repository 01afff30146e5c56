#!/bin/sh
# The -p1 round trip (tests/roundtrip) over every script of the source
# tree and over the shared conformance cases. Scripts under tests/errors
# are meant not to compile, so they are left out. Ends with
# "N passed, N failed".
srcdir=${srcdir:-.}
top=$(cd "$srcdir" && pwd)
tool=${ROUNDTRIP:-./tests/roundtrip}
pass=0
fail=0

if [ ! -x "$tool" ]; then
	echo "roundtrip.sh: $tool not built" >&2
	exit 99
fi

check_one() {
	if "$tool" "$1"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $1"
	fi
}

list=$(mktemp "${TMPDIR:-/tmp}/roundtrip.XXXXXX") || exit 99
trap 'rm -f "$list"' EXIT
find "$top" \( -name .git -o -name 'build*' -o -name autom4te.cache \
	-o -path "$top/tests/errors" \) -prune -o -name '*.stp' -type f \
	-print | sort > "$list"
. "$top/tests/helpers/shared.sh" "$top"
cases="$shared/conformance/cases"
if [ -d "$cases" ]; then
	find "$cases" -name '*.stp' -type f | sort >> "$list"
else
	echo "SKIP conformance cases: $cases not found"
fi
while IFS= read -r f; do
	check_one "$f"
done < "$list"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
