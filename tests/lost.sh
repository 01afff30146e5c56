#!/usr/bin/env bash
# Lost output: with a 1 MB ring (-s 1) and a reader that starts late, a
# flood of printf records overflows the ring. The probes never wait: each
# record that finds no room is counted, and "WARNING: N output records
# lost" reports them. Every event is either printed or
# counted, so printed + lost must equal the events, whatever the timing.
set -u
tool=${BPFTAP:-./bpftap}
helpers=${BUILDDIR:-.}/tests/helpers
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: loads programs into the kernel: run as root"
	exit 77
fi
work=$(mktemp -d /tmp/bpftap-lost.XXXXXX)
trap 'rm -rf "$work"' EXIT
events=200000
cat > "$work/flood.stp" <<'STP'
probe kernel.trace("syscalls:sys_enter_getppid") {
	if (pid() == target())
		printf("%d\n", pid())
}
STP
# The reader sleeps first, so the pipe fills and bpftap stops draining
# the ring while the workload runs.
timeout -k 5 120 "$tool" -s 1 -c "$helpers/sysloop $events" "$work/flood.stp" \
	2>"$work/err" | { sleep 1; wc -l > "$work/count"; }
rc=${PIPESTATUS[0]}
printed=$(cat "$work/count")
lost=$(sed -n 's/^WARNING: \([0-9]*\) output records lost$/\1/p' "$work/err")
lost=${lost:-0}
echo "events $events, printed $printed, lost $lost (exit $rc)"
fail=0
[ "$rc" = 0 ] || { echo "FAIL: exit status $rc"; fail=1; }
[ $((printed + lost)) = $events ] || { echo "FAIL: printed + lost != events"; fail=1; }
# 200000 records of 24 bytes do not fit a 1 MB ring: some must be lost,
# or this did not test the count
[ "$lost" -gt 0 ] || { echo "FAIL: nothing lost: the flood did not overflow the ring"; fail=1; }
if grep -v '^WARNING: [0-9]* output records lost$' "$work/err" | grep -q .; then
	echo "FAIL: unexpected stderr:"; sed 's/^/    /' "$work/err"; fail=1
fi
# Without loss the count must be silent: a default-sized ring and a
# reader that keeps up.
timeout -k 5 60 "$tool" -c "$helpers/sysloop 1000" "$work/flood.stp" \
	>"$work/out2" 2>"$work/err2"
if [ "$(wc -l < "$work/out2")" != 1000 ] || [ -s "$work/err2" ]; then
	echo "FAIL: 1000 events without loss: $(wc -l < "$work/out2") lines"
	sed 's/^/    /' "$work/err2"; fail=1
fi
# -s is checked
for bad in 0 4096 x; do
	if "$tool" -s $bad -e 'probe begin { exit() }' 2>"$work/err3"; then
		echo "FAIL: -s $bad accepted"; fail=1
	fi
done
# -s NUM sizes the ring (MB, rounded up to a power of two; default 4):
# read the ring buffer map's size from the running session's descriptors
ringsize() {	# ringsize [-s NUM]
	local pid i f size=
	: > "$work/tick"
	"$tool" "$@" -e 'probe timer.ms(5) { println("x") }' > "$work/tick" 2>&1 &
	pid=$!
	for ((i = 0; i < 200; i++)); do
		[ -s "$work/tick" ] && break
		sleep 0.05
	done
	for f in /proc/$pid/fdinfo/*; do
		grep -q '^map_type:[[:space:]]*27$' "$f" 2>/dev/null &&	# BPF_MAP_TYPE_RINGBUF
			size=$(sed -n 's/^max_entries:[[:space:]]*//p' "$f")
	done
	kill -INT $pid
	wait $pid
	echo "${size:-none}"
}
for c in ":4194304" "-s 1:1048576" "-s 3:4194304" "-s 16:16777216"; do
	got=$(ringsize ${c%%:*})
	[ "$got" = "${c#*:}" ] || { echo "FAIL: ring of ${c%%:*}: $got bytes, expected ${c#*:}"; fail=1; }
done
[ $fail = 0 ] && echo "PASS lost output"
exit $fail
