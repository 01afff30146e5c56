#!/usr/bin/env bash
# Colours in diagnostics only for a terminal: on a pseudo-terminal
# (script(1)) an error has its bold location, red "error:" and green
# caret; not when stderr is a file or a pipe, nor with NO_COLOR set or
# TERM=dumb.
set -u
tool=${BPFTAP:-./bpftap}
command -v script >/dev/null || { echo "SKIP: no script(1) to make a terminal"; exit 77; }
work=$(mktemp -d /tmp/bpftap-color.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf 'probe begin { printx(1) }\n' > "$work/bad.stp"
esc=$(printf '\033[')
fail=0

# onpty ENV... : stderr of bpftap -p2 on a terminal, in $work/tty
onpty() {
	env "$@" script -qec "'$tool' -p2 '$work/bad.stp'" /dev/null > "$work/tty" 2>&1
}
onpty TERM=xterm
if ! grep -qF "${esc}1;31merror:${esc}m" "$work/tty"; then
	echo "FAIL: no colour on a terminal:"; cat -v "$work/tty" | sed 's/^/    /'; fail=1
fi
grep -qF "did you mean 'printf'?" "$work/tty" || { echo "FAIL: no message on the terminal"; fail=1; }
for e in "NO_COLOR=1 TERM=xterm" "TERM=dumb"; do
	# shellcheck disable=SC2086
	onpty $e
	if grep -qF "$esc" "$work/tty"; then
		echo "FAIL: colour with $e"; fail=1
	fi
done
TERM=xterm script -qec "'$tool' -p2 '$work/bad.stp' 2>'$work/file'" /dev/null >/dev/null 2>&1
TERM=xterm "$tool" -p2 "$work/bad.stp" 2>&1 | cat > "$work/pipe"
for f in file pipe; do
	grep -qF "error: unknown function" "$work/$f" || { echo "FAIL: no message in a $f"; fail=1; }
	if grep -qF "$esc" "$work/$f"; then
		echo "FAIL: colour in a $f"; fail=1
	fi
done
[ $fail = 0 ] && echo "PASS colours only on a terminal"
exit $fail
