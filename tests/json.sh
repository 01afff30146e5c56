#!/usr/bin/env bash
# --format=json is JSON Lines: every line of the output parses (jq) as one
# object with a "type"; the printf objects' texts, joined, are exactly the
# text-mode output of the same script; arrays, aggregates (also arrays of
# them) and histograms are structured; -o FILE writes the same lines.
set -u
tool=${BPFTAP:-./bpftap}
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: loads programs into the kernel: run as root"
	exit 77
fi
command -v jq >/dev/null || { echo "SKIP: no jq to parse the output"; exit 77; }
work=$(mktemp -d /tmp/bpftap-json.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail=0

# printf output only (every global is read): text and JSON must agree
cat > "$work/text.stp" <<'STP'
global n
probe begin { printf("a\tb \"q\" \\ %d\n", 42); printf("two\nlines, no end") }
probe timer.ms(1) { if (++n == 3) { printf(" %s|%c|\x01\n", "é", 65); exit() } }
probe end { printf("%d ticks\n", n) }
STP
"$tool" "$work/text.stp" > "$work/text.out" || fail=1
"$tool" --format=json "$work/text.stp" > "$work/text.json" || fail=1
"$tool" --format=json -o "$work/text.o.json" "$work/text.stp" || fail=1
if ! jq -e 'type == "object" and has("type")' "$work/text.json" > /dev/null; then
	echo "FAIL: a line is not a JSON object with a type:"; sed 's/^/    /' "$work/text.json"; fail=1
fi
[ "$(grep -c . "$work/text.json")" = "$(jq -c . "$work/text.json" | wc -l)" ] ||
	{ echo "FAIL: not one object per line"; fail=1; }
jq -j 'select(.type == "printf") | .text' "$work/text.json" > "$work/text.joined"
cmp -s "$work/text.out" "$work/text.joined" ||
	{ echo "FAIL: printf texts differ from the text output:"; diff "$work/text.out" "$work/text.joined" | sed 's/^/    /'; fail=1; }
cmp -s "$work/text.json" "$work/text.o.json" || { echo "FAIL: -o FILE differs from stdout"; fail=1; }

# structured values
cat > "$work/values.stp" <<'STP'
global x, s, a, st, sa, h
probe begin {
	x = -3; s = "tab\there"; a["k", 1] = 7; a["j", 2] = 9
	st <<< 2; st <<< 6; sa[1] <<< 10; sa[1] <<< 20; sa[2] <<< 5
	h <<< 1; h <<< 1; h <<< 300
	print(@hist_log(h))
	exit()
}
STP
"$tool" --format=json "$work/values.stp" > "$work/values.json" || fail=1
check() {	# check JQ-FILTER: true on the output
	jq -se "$1" "$work/values.json" > /dev/null ||
		{ echo "FAIL: not true: $1"; fail=1; }
}
check 'map(select(.type=="global" and .name=="x"))[0].value == -3'
check 'map(select(.type=="global" and .name=="s"))[0].value == "tab\there"'
check 'map(select(.name=="a"))[0].elements == [{"key":["j",2],"value":9},{"key":["k",1],"value":7}]'
check 'map(select(.name=="st"))[0] | .count == 2 and .sum == 8 and .min == 2 and .max == 6 and .avg == 4'
check 'map(select(.name=="sa"))[0].elements | map(.key[0]) | sort == [1,2]'
check 'map(select(.name=="sa"))[0].elements | map(select(.key == [1]))[0] | .count == 2 and .sum == 30'
check 'map(select(.type=="hist"))[0] | .name == "h" and (.buckets | map(.count) | add) == 3'
check 'map(select(.type=="hist"))[0].buckets | map(select(.value == 1))[0].count == 2'
[ $fail = 0 ] && echo "PASS json output"
exit $fail
