#!/usr/bin/env bash
# kernel.function probes become kprobe programs, which a kernel without
# CONFIG_KPROBES cannot attach: check that the verifier accepts them all
# the same. Every tests/kload/*.stp is compiled with -p4 and its object
# loaded (not attached) with `bpftool prog loadall`; its program sections
# must be the ones its "# sections:" line names (kprobe/F for an entry,
# kretprobe/F for .return: how libbpf tells them apart), and every
# program loaded must be of type kprobe.
# Usage: kprobe_load.sh   (BPFTAP names the binary; default ./bpftap)
set -u
srcdir=${srcdir:-.}
tool=$(cd "$(dirname "${BPFTAP:-./bpftap}")" && pwd)/$(basename "${BPFTAP:-./bpftap}")
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: loading programs needs root"
	exit 77
fi
if ! command -v bpftool >/dev/null; then
	echo "SKIP: bpftool is not installed"
	exit 77
fi
bpffs=/sys/fs/bpf
mountpoint -q "$bpffs" || mount -t bpf bpf "$bpffs" || exit 99
work=$(mktemp -d /tmp/bpftap-kload.XXXXXX)
pin=$bpffs/bpftap-kload-$$
trap 'rm -rf "$work" "$pin"' EXIT
pass=0 fail=0
cd "$srcdir" || exit 99
for stp in tests/kload/*.stp; do
	name=$(basename "$stp" .stp)
	ok=1
	"$tool" -p4 -o "$work/$name.bo" "$stp" >/dev/null 2>"$work/err" || ok=0
	want=$(sed -n 's/^# sections: //p' "$stp" | head -1)
	got=$(readelf -SW "$work/$name.bo" 2>/dev/null |
		grep -oE ' k(ret)?probe/[^ ]+' | sort | tr -d ' ' | tr '\n' ' ')
	if [ $ok = 1 ] && [ "$got" != "$(printf '%s\n' $want | sort | tr '\n' ' ')" ]; then
		echo "sections: want '$want', got '$got'" >>"$work/err"
		ok=0
	fi
	if [ $ok = 1 ]; then
		bpftool prog loadall "$work/$name.bo" "$pin" 2>>"$work/err" ||
			ok=0
		for f in "$pin"/*; do
			[ $ok = 1 ] || break
			bpftool prog show pinned "$f" | head -1 |
				grep -q '^[0-9]*: kprobe ' || {
				echo "$f is not a kprobe program" >>"$work/err"
				ok=0
			}
		done
		rm -rf "$pin"
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "PASS $stp"
	else
		fail=$((fail + 1))
		echo "FAIL $stp"
		grep -v '^libbpf: elf: skipping unrecognized' "$work/err" |
			tail -20 | sed 's/^/    /'
	fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
