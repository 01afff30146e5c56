#!/usr/bin/env bash
# Object files (issue 5). For every conformance case in
# tests/conformance.list and every tests/e2e script:
#   - compile with -p4, run the .bo with the same arguments, compare
#     stdout with NAME.expected (and the exit status with "# exit:");
#   - `bpftool prog loadall` the object (pinned, then unpinned),
#     `bpftool btf dump file`, `readelf -aW` and `llvm-objdump` it;
#   - --verify the script.
# Then: --verify on every script of tests/e2e and examples; objects from
# another bpftap version, truncated and garbage files give their errors
# and exit 1; -p3 of an object equals -p3 of its script and the JSON
# dump shows the same programs and maps, which bpftool's BTF dump also
# describes (tests/helpers/objcheck.py); a hand-broken object is
# rejected with the probe, source line, instruction and reason.
# Ends with "N passed, N failed".
# Usage: obj.sh   (BPFTAP names the binary; default ./bpftap)
set -u
srcdir=${srcdir:-.}
tool=$(cd "$(dirname "${BPFTAP:-./bpftap}")" && pwd)/$(basename "${BPFTAP:-./bpftap}")
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: object tests load programs into the kernel: run as root"
	exit 77
fi
work=$(mktemp -d /tmp/bpftap-obj.XXXXXX)
pin=/sys/fs/bpf/bpftap_objtest_$$
trap 'rm -rf "$work" "$pin"' EXIT
cd "$srcdir" || exit 99
pass=0 fail=0
. "$PWD/tests/helpers/shared.sh" "$PWD"
cases="$shared/conformance/cases"
driver=$work/tapdriver
if [ -f "$cases/../tapdriver.c" ]; then
	cc -O1 -o "$driver" "$cases/../tapdriver.c" 2>/dev/null || driver=
fi

ok() { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; }

# readelf (binutils) and llvm-objdump (when installed) read the object
# without a warning or an error.
elf_tools_check() {
	local name=$1 bo=$2
	if readelf -aW "$bo" >/dev/null 2>"$work/re.err" && [ ! -s "$work/re.err" ]; then
		ok "$name: readelf -aW"
	else
		bad "$name: readelf -aW" "$(head -3 "$work/re.err")"
	fi
	command -v llvm-objdump >/dev/null || return 0
	if llvm-objdump -d -r -h "$bo" >/dev/null 2>"$work/od.err" &&
	   ! grep -qiE "warning|error" "$work/od.err"; then
		ok "$name: llvm-objdump -d -r -h"
	else
		bad "$name: llvm-objdump" "$(head -3 "$work/od.err")"
	fi
}

