#!/usr/bin/env bash
# Clean shutdown: SIGINT, SIGTERM, SIGHUP, exit(), the -c command's end,
# and kill -9. While the session runs, the ids of its programs, maps and
# links are read from its descriptors (/proc/PID/fdinfo); once it is gone
# none of them may be left in the kernel (bpftool), and for an orderly
# end the end probe ran exactly once, after the output before it.
# Nothing is pinned, so even after kill -9 the kernel frees everything
# once the process is reaped (some frees are deferred: bounded polling).
set -u
tool=${BPFTAP:-./bpftap}
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: loads programs into the kernel: run as root"
	exit 77
fi
command -v bpftool >/dev/null || { echo "SKIP: no bpftool"; exit 77; }
work=$(mktemp -d /tmp/bpftap-shutdown.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
fail=0

cat > "$work/run.stp" <<'STP'
global ticks
probe begin { println("begin") }
probe timer.ms(5) { if (ticks++ == 0) println("tick") }
probe end { println("end") }
STP
# exit() when the test says so (kill -0 of a pid that cannot exist), not
# on a timer: on a loaded machine a timer may end it before its ids are read
cat > "$work/exit.stp" <<'STP'
global ticks
probe begin { println("begin") }
probe timer.ms(5) { if (ticks++ == 0) println("tick") }
probe kernel.trace("syscalls:sys_enter_kill") {
	if ($pid == 2147480001 && $sig == 0)
		exit()
}
probe end { println("end") }
STP

# wait_for FILE TEXT: up to 20 s
wait_for() {
	local i
	for ((i = 0; i < 400; i++)); do
		grep -qx -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# ids KIND: the prog_id/map_id/link_id of every descriptor of $pid
ids() {
	cat /proc/$pid/fdinfo/* 2>/dev/null | sed -n "s/^$1_id:[[:space:]]*//p" | sort -u
}

# gone KIND IDS...: none of the ids is listed by bpftool, within 10 s
gone() {
	local kind=$1 i id left
	shift
	for ((i = 0; i < 200; i++)); do
		left=
		for id in "$@"; do
			bpftool "$kind" show id "$id" >/dev/null 2>&1 && left="$left $id"
		done
		[ -z "$left" ] && return 0
		sleep 0.05
	done
	echo "    $kind still loaded:$left"
	return 1
}

# all_gone: none of the session's $progs, $maps, $links is left
all_gone() {
	# shellcheck disable=SC2086
	gone prog $progs && gone map $maps && gone link $links
}

# verdict NAME OK
verdict() {
	if [ "$2" = 1 ]; then
		echo "PASS $1"
	else
		echo "FAIL $1"
		fail=1
	fi
}

# check NAME HOW: start a session, end it HOW, check what is left
check() {
	local name=$1 how=$2 script=$work/run.stp ok=1 rc progs maps links
	local -a args=()

	case $how in
	exit) script=$work/exit.stp ;;
	child) args=(-c "sh -c 'while [ ! -e $work/go ]; do sleep 0.05; done'") ;;
	esac
	: > "$work/out"
	"$tool" --no-global-var-display "${args[@]}" "$script" \
		>"$work/out" 2>"$work/err" </dev/null &
	pid=$!
	if ! wait_for "$work/out" tick; then
		echo "FAIL $name: the session did not start"
		sed 's/^/    /' "$work/err"
		kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; pid=
		fail=1
		return
	fi
	progs=$(ids prog) maps=$(ids map) links=$(ids link)
	[ -n "$progs" ] && [ -n "$maps" ] && [ -n "$links" ] || {
		echo "FAIL $name: no programs, maps or links seen"; ok=0; }
	case $how in
	INT|TERM|HUP|KILL) kill -$how $pid ;;
	child) : > "$work/go" ;;
	exit) kill -0 2147480001 2>/dev/null ;;
	esac
	wait $pid 2>/dev/null
	rc=$?
	pid=
	case $how in
	KILL)
		[ $rc = 137 ] || { echo "    exit $rc, expected 137"; ok=0; } ;;
	*)
		[ $rc = 0 ] || { echo "    exit $rc"; ok=0; }
		[ "$(grep -cx end "$work/out")" = 1 ] || {
			echo "    end probe output:"; sed 's/^/      /' "$work/out"; ok=0; }
		[ "$(tail -1 "$work/out")" = end ] || { echo "    end is not last"; ok=0; }
		[ -s "$work/err" ] && { echo "    stderr:"; sed 's/^/      /' "$work/err"; ok=0; } ;;
	esac
	all_gone || ok=0
	verdict "$name" $ok
}

