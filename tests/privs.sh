#!/usr/bin/env bash
# Privileges and inputs. Without CAP_BPF/CAP_PERFMON/CAP_SYS_ADMIN a run
# fails with one clear line and exit 1, while -p1 to -p4 work. Inputs
# must be regular files of at most 16 MiB; -o never truncates something
# that is not a regular file, and an object written over a larger file
# leaves nothing of it; at most 10000 probe points load.
set -u
tool=${BPFTAP:-./bpftap}
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root to drop privileges"
	exit 77
fi
work=$(mktemp -d /tmp/bpftap-privs.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
fail=0 pass=0

# expect NAME STATUS TEXT CMD...: exit STATUS and TEXT in stderr
expect() {
	local name=$1 want=$2 text=$3 rc
	shift 3
	timeout -k 5 60 "$@" >"$work/out" 2>"$work/err" </dev/null
	rc=$?
	if [ $rc = "$want" ] && { [ -z "$text" ] || grep -qF -- "$text" "$work/err"; }; then
		pass=$((pass + 1))
		echo "PASS $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name (exit $rc, expected $want)"
		sed 's/^/    stderr: /' "$work/err" | head -5
	fi
}

cat > "$work/t.stp" <<'STP'
global n
probe begin { println("hi") }
probe timer.ms(10) { if (++n == 3) exit() }
STP
chmod 644 "$work/t.stp"
unpriv=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all
	--bounding-set=-all)
msg="bpftap: error: running scripts needs root"
expect unpriv_run 1 "$msg" "${unpriv[@]}" "$tool" "$work/t.stp"
expect unpriv_e 1 "$msg" "${unpriv[@]}" "$tool" -e 'probe begin { exit() }'
if [ "$(grep -c . "$work/err")" != 1 ]; then
	echo "FAIL unpriv_one_line: $(wc -l < "$work/err") lines"; fail=$((fail + 1))
fi
for p in 1 2 3; do
	expect unpriv_p$p 0 "" "${unpriv[@]}" "$tool" -p$p "$work/t.stp"
done
mkdir "$work/o" && chown nobody "$work/o"
expect unpriv_p4 0 "" "${unpriv[@]}" "$tool" -p4 -o "$work/o/t.bo" "$work/t.stp"
[ -s "$work/o/t.bo" ] || { echo "FAIL unpriv_p4: no object"; fail=$((fail + 1)); }
expect unpriv_object 1 "$msg" "${unpriv[@]}" "$tool" "$work/o/t.bo"
expect unpriv_verify 1 "$msg" "${unpriv[@]}" "$tool" -p4 --verify -o "$work/o/v.bo" "$work/t.stp"
expect priv_object 0 "" "$tool" "$work/o/t.bo"
# root is not enough: the capabilities are what counts
caps=(setpriv --inh-caps=-all --bounding-set)
expect root_nocaps 1 "$msg" "${caps[@]}" -all "$tool" "$work/t.stp"
expect root_bpf_only 1 "$msg" "${caps[@]}" -all,+bpf "$tool" "$work/t.stp"
expect root_bpf_perfmon 0 "" "${caps[@]}" -all,+bpf,+perfmon "$tool" "$work/t.stp"
expect root_sys_admin 0 "" "${caps[@]}" -all,+sys_admin "$tool" "$work/t.stp"
expect root_nocaps_p3 0 "" "${caps[@]}" -all "$tool" -p3 "$work/t.stp"

# inputs
expect dir_script 1 "bpftap: error: $work: not a regular file" "$tool" -p1 "$work"
expect dev_script 1 "bpftap: error: /dev/zero: not a regular file" "$tool" -p1 /dev/zero
mkfifo "$work/fifo"
expect fifo_script 1 "not a regular file" "$tool" -p1 "$work/fifo"
expect missing_script 1 "bpftap: error: $work/nope.stp: No such file" "$tool" -p1 "$work/nope.stp"
truncate -s 17M "$work/big.stp"
expect big_script 1 "big.stp: too large" "$tool" -p1 "$work/big.stp"
cp "$work/o/t.bo" "$work/big.bo" && truncate -s 17M "$work/big.bo"
expect big_object 1 "big.bo: too large" "$tool" "$work/big.bo"
# files the script pulls in are inputs too: a FIFO is refused, not waited on
for inc in fifo big.stp /dev/zero; do
	printf '@include "%s"\nprobe begin { exit() }\n' "$inc" > "$work/inc.stp"
	expect "include_${inc##*/}" 1 "cannot read @include file" "$tool" -p1 "$work/inc.stp"
done
mkdir "$work/lib" && mkfifo "$work/lib/fifo.stp"
expect library_fifo 1 "fifo.stp: not a regular file" "$tool" -I "$work/lib" -p2 -e 'probe begin { exit() }'
rm "$work/lib/fifo.stp" && truncate -s 17M "$work/lib/big.stp"
expect library_big 1 "big.stp: too large" "$tool" -I "$work/lib" -p2 -e 'probe begin { exit() }'

# -o
expect o_devnull 1 "/dev/null: not a regular file" "$tool" -o /dev/null "$work/t.stp"
expect o_dir 1 "bpftap: error: $work/o:" "$tool" -p4 -o "$work/o" "$work/t.stp"
expect o_fifo 1 "fifo: not a regular file" "$tool" -p4 -o "$work/fifo" "$work/t.stp"
echo keep > "$work/file.out"
ln -s /dev/null "$work/link"
expect o_symlink_dev 1 "not a regular file" "$tool" -o "$work/link" "$work/t.stp"
expect o_regular 0 "" "$tool" -o "$work/file.out" "$work/t.stp"
[ "$(head -1 "$work/file.out")" = hi ] || { echo "FAIL o_regular: $(cat "$work/file.out")"; fail=$((fail + 1)); }
# -p4 over a larger file: the object is overwritten in place and cut to
# its length, so it must be byte for byte a fresh one, and run
expect o_fresh 0 "" "$tool" -p4 -o "$work/fresh.bo" "$work/t.stp"
head -c 200000 /dev/urandom > "$work/old.bo"
expect o_replace 0 "" "$tool" -p4 -o "$work/old.bo" "$work/t.stp"
cmp -s "$work/fresh.bo" "$work/old.bo" ||
	{ echo "FAIL o_replace: differs from a fresh object"; fail=$((fail + 1)); }
expect o_replace_run 0 "" "$tool" "$work/old.bo"

# probe points
{ for ((i = 0; i < 10001; i++)); do echo "probe begin { }"; done; } > "$work/many.stp"
expect many_probes 1 "10001 probe points: at most 10000" "$tool" "$work/many.stp"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
