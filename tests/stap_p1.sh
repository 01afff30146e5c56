#!/bin/sh
# What -p1 prints is SystemTap: stap's own parser (stap -p1) must accept
# the printed form of every script of the tree and of the conformance
# cases. Scripts using bpftap's one extension ('>>>=') are left out.
# Needs stap (Debian's systemtap); without it the test is skipped.
# Ends with "N passed, N failed".
srcdir=${srcdir:-.}
top=$(cd "$srcdir" && pwd)
tool=${BPFTAP:-./bpftap}
pass=0
fail=0

if ! command -v stap >/dev/null 2>&1; then
	echo "SKIP: stap is not installed (apt-get install systemtap)"
	exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/stap_p1.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
# stap -p1 parses its whole tapset library too (half a second a run);
# the printed scripts need none of it, their macros being expanded
mkdir "$work/tapsets"
SYSTEMTAP_TAPSET=$work/tapsets; export SYSTEMTAP_TAPSET
# stap checks for the kernel's build tree even at -p1. Without one (no
# kernel headers installed) a private stand-in with the files it looks
# for will do: parsing reads none of them.
kopt=
if [ ! -e "/lib/modules/$(uname -r)/build/.config" ]; then
	kb=$work/build
	mkdir -p "$kb/include/config" || exit 99
	uname -r >"$kb/include/config/kernel.release"
	zcat /proc/config.gz >"$kb/.config" 2>/dev/null || : >"$kb/.config"
	: >"$kb/Module.symvers"
	kopt="-r $kb"
fi
. "$top/tests/helpers/shared.sh" "$top"
for s in "$top"/tests/parse/*.stp "$top"/tests/e2e/*.stp \
	 "$top"/examples/*.stp "$shared"/conformance/cases/*.stp; do
	[ -f "$s" ] || continue
	grep -q '>>>=' "$s" && continue
	sargs=$(sed -n 's/^# script-args: //p' "$s" | head -1)
	eval "set -- $sargs"
	if ! "$tool" -p1 "$s" "$@" >"$work/p1.stp" 2>"$work/err"; then
		fail=$((fail + 1))
		echo "FAIL $s: bpftap -p1 failed"
		sed 's/^/    /' "$work/err" | head -5
		continue
	fi
	if stap -p1 $kopt "$work/p1.stp" "$@" >/dev/null 2>"$work/err"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $s: stap -p1 refuses what bpftap printed"
		grep -v '^WARNING' "$work/err" | sed 's/^/    /' | head -5
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
