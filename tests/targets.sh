#!/usr/bin/env bash
# Targets whose pid is only known at run time, so not an e2e script:
#   - process(PID).function: uprobes on one process only (another process
#     of the same executable makes calls at the same time);
#   - -x PID: target() is PID, pid() == target() picks it out; with -o
#     FILE, for the script and for its -p4 object;
#   - -x of a process that is gone: the session still runs (stap: "the
#     script runs independently of the PID's lifespan").
# The uprobed helpers wait on a FIFO until the probes are attached.
# Ends with "N passed, N failed".
set -u
srcdir=${srcdir:-.}
tool=$(cd "$(dirname "${BPFTAP:-./bpftap}")" && pwd)/$(basename "${BPFTAP:-./bpftap}")
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: target tests load programs into the kernel: run as root"
	exit 77
fi
build=${BUILDDIR:-$PWD}
uprobed=$build/tests/helpers/uprobed
[ -x "$uprobed" ] || { echo "SKIP: $uprobed is not built"; exit 77; }
work=$(mktemp -d /tmp/bpftap-targets.XXXXXX) || exit 99
# Only jobs still running are stopped: a reaped pid may be another
# process's by now.
cleanup() {
	local j
	j=$(jobs -p)
	[ -z "$j" ] || kill $j 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; }

# start_uprobed FIFO N: an uprobed that makes N rounds of calls once a
# byte arrives on FIFO; its pid in $upid.
start_uprobed() {
	mkfifo "$1" || exit 99
	"$uprobed" fifo "$1" "$2" &
	upid=$!
}

# wait_for FILE TEXT: until FILE holds TEXT (at most 10 s).
wait_for() {
	for _ in $(seq 200); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# expect NAME FILE WANT: FILE holds exactly WANT.
expect() {
	if [ "$(cat "$2")" = "$3" ]; then
		ok "$1"
	else
		bad "$1" "$(diff <(printf '%s\n' "$3") "$2" | head -10)" \
			"$(head -3 "$work/err" 2>/dev/null)"
	fi
}

# ---- process(PID): only that process's calls ----
start_uprobed "$work/f1" 3
p1=$upid
start_uprobed "$work/f2" 5
p2=$upid
cat >"$work/pid.stp" <<EOF
global n, r, others
probe process($p1).function("add") {
	n++
	if (pid() != $p1)
		others++
}
probe process($p1).function("add").return { r = returnval() }
probe end { printf("%d calls, returned %d, from others %d\n", n, r, others) }
EOF
# -c starts only once every probe is attached: it lets both helpers go,
# then waits until this shell has reaped them.
"$tool" -c "sh -c 'echo > $work/f1; echo > $work/f2; while [ ! -e $work/done ]; do sleep 0.05; done'" \
	"$work/pid.stp" >"$work/out" 2>"$work/err" &
tp=$!
wait "$p1" "$p2"
touch "$work/done"
wait "$tp"
rc=$?
[ $rc = 0 ] || bad "process(PID): exit $rc" "$(head -3 "$work/err")"
expect "process(PID).function, .return" "$work/out" \
	"3 calls, returned 1000, from others 0"

# ---- -x PID, -o FILE: script and object ----
cat >"$work/x.stp" <<EOF
global armed, n, nother
probe timer.ms(20) {
	if (!armed) {
		armed = 1
		println("armed")
	}
}
probe process("$uprobed").function("add") {
	if (pid() == target())
		n++
	else
		nother++
}
probe kernel.trace("syscalls:sys_enter_exit_group") {
	if (pid() == target()) {
		printf("target exits after %d adds (others %s)\n", n,
		       nother ? "seen" : "none")
		exit()
	}
}
EOF
"$tool" -p4 -o "$work/x.bo" "$work/x.stp" >/dev/null 2>"$work/err" ||
	bad "-p4 of the -x script" "$(head -3 "$work/err")"
i=0
for what in x.stp x.bo; do
	i=$((i + 1))
	rm -f "$work/out"
	start_uprobed "$work/x$i" 4
	px=$upid
	start_uprobed "$work/o$i" 2
	po=$upid
	"$tool" -x "$px" -o "$work/out" "$work/$what" >"$work/stdout" \
		2>"$work/err" &
	tp=$!
	if ! wait_for "$work/out" armed; then
		bad "-x $what: never armed" "$(head -3 "$work/err")"
		kill "$tp"
		wait "$tp"
		continue
	fi
	echo >"$work/o$i"
	wait "$po"
	echo >"$work/x$i"
	wait "$px"
	wait "$tp"
	rc=$?
	[ $rc = 0 ] && [ ! -s "$work/stdout" ] ||
		bad "-x $what: exit $rc, or output on stdout" "$(head -3 "$work/err")"
	expect "-x PID -o FILE $what" "$work/out" "armed
target exits after 4 adds (others seen)"
done

# ---- -x of a pid that is gone: the session runs all the same ----
sh -c 'exit 0' &
gone=$!
wait "$gone"
"$tool" -x "$gone" -e 'probe timer.ms(300) { printf("%d\n", target()); exit() }' \
	>"$work/out" 2>"$work/err"
rc=$?
[ $rc = 0 ] || bad "-x of a finished process: exit $rc" "$(head -3 "$work/err")"
expect "-x of a finished process runs on" "$work/out" "$gone"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
