#!/usr/bin/env bash
# -l and -L: the probe points a pattern names, like stap -l / -L.
# Expected lines are written from the tracefs format files of any x86-64
# kernel (these syscalls and events have had these fields for years).
set -u
srcdir=${srcdir:-.}
tool=$(cd "$(dirname "${BPFTAP:-./bpftap}")" && pwd)/$(basename "${BPFTAP:-./bpftap}")
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: listing reads tracefs: run as root"
	exit 77
fi
pass=0 fail=0
err=$(mktemp "${TMPDIR:-/tmp}/bpftap-list.XXXXXX") || exit 99
trap 'rm -f "$err"' EXIT
# check NAME EXPECTED-EXIT EXPECTED-STDOUT ARGS...
check() {
	local name=$1 want_rc=$2 want=$3 out rc
	shift 3
	out=$("$tool" "$@" 2>"$err")
	rc=$?
	if [ "$rc" = "$want_rc" ] && [ "$out" = "$want" ]; then
		pass=$((pass + 1))
		echo "PASS $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name (exit $rc, expected $want_rc)"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$out") | sed 's/^/    /'
		sed 's/^/    stderr: /' "$err" | head -3
	fi
}
check wildcard 0 'kernel.trace("syscalls:sys_enter_getpeername")
kernel.trace("syscalls:sys_enter_getpgid")
kernel.trace("syscalls:sys_enter_getpgrp")
kernel.trace("syscalls:sys_enter_getpid")
kernel.trace("syscalls:sys_enter_getppid")
kernel.trace("syscalls:sys_enter_getpriority")' \
	-l 'kernel.trace("syscalls:sys_enter_getp*")'
check nosystem 0 'kernel.trace("sched:sched_switch")' \
	-l 'kernel.trace("sched_switch")'
check vars_ints 0 'kernel.trace("syscalls:sys_enter_read") $__syscall_nr:int $fd:unsigned int $buf:char* $count:size_t' \
	-L 'kernel.trace("syscalls:sys_enter_read")'
check vars_strings 0 'kernel.trace("sched:sched_process_exec") $filename:__data_loc char[] $pid:pid_t $old_pid:pid_t' \
	-L 'kernel.trace("sched:sched_process_exec")'
check vars_const 0 'kernel.trace("syscalls:sys_enter_openat") $__syscall_nr:int $dfd:int $filename:char const* $flags:int $mode:umode_t' \
	-L 'kernel.trace("syscalls:sys_enter_openat")'
check several 0 'begin
end
timer.ms(100)' -l 'end, timer.ms(100), begin'
check alias 0 'syscall.getppid' -l 'syscall.getppid'
# -L of an alias: the variables its body sets, in order, with their
# types, then the context variables of what it expands to (stap -L
# 'syscall.read' prints name, fd, buf_uaddr, count, argstr the same way;
# stap's names: buf_uaddr for the buffer's address).
check alias_vars 0 'syscall.read name:string fd:long buf_uaddr:long count:long argstr:string $__syscall_nr:int $fd:unsigned int $buf:char* $count:size_t' \
	-L 'syscall.read'
check alias_return_vars 0 'syscall.read.return name:string retval:long retstr:string $__syscall_nr:int $ret:long' \
	-L 'syscall.read.return'
check alias_wildcard 0 'syscall.getpgid
syscall.getpid
syscall.getppid' -l 'syscall.getp*d'
# one component per wildcard, as in stap: syscall_any* is not .return
check alias_any 0 'syscall_any syscall_nr:long name:string $id:long $args:unsigned long[6]' \
	-L 'syscall_any*'
check user_alias_vars 0 'mylib.tick what:string' -I "$srcdir/tests/tapset" \
	-L 'mylib.*'
check question_mark 0 'kernel.trace("syscalls:sys_enter_getpgid")
kernel.trace("syscalls:sys_enter_getppid")' \
	-l 'kernel.trace("syscalls:sys_enter_getp?id")'
check nomatch 1 '' -l 'kernel.trace("nosuchsystem:*")'
check unknown 1 '' -L 'no.such.point'
echo "$pass passed, $fail failed"
[ $fail = 0 ]
