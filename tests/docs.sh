#!/usr/bin/env bash
# Every example of docs/language.md runs, and prints what the page says.
# The page's conventions, which this test reads:
#   ```stp            a script, run as x.stp in a fresh directory
#   ```stp NAME       a file the next scripts use (@include), not run
#   `sudo bpftap OPTIONS x.stp ARGS`   (in the text after a script) how
#                     to run it; default: bpftap x.stp
#   an indented block after the script: its stdout, exactly (but for
#   trailing blanks, which the page cannot show), where a line "..."
#   stands for any number of lines; an indented block after a line
#   mentioning "stderr": lines that must appear on stderr.
# Every script must come with its output. Ends with "N passed, N failed".
set -u
srcdir=${srcdir:-.}
tool=$(cd "$(dirname "${BPFTAP:-./bpftap}")" && pwd)/$(basename "${BPFTAP:-./bpftap}")
doc=$srcdir/docs/language.md
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: the examples load programs into the kernel: run as root"
	exit 77
fi
work=$(mktemp -d /tmp/bpftap-docs.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/ex" "$work/run"

# Split the page: ex/N.stp, ex/N.opts, ex/N.out, ex/N.err, and aux files.
awk -v dir="$work/ex" -v aux="$work/run" '
function flush_out() { inblock = 0 }
/^```stp/ {
	if (state == "code" || state == "aux") { print "nested fence at " NR > "/dev/stderr"; exit 1 }
	name = $2
	if (name != "") { state = "aux"; file = aux "/" name; printf "" > file; next }
	n++; state = "code"; file = dir "/" n ".stp"; printf "" > file
	printf "%d\n", NR > (dir "/" n ".line")
	next
}
/^```/ {
	if (state == "code") { state = "after"; got_out = 0; want_err = 0; inblock = 0; next }
	if (state == "aux") { state = ""; next }
	state = ""; next
}
state == "code" || state == "aux" { print > file; next }
state == "after" && /^## / { state = ""; next }
state == "after" {
	if (match($0, /`sudo bpftap [^`]*x\.stp[^`]*`/)) {
		cmd = substr($0, RSTART + 13, RLENGTH - 14)
		i = index(cmd, "x.stp")
		print substr(cmd, 1, i - 1) > (dir "/" n ".opts")
		print substr(cmd, i + 5) > (dir "/" n ".args")
	}
	# an indented block goes on across blank lines
	if ($0 == "" && inblock) { blanks++; next }
	if ($0 ~ /^    / && !inblock && !got_out) { inblock = 1; out = dir "/" n ".out" }
	else if ($0 ~ /^    / && !inblock && want_err == 1) { inblock = 2; want_err = 2; out = dir "/" n ".err" }
	if ($0 ~ /^    / && inblock) {
		for (; blanks > 0; blanks--) print "" > out
		print substr($0, 5) > out
		next
	}
	if (inblock == 1) got_out = 1
	if (got_out && $0 ~ /stderr/ && want_err == 0) want_err = 1
	inblock = 0; blanks = 0
}
' "$doc" || { echo "FAIL: cannot read $doc"; exit 1; }

# same FILE_EXPECTED FILE_ACTUAL: equal, "..." lines matching any lines.
# Markdown cannot show trailing blanks: spaces at the end of a line and
# blank lines at the end of the output are not compared.
same() {
	local want=$1 got=$work/got.trim head tail nw ng
	sed 's/[[:space:]]*$//' "$2" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$got"
	if ! grep -qx '\.\.\.' "$want"; then
		cmp -s "$want" "$got"
		return
	fi
	head=$(sed -n '/^\.\.\.$/q;p' "$want" | wc -l)
	tail=$(sed -n '/^\.\.\.$/,$p' "$want" | sed 1d | wc -l)
	nw=$((head + tail)) ng=$(wc -l < "$got")
	[ "$ng" -ge "$nw" ] &&
	cmp -s <(head -n "$head" "$want") <(head -n "$head" "$got") &&
	cmp -s <(tail -n "$tail" "$want") <(tail -n "$tail" "$got")
}

pass=0 fail=0
for ((i = 1; ; i++)); do
	[ -f "$work/ex/$i.stp" ] || break
	line=$(cat "$work/ex/$i.line")
	what="docs/language.md:$line"
	cp "$work/ex/$i.stp" "$work/run/x.stp"
	opts=$(cat "$work/ex/$i.opts" 2>/dev/null)
	args=$(cat "$work/ex/$i.args" 2>/dev/null)
	if [ ! -f "$work/ex/$i.out" ]; then
		echo "FAIL $what: no output shown for the example"
		fail=$((fail + 1))
		continue
	fi
	eval "set -- $opts x.stp $args"
	(cd "$work/run" && timeout -k 5 30 "$tool" "$@" >../got 2>../err </dev/null)
	ok=1
	same "$work/ex/$i.out" "$work/got" || ok=0
	if [ -f "$work/ex/$i.err" ]; then
		while IFS= read -r l; do
			grep -qxF -- "$l" "$work/err" || ok=0
		done < "$work/ex/$i.err"
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "PASS $what"
	else
		fail=$((fail + 1))
		echo "FAIL $what: bpftap $*"
		diff "$work/ex/$i.out" "$work/got" | head -20 | sed 's/^/    /'
		head -5 "$work/err" | sed 's/^/    stderr: /'
	fi
done
[ $((pass + fail)) -gt 10 ] || { echo "FAIL: only $((pass + fail)) examples found"; fail=$((fail + 1)); }
echo "$pass passed, $fail failed"
[ $fail = 0 ]
