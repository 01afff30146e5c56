#!/usr/bin/env bash
# Bad input never crashes bpftap: each input below must give exit status 1
# and a "FILE:LINE:COL: error:" (or "bpftap: error:") message, never a
# signal, for every pass up to elaboration and code generation (-p3).
# Inputs named ok_* are valid but extreme: they must just not crash;
# deep_* ones must hit the nesting limit, with its own message.
set -u
tool=${BPFTAP:-./bpftap}
work=$(mktemp -d /tmp/bpftap-bad.XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0

nest() {	# nest N OPEN CLOSE MIDDLE
	local i out=""
	for ((i = 0; i < $1; i++)); do out+=$2; done
	out+=$4
	for ((i = 0; i < $1; i++)); do out+=$3; done
	printf '%s' "$out"
}

: > "$work/empty.stp"
head -c 4096 /dev/urandom > "$work/garbage.stp"
printf 'probe begin { printf("a\0b") }\n\0\0\0' > "$work/nul.stp"
printf 'probe begin { x = "never closed\n' > "$work/unterminated_string.stp"
printf 'probe begin { /* never closed\n' > "$work/unterminated_comment.stp"
{ printf 'probe begin { x = '; nest 10000 '(' ')' 1; printf ' }\n'; } > "$work/deep_parens.stp"
{ printf 'probe begin '; nest 10000 '{' '}' ''; printf '\n'; } > "$work/deep_braces.stp"
{ printf 'probe begin { '; for ((i = 0; i < 10000; i++)); do printf 'if (1) '; done; printf 'x = 1 }\n'; } > "$work/deep_ifs.stp"
{ printf 'probe begin { x = 1'; for ((i = 0; i < 10000; i++)); do printf ' + 1'; done; printf ' }\n'; } > "$work/ok_long_chain.stp"
printf 'probe nosuch.point { }\n' > "$work/unknown_point.stp"
printf 'probe begin { nosuchfunction(1) }\n' > "$work/unknown_function.stp"
printf 'probe begin { x = 1; x = "s" }\n' > "$work/type_conflict.stp"
printf 'probe begin { x = 99999999999999999999999 }\n' > "$work/huge_number.stp"
printf 'probe begin %%{ embedded C %%}\n' > "$work/embedded_c.stp"
printf 'global\n' > "$work/truncated_global.stp"
printf 'probe begin { x = 1 }}\n' > "$work/extra_brace.stp"

for f in "$work"/*.stp; do
	name=$(basename "$f" .stp)
	for pass_no in 2 3; do
		timeout -k 5 30 "$tool" -p$pass_no "$f" >"$work/out" 2>"$work/err" </dev/null
		rc=$?
		if [[ $name == ok_* ]] && [ $rc -le 1 ]; then
			pass=$((pass + 1))	# valid, only large: must not crash
		elif [[ $name == deep_* ]] && ! grep -q "^$f:1:[0-9]*: error: nesting too deep (more than 1000 levels)" "$work/err"; then
			fail=$((fail + 1))
			echo "FAIL $name -p$pass_no: not the nesting limit's error"
			head -c 600 "$work/err" | sed 's/^/    /'
		elif [ $rc = 1 ] && grep -qE '(^[^ ]+:[0-9]+:[0-9]+: error: |^bpftap: error: )' "$work/err"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $name -p$pass_no: exit $rc"
			head -c 600 "$work/err" | sed 's/^/    /'
		fi
	done
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
