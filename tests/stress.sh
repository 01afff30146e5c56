#!/usr/bin/env bash
# Concurrency: for 10 s two processes pinned to CPU 0 and CPU 1 call
# getpid(2) as fast as they can; every call adds to one array element
# (a["all"]++: atomic adds on one hash element from both CPUs) and to one
# aggregate (st <<< cpu() + 1: per-CPU copies summed at the end). Each
# process reports how many calls it made; the totals must be exact:
# a["all"] = @count(st) = N0 + N1 and @sum(st) = N0 + 2 N1.
# Meanwhile a timer prints a numbered line every 200 us, and the session
# ends with exit() (when the workload's parent exits) while it fires:
# every line must be whole, the numbers increasing, printed + lost equal
# to the timer's count, and the end probe's line last.
set -u
tool=${BPFTAP:-./bpftap}
helpers=${BUILDDIR:-.}/tests/helpers
secs=${STRESS_SECONDS:-10}
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: loads programs into the kernel: run as root"
	exit 77
fi
if [ "$(nproc)" -lt 2 ]; then
	echo "SKIP: needs 2 CPUs, this machine has $(nproc)"
	exit 77
fi
work=$(mktemp -d /tmp/bpftap-stress.XXXXXX)
trap 'rm -rf "$work"' EXIT
# the workload runs as uid 4242
chmod 755 "$work"
: > "$work/counts"
chmod 666 "$work/counts"
cat > "$work/stress.stp" <<'STP'
global a, st, ticks
probe kernel.trace("syscalls:sys_enter_getpid") {
	if (ppid() == target()) {
		a["all"]++
		st <<< cpu() + 1
	}
}
probe timer.us(200) {
	ticks++
	printf("tick %d\n", ticks)
}
probe kernel.trace("sched:sched_process_exit") {
	if (pid() == target())
		exit()
}
probe end {
	printf("all %d count %d sum %d ticks %d\n", a["all"], @count(st),
	       @sum(st), ticks)
}
STP
timeout -k 5 $((secs + 60)) "$tool" -c "$helpers/twocpus -t $secs $work/counts" \
	"$work/stress.stp" >"$work/out" 2>"$work/err"
rc=$?
fail=0
n0=$(sed -n 's/^0 //p' "$work/counts" 2>/dev/null)
n1=$(sed -n 's/^1 //p' "$work/counts" 2>/dev/null)
last=$(tail -1 "$work/out")
echo "calls: cpu0 ${n0:-?}, cpu1 ${n1:-?}; $last (exit $rc)"
[ "$rc" = 0 ] || { echo "FAIL: exit status $rc"; fail=1; }
if [ -z "$n0" ] || [ -z "$n1" ]; then
	echo "FAIL: the workload did not report its calls"
	exit 1
fi
want="all $((n0 + n1)) count $((n0 + n1)) sum $((n0 + 2 * n1))"
case $last in
"$want ticks "*) ;;
*) echo "FAIL: expected '$want ticks N'"; fail=1 ;;
esac
ticks=${last##* }
lost=$(sed -n 's/^WARNING: \([0-9]*\) output records lost$/\1/p' "$work/err")
# every line but the last a whole "tick N", N increasing
bad=$(sed '$d' "$work/out" | awk '
	$0 !~ /^tick [0-9]+$/ || $2 <= prev { print NR ": " $0; exit }
	{ prev = $2 }')
[ -z "$bad" ] || { echo "FAIL: line $bad"; fail=1; }
printed=$(grep -c '^tick ' "$work/out")
[ $((printed + ${lost:-0})) = "$ticks" ] || {
	echo "FAIL: $printed tick lines + ${lost:-0} lost != $ticks ticks"; fail=1; }
if grep -v '^WARNING: [0-9]* output records lost$' "$work/err" | grep -q .; then
	echo "FAIL: unexpected stderr:"; sed 's/^/    /' "$work/err"; fail=1
fi
[ $fail = 0 ] && echo "PASS stress"
exit $fail