# run_object NAME STP EXPECTED: -p4, then run the .bo as the script runs.
run_object() {
	local name=$1 stp=$2 exp=$3 args want rc
	args=$(sed -n 's/^# args: //p' "$stp" | head -1)
	args=${args//@BUILDDIR@/${BUILDDIR:-$PWD}}
	want=$(sed -n 's/^# exit: //p' "$stp" | head -1)
	envs=$(sed -n 's/^# env: //p' "$stp" | head -1)
	# script arguments ($1 @1) are compiled in: only the script gets them
	eval "sa=($(sed -n 's/^# script-args: //p' "$stp" | head -1))"
	eval "set -- $args"
	if ! timeout -k 5 60 env $envs "$tool" "$@" -p4 -o "$work/$name.bo" "$stp" "${sa[@]}" \
		>/dev/null 2>"$work/$name.err"; then
		bad "$name: -p4" "$(head -3 "$work/$name.err")"
		return
	fi
	timeout -k 5 60 "$tool" "$@" "$work/$name.bo" >"$work/$name.out" \
		2>"$work/$name.err" </dev/null
	rc=$?
	if [ "$rc" != "${want:-0}" ] || { [ -f "$exp" ] && ! cmp -s "$work/$name.out" "$exp"; }; then
		bad "$name: run of the object (exit $rc, expected ${want:-0})" \
			"$(diff "$exp" "$work/$name.out" 2>/dev/null | head -10)" \
			"$(head -3 "$work/$name.err")"
	else
		ok "$name: run of the object"
	fi
	rm -rf "$pin"
	if bpftool prog loadall "$work/$name.bo" "$pin" >"$work/bt.err" 2>&1; then
		ok "$name: bpftool prog loadall"
	else
		bad "$name: bpftool prog loadall" "$(grep -v 'skipping unrecognized' "$work/bt.err" | tail -3)"
	fi
	rm -rf "$pin"
	# BTF: every map, with its type, sizes and max_entries as bpftap's
	# own dump gives them
	"$tool" -p3 --dump-format=json "$work/$name.bo" >"$work/dump.json" 2>&1
	if bpftool -j btf dump file "$work/$name.bo" >"$work/btf.json" 2>&1 &&
	   python3 "$PWD/tests/helpers/objcheck.py" btf "$work/dump.json" \
		"$work/btf.json" >"$work/btf.out" 2>&1; then
		ok "$name: bpftool btf dump"
	else
		bad "$name: bpftool btf dump" "$(tail -3 "$work/btf.out")"
	fi
	elf_tools_check "$name" "$work/$name.bo"
	env $envs "$tool" "$@" -p3 "$stp" "${sa[@]}" >"$work/a.p3" 2>/dev/null
	"$tool" -p3 "$work/$name.bo" >"$work/b.p3" 2>"$work/b.err"
	if cmp -s "$work/a.p3" "$work/b.p3"; then
		ok "$name: -p3 of the object"
	else
		bad "$name: -p3 of the object" "$(diff "$work/a.p3" "$work/b.p3" | head -5)"
	fi
	if python3 "$PWD/tests/helpers/objcheck.py" p3 "$work/dump.json" \
		"$work/b.p3" >"$work/p3.out" 2>&1; then
		ok "$name: --dump-format=json is -p3"
	else
		bad "$name: --dump-format=json is -p3" "$(head -3 "$work/p3.out")"
	fi
}

while read -r name; do
	case "$name" in ''|\#*) continue ;; esac
	[ -f "$cases/$name.stp" ] || continue
	if grep -q @DRIVER@ "$cases/$name.stp"; then
		[ -n "$driver" ] || { echo "SKIP $name: no tapdriver"; continue; }
	fi
	sed "s#@DRIVER@#$driver#g" "$cases/$name.stp" >"$work/$name.stp"
	run_object "$name" "$work/$name.stp" "$cases/$name.expected"
done < tests/conformance.list

for stp in tests/e2e/*.stp; do
	name=$(basename "$stp" .stp)
	cpus=$(sed -n 's/^# needs-cpus: //p' "$stp" | head -1)
	if [ -n "$cpus" ] && [ "$(nproc)" -lt "$cpus" ]; then
		echo "SKIP $stp: needs $cpus CPUs"
		continue
	fi
	need=$(sed -n 's/^# needs-file: //p' "$stp" | head -1)
	if [ -n "$need" ] && [ ! -e "$need" ]; then
		echo "SKIP $stp: this kernel has no $need"
		continue
	fi
	# @BUILDDIR@ may name helper programs in the script itself too;
	# others compile in place (an @include is relative to the script)
	run=$stp
	if grep -q @BUILDDIR@ "$stp"; then
		run=$work/$name.stp
		sed "s#@BUILDDIR@#${BUILDDIR:-$PWD}#g" "$stp" >"$run"
	fi
	run_object "e2e_$name" "$run" "${stp%.stp}.expected"
done

# Every script verifies.
for stp in tests/e2e/*.stp examples/*.stp; do
	[ -f "$stp" ] || continue
	need=$(sed -n 's/^# needs-file: //p' "$stp" | head -1)
	[ -z "$need" ] || [ -e "$need" ] || continue
	args=$(sed -n 's/^# args: //p' "$stp" | head -1)
	args=${args//@BUILDDIR@/${BUILDDIR:-$PWD}}
	eval "sa=($(sed -n 's/^# script-args: //p' "$stp" | head -1))"
	envs=$(sed -n 's/^# env: //p' "$stp" | head -1)
	eval "set -- $args"
	run=$stp
	if grep -q @BUILDDIR@ "$stp"; then
		run=$work/v.stp
		sed "s#@BUILDDIR@#${BUILDDIR:-$PWD}#g" "$stp" >"$run"
	fi
	if env $envs "$tool" "$@" -p4 --verify -o "$work/v.bo" "$run" "${sa[@]}" >"$work/v.out" 2>&1 &&
	   grep -q "verified$" "$work/v.out"; then
		ok "$stp: --verify"
	else
		bad "$stp: --verify" "$(tail -5 "$work/v.out")"
	fi
done

# expect_error FILE TEXT: running FILE exits 1 with TEXT on stderr.
expect_error() {
	local rc
	"$tool" "$1" >/dev/null 2>"$work/e.err" </dev/null
	rc=$?
	if [ $rc = 1 ] && grep -qF -- "$2" "$work/e.err"; then
		ok "$(basename "$1"): $2"
	else
		bad "$(basename "$1"): expected \"$2\", exit 1" "exit $rc: $(head -2 "$work/e.err")"
	fi
}

printf 'probe begin { printf("x\\n"); exit() }\n' >"$work/small.stp"
"$tool" -p4 -o "$work/small.bo" "$work/small.stp" >/dev/null
size=$(stat -c %s "$work/small.bo")

# Another version: the version field follows the 16-byte header start.
cp "$work/small.bo" "$work/oldver.bo"
off=$(grep -obUaP 'BTAPMETA' "$work/oldver.bo" | head -1 | cut -d: -f1)
printf '0.0.0-old\0' | dd of="$work/oldver.bo" bs=1 seek=$((off + 16)) conv=notrunc status=none
expect_error "$work/oldver.bo" "oldver.bo was compiled by bpftap 0.0.0-old; this is bpftap"

# Fewer CPUs than this machine has: ncpus (the bound of the per-CPU
# loops) follows the header, the source path (u32 length + bytes),
# strfield and maxstringlen. This machine has more than one possible CPU.
cp "$work/small.bo" "$work/cpus.bo"
src="$work/small.stp"
printf '\x01\0\0\0' | dd of="$work/cpus.bo" bs=1 seek=$((off + 48 + 4 + ${#src} + 8)) conv=notrunc status=none
expect_error "$work/cpus.bo" "the object was compiled for at most 1 possible CPUs; this machine has"

for n in 10 100 $((size / 2)) $((size - 1)); do
	head -c $n "$work/small.bo" >"$work/trunc$n.bo"
	expect_error "$work/trunc$n.bo" "trunc$n.bo is truncated or corrupt"
done
{ printf '\177ELF'; head -c 4000 /dev/urandom; } >"$work/garbage.bo"
expect_error "$work/garbage.bo" "garbage.bo is"
cp "$(command -v bpftool)" "$work/foreign.bo"
expect_error "$work/foreign.bo" "foreign.bo is not a bpftap object"
# A BPF object without bpftap's metadata: ours with the section renamed.
sed 's/\.bpftap\.meta/.bpftap.xxxx/' "$work/small.bo" >"$work/nometa.bo"
expect_error "$work/nometa.bo" "nometa.bo is not a bpftap object (no .bpftap.meta section)"

# -v: stap's pass lines, in stap's format.
num='[0-9]+'
use="using ${num}virt/${num}res/${num}shr/${num}data kb, in ${num}usr/${num}sys/${num}real ms\\."
"$tool" -v -p4 -o "$work/v4.bo" "$work/small.stp" >/dev/null 2>"$work/v.err"
"$tool" -v "$work/v4.bo" >/dev/null 2>>"$work/v.err"
miss=
for re in "^Pass 1: parsed user script and $num library scripts? $use\$" \
	"^Pass 2: analyzed script: 1 probe, 0 functions, 0 embeds, 0 globals $use\$" \
	"^Pass 3: translated to BPF: 1 program, $num instructions $use\$" \
	"^  probe0_0 begin: $num instructions\$" \
	"^  map bpftap_ringbuf: ringbuf, key 0, value 0, $num entries\$" \
	"^Pass 4: compiled BPF into \"$work/v4.bo\" in ${num}usr/${num}sys/${num}real ms\\.\$" \
	"^Pass 5: starting run\\.\$" \
	"^Pass 5: run completed in ${num}usr/${num}sys/${num}real ms\\.\$"; do
	grep -qE -- "$re" "$work/v.err" || miss="$miss [$re]"
done
if [ -z "$miss" ]; then
	ok "-v pass lines"
else
	bad "-v pass lines: missing$miss" "$(head -12 "$work/v.err")"
fi

# A rejection: the object of a good script with one instruction made
# bad (x = 123456789, "(7a) *(u64 *)(r1 +0) = 123456789", becomes a
# read through r5, which nothing set). --verify and a run name the probe, the source line,
# the failing instruction and the verifier's reason; -v adds its log.
printf 'global x\nprobe begin {\n\tx = 123456789\n\tprintf("%%d\\n", x)\n\texit()\n}\n' \
	>"$work/rej.stp"
"$tool" -p4 -o "$work/rej.bo" "$work/rej.stp" >/dev/null
python3 - "$work/rej.bo" "$work/rejbad.bo" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], 'rb').read())
pat = bytes([0x7a, 0x01, 0, 0]) + struct.pack('<i', 123456789)
assert b.count(pat) == 1
i = b.find(pat)
b[i:i + 8] = bytes([0x79, 0x56, 0, 0, 0, 0, 0, 0])
open(sys.argv[2], 'wb').write(b)
EOF
for how in --verify run -v; do
	case $how in
	run) "$tool" "$work/rejbad.bo" >"$work/rej.out" 2>"$work/rej.err" ;;
	-v) "$tool" -v --verify "$work/rejbad.bo" >"$work/rej.out" 2>"$work/rej.err" ;;
	*) "$tool" --verify "$work/rejbad.bo" >"$work/rej.out" 2>"$work/rej.err" ;;
	esac
	rc=$?
	miss=
	for want in "bpftap: error: the kernel's verifier rejected probe begin at $work/rej.stp:2:7" \
		"R5 !read_ok" "source: $work/rej.stp:3: x = 123456789"; do
		grep -qF -- "$want" "$work/rej.err" || miss="$miss [$want]"
	done
	grep -qE '^  failing instruction: [0-9]+: \(79\) r6 = \*\(u64 \*\)\(r5 \+0\)$' \
		"$work/rej.err" || miss="$miss [failing instruction]"
	if [ $how = -v ]; then
		grep -q "^the verifier's log:" "$work/rej.err" &&
			grep -q "^processed [0-9]* insns" "$work/rej.err" ||
			miss="$miss [the whole log]"
	fi
	if [ $rc = 1 ] && [ -z "$miss" ] && [ ! -s "$work/rej.out" ]; then
		ok "verifier rejection ($how)"
	else
		bad "verifier rejection ($how): exit $rc, missing$miss" \
			"$(head -8 "$work/rej.err")"
	fi
done

if "$tool" -p3 --dump-format=json "$work/small.bo" >"$work/j.json" &&
   python3 -m json.tool "$work/j.json" >/dev/null 2>&1; then
	ok "-p3 --dump-format=json parses"
else
	bad "-p3 --dump-format=json parses" "$(head -3 "$work/j.json")"
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
