#!/usr/bin/env bash
# Bash completion (completion/bpftap): options, -D limits, -p passes,
# scripts, and probe points after -l/-L, asked from the bpftap under
# test. Each case sets the words bash would pass and calls the
# completion function; the replies must hold what is listed.
set -u
srcdir=${srcdir:-.}
tool=$(cd "$(dirname "${BPFTAP:-./bpftap}")" && pwd)/$(basename "${BPFTAP:-./bpftap}")
work=$(mktemp -d /tmp/bpftap-compl.XXXXXX)
trap 'rm -rf "$work"' EXIT
shopt -s extglob	# as bash-completion sets it
# shellcheck source=/dev/null
. "$srcdir/completion/bpftap"
fail=0 pass=0

# complete WORD...: the replies for the last word, one a line
complete_words() {
	COMP_WORDS=("$tool" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_bpftap 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}"
}

# expect NAME 'WORD|WORD...' WANT...: every WANT among the replies for
# the words (the last one the word being completed)
expect() {
	local name=$1 w ok=1 replies
	local -a words
	IFS='|' read -r -a words <<< "$2|"
	shift 2
	replies=$(complete_words "${words[@]}")
	for w in "$@"; do
		grep -qxF -- "$w" <<< "$replies" || { ok=0; echo "    missing: $w"; }
	done
	if [ $ok = 1 ]; then
		pass=$((pass + 1)); echo "PASS $name"
	else
		fail=$((fail + 1)); echo "FAIL $name; replies:"
		head -10 <<< "$replies" | sed 's/^/      /'
	fi
}

expect options '-' --format= --verify -s
expect long_options '--no' --no-global-var-display
expect limits '-D|MAX' MAXSTRINGLEN= MAXERRORS=
expect passes '-p|' 1 5
cd "$work" && : > tool.stp && : > tool.bo && : > notes.txt && mkdir lib
expect scripts '' tool.stp tool.bo lib
if complete_words "" | grep -qx notes.txt; then
	echo "FAIL scripts: offers notes.txt"; fail=$((fail + 1))
fi
expect script_args 'tool.stp|' notes.txt
expect timers "-l|'timer." 'timer.ms(' timer.profile
expect points "-l|'" begin 'kernel.trace("'
if [ "$(id -u)" = 0 ] && [ -d /sys/kernel/tracing/events/sched ]; then
	expect tracepoints "-l|'kernel.trace(\"sched:sched_process_e" \
		'kernel.trace("sched:sched_process_exec")' \
		'kernel.trace("sched:sched_process_exit")'
	expect groups "-l|'kernel.trace(\"sch" 'kernel.trace("sched:sched_switch")'
	expect syscalls "-L|'syscall.opena" syscall.openat
else
	echo "SKIP tracepoints: reading tracefs needs root"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
