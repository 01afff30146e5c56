#!/usr/bin/env bash
# The man page bpftap(1) documents every option `bpftap --help` lists,
# has the sections a user looks for, names every kind of probe point,
# and renders without a groff warning.
set -u
srcdir=${srcdir:-.}
tool=${BPFTAP:-./bpftap}
man=$srcdir/docs/bpftap.1
fail=0
# options: "  -e SCRIPT ...", "  -h, --help ...", "  --format=json ..."
opts=$("$tool" --help | sed -n 's/^  \(-[^ ]*\).*/\1/p' | tr -d ',' )
opts+=" $("$tool" --help | sed -n 's/^  -[a-zA-Z], \(--[a-z-]*\).*/\1/p')"
n=0
for o in $opts; do
	o=${o%%=*}
	n=$((n + 1))
	grep -qF -- "${o//-/\\-}" "$man" || { echo "FAIL: option $o is not in the man page"; fail=1; }
done
[ $n -ge 15 ] || { echo "FAIL: only $n options read from --help"; fail=1; }
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "PROBE POINTS" FUNCTIONS EXAMPLES \
	DIAGNOSTICS "EXIT STATUS"; do
	grep -qx "\.SH \"\?$s\"\?" "$man" || { echo "FAIL: no $s section"; fail=1; }
done
for p in begin end error timer.ms timer.profile perf.type kernel.trace \
	process kernel.function syscall.NAME; do
	grep -qF "$p" "$man" || { echo "FAIL: probe point $p is not in the man page"; fail=1; }
done
if command -v groff >/dev/null; then
	warn=$(groff -man -ww -z "$man" 2>&1)
	[ -z "$warn" ] || { echo "FAIL: groff warns:"; echo "$warn" | sed 's/^/    /'; fail=1; }
else
	echo "note: no groff, rendering not checked"
fi
[ $fail = 0 ] && echo "PASS man page: $n options"
exit $fail
