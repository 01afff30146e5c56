#!/usr/bin/env bash
# Every input that ever crashed, hung or leaked in a fuzz harness
# (tests/fuzz/run.sh) stays here: scripts (*.stp) go through -p2, -p3 and
# -p4, and the object -p4 wrote must dump with -p3 (what bpftap writes it
# must read); objects (*.bo) go through -p3 and -p3 --dump-format=json. Each must end
# with exit status 0 or 1 within 30 s and no sanitizer report (under
# --enable-sanitizers a report exits 86; the text is also looked for).
# Ends with "N passed, N failed".
set -u
srcdir=${srcdir:-.}
tool=${BPFTAP:-./bpftap}
dir=$srcdir/tests/fuzz/regressions
work=$(mktemp -d /tmp/bpftap-fuzzreg.XXXXXX)
trap 'rm -rf "$work"' EXIT
err=$work/err
pass=0 fail=0

check() {	# check MAXRC FILE ARGS...
	local max=$1 f=$2 rc
	shift 2
	timeout -k 5 30 "$tool" "$@" "$f" >/dev/null 2>"$err" </dev/null
	rc=$?
	if [ $rc -le $max ] &&
	   ! grep -qE 'runtime error:|ERROR: [A-Za-z]+Sanitizer' "$err"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $(basename "$f") $*: exit $rc"
		head -c 2000 "$err" | sed 's/^/    /'
	fi
}

for f in "$dir"/*.stp; do
	[ -f "$f" ] || continue
	check 1 "$f" -p2
	check 1 "$f" -p3
	rm -f "$work/o.bo"
	check 1 "$f" -p4 -o "$work/o.bo"
	[ ! -f "$work/o.bo" ] || check 0 "$work/o.bo" -p3
done
for f in "$dir"/*.bo; do
	[ -f "$f" ] || continue
	check 1 "$f" -p3
	check 1 "$f" -p3 --dump-format=json
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
