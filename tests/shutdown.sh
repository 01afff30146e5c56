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
# exit() comes late enough that the test has read the session's
# descriptors first, even on a loaded machine.
cat > "$work/exit.stp" <<'STP'
global ticks
probe begin { println("begin") }
probe timer.ms(5) { if (ticks++ == 0) println("tick") }
probe timer.s(2) { exit() }
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
	# shellcheck disable=SC2086
	gone prog $progs || ok=0
	# shellcheck disable=SC2086
	gone map $maps || ok=0
	# shellcheck disable=SC2086
	gone link $links || ok=0
	if [ $ok = 1 ]; then
		echo "PASS $name"
	else
		echo "FAIL $name"
		fail=1
	fi
}

check sigint INT
check sigterm TERM
check sighup HUP
check exit exit
check child child
check kill9 KILL
exit $fail
