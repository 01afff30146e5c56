#!/usr/bin/env bash
# End-to-end tests: run bpftap on every tests/DIR/*.stp as a user does and
# compare, byte for byte, stdout with NAME.expected and (when present)
# stderr with NAME.stderr. Lines at the top of a script:
#   # args: OPTIONS        extra command-line options
#   # exit: N              expected exit status (default 0)
#   # stderr: TEXT         TEXT must appear in stderr (repeatable)
#   # stdout: TEXT         TEXT must appear in stdout (repeatable; for
#                          scripts whose whole output varies)
#   # needs-cpus: N        skipped (and said so) on fewer CPUs
#   # needs-file: PATH     skipped (and said so) when PATH does not exist
#                          (a tracepoint this kernel was built without)
#   # needs-no-file: PATH  skipped (and said so) when PATH exists (a test
#                          of what bpftap says on a kernel without it)
#   # script-args: ARGS    script arguments ($1 @1 ...), after the script
#   # env: NAME=VALUE ...  environment for bpftap (testing hooks)
# @BUILDDIR@ in the args and the script stands for the build directory
# ($BUILDDIR).
# Usage: e2e.sh DIR...   (BPFTAP names the binary; default ./bpftap)
set -u
srcdir=${srcdir:-.}
tool=$(cd "$(dirname "${BPFTAP:-./bpftap}")" && pwd)/$(basename "${BPFTAP:-./bpftap}")
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: end-to-end tests load programs into the kernel: run as root"
	exit 77
fi
work=$(mktemp -d /tmp/bpftap-e2e.XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
cd "$srcdir" || exit 99
for dir in "$@"; do
	for stp in "$dir"/*.stp; do
		name=${stp%.stp}
		args=$(sed -n 's/^# args: //p' "$stp" | head -1)
		args=${args//@BUILDDIR@/${BUILDDIR:-$PWD}}
		cpus=$(sed -n 's/^# needs-cpus: //p' "$stp" | head -1)
		if [ -n "$cpus" ] && [ "$(nproc)" -lt "$cpus" ]; then
			echo "SKIP $stp: needs $cpus CPUs, this machine has $(nproc)"
			continue
		fi
		need=$(sed -n 's/^# needs-file: //p' "$stp" | head -1)
		if [ -n "$need" ] && [ ! -e "$need" ]; then
			echo "SKIP $stp: this kernel has no $need"
			continue
		fi
		skip=
		for need in $(sed -n 's/^# needs-no-file: //p' "$stp"); do
			[ -e "$need" ] && skip=$need
		done
		if [ -n "$skip" ]; then
			echo "SKIP $stp: this kernel has $skip"
			continue
		fi
		want=$(sed -n 's/^# exit: //p' "$stp" | head -1)
		sargs=$(sed -n 's/^# script-args: //p' "$stp" | head -1)
		envs=$(sed -n 's/^# env: //p' "$stp" | head -1)
		eval "set -- $args"
		run=$stp
		# probe points that name a built helper (process("...")) get
		# the build directory too, in a copy of the script
		if grep -q @BUILDDIR@ "$stp"; then
			run=$work/$(basename "$stp")
			sed "s#@BUILDDIR@#${BUILDDIR:-$PWD}#g" "$stp" >"$run"
		fi
		eval "set -- \"\$@\" \"\$run\" $sargs"
		timeout -k 5 60 env $envs "$tool" "$@" >"$work/out" 2>"$work/err" </dev/null
		rc=$?
		ok=1
		[ "$rc" = "${want:-0}" ] || ok=0
		if [ -f "$name.expected" ]; then
			cmp -s "$work/out" "$name.expected" || ok=0
		fi
		if [ -f "$name.stderr" ]; then
			cmp -s "$work/err" "$name.stderr" || ok=0
		fi
		missing=
		while IFS= read -r text; do
			grep -qF -- "$text" "$work/err" || { ok=0; missing+="    missing in stderr: $text"$'\n'; }
		done < <(sed -n 's/^# stderr: //p' "$stp")
		while IFS= read -r text; do
			grep -qF -- "$text" "$work/out" || { ok=0; missing+="    missing in stdout: $text"$'\n'; }
		done < <(sed -n 's/^# stdout: //p' "$stp")
		if [ $ok = 1 ]; then
			pass=$((pass + 1))
			echo "PASS $stp"
		else
			fail=$((fail + 1))
			echo "FAIL $stp (exit $rc, expected ${want:-0})"
			printf '%s' "$missing"
			[ -f "$name.expected" ] || [ -z "$missing" ] || head -10 "$work/out" | sed 's/^/    stdout: /'
			[ -f "$name.expected" ] && diff "$name.expected" "$work/out" | head -20 | sed 's/^/    /'
			[ -f "$name.stderr" ] && diff "$name.stderr" "$work/err" | head -20 | sed 's/^/    /'
			[ -f "$name.stderr" ] || head -5 "$work/err" | sed 's/^/    stderr: /'
		fi
	done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