# A signal while the output blocks on a slow reader: the write goes on
# (it is restarted, not failed) and every event is printed or counted
# as lost; the end probe's line, with the count, comes last.
drain() {
	local n printed lost rc ok=1
	cat > "$work/drain.stp" <<'STP'
global n
probe timer.us(200) {
	n++
	printf("%d ..........................................................................\n", n)
}
probe end { printf("end %d\n", n) }
STP
	{
		"$tool" "$work/drain.stp" 2>"$work/err" &
		echo $! > "$work/pid"
		wait $!
		echo $? > "$work/rc"
	} | { sleep 2; cat > "$work/out"; } &
	sleep 1
	kill -INT "$(cat "$work/pid")"
	wait
	rc=$(cat "$work/rc")
	n=$(sed -n 's/^end //p' "$work/out")
	printed=$(grep -c '^[0-9]' "$work/out")
	lost=$(sed -n 's/^WARNING: \([0-9]*\) output records lost$/\1/p' "$work/err")
	lost=${lost:-0}
	echo "    events ${n:-?}, printed $printed, lost $lost (exit $rc)"
	[ "$rc" = 0 ] || { echo "    exit $rc"; ok=0; }
	[ "$(tail -1 "$work/out" | cut -d' ' -f1)" = end ] || {
		echo "    end is not last"; ok=0; }
	[ -n "$n" ] && [ $((printed + lost)) = "$n" ] || {
		echo "    printed + lost != events"; ok=0; }
	if grep -v '^WARNING: [0-9]* output records lost$' "$work/err" | grep -q .; then
		echo "    stderr:"; sed 's/^/      /' "$work/err"; ok=0
	fi
	verdict "drain" $ok
}

# A second signal while shutdown is stuck (the end probe's output blocks
# on a reader that stopped reading) ends bpftap at once, status 1, and
# still leaves nothing in the kernel.
second() {
	local reader progs maps links rc ok=1 i
	cat > "$work/second.stp" <<'STP'
global n
probe timer.ms(5) { if (n++ == 0) println("tick") }
probe end {
	for (i = 0; i < 900; i++)
		printf("%d ....................................................................................................\n", i)
}
STP
	rm -f "$work/fifo" "$work/first"
	mkfifo "$work/fifo"
	{ IFS= read -r l; echo "$l" > "$work/first"; exec sleep 60; } < "$work/fifo" &
	reader=$!
	"$tool" "$work/second.stp" > "$work/fifo" 2>"$work/err" &
	pid=$!
	if ! wait_for "$work/first" tick; then
		echo "FAIL second: the session did not start"
		sed 's/^/    /' "$work/err"
		kill -9 $pid $reader 2>/dev/null; wait $pid $reader 2>/dev/null; pid=
		fail=1
		return
	fi
	progs=$(ids prog) maps=$(ids map) links=$(ids link)
	kill -INT $pid
	# the end probe's 90 KB do not fit in the pipe: wait until the
	# write blocks
	for ((i = 0; i < 100; i++)); do
		grep -q pipe "/proc/$pid/wchan" 2>/dev/null && break
		sleep 0.05
	done
	grep -q pipe "/proc/$pid/wchan" 2>/dev/null || {
		echo "    not blocked in a write: $(cat /proc/$pid/wchan 2>/dev/null)"; ok=0; }
	kill -INT $pid
	for ((i = 0; i < 40; i++)); do
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 $pid 2>/dev/null; then
		echo "    still running 2 s after the second signal"; ok=0
		kill -9 $pid
	fi
	wait $pid
	rc=$?
	pid=
	kill $reader 2>/dev/null; wait $reader 2>/dev/null
	[ $rc = 1 ] || { echo "    exit $rc, expected 1"; ok=0; }
	all_gone || ok=0
	verdict "second signal" $ok
}

check sigint INT
check sigterm TERM
check sighup HUP
check exit exit
check child child
check kill9 KILL
drain
second
exit $fail
