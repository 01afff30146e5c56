#!/usr/bin/env bash
# Runs the shared conformance cases that bpftap supports so far (listed in
# tests/conformance.list) through ../shared/conformance/run.
set -u
srcdir=${srcdir:-.}
. "$srcdir/tests/helpers/shared.sh" "$srcdir"
runner="$shared/conformance/run"
cases="$shared/conformance/cases"
tool=$(cd "$(dirname "${BPFTAP:-./bpftap}")" && pwd)/$(basename "${BPFTAP:-./bpftap}")
if [ ! -x "$runner" ]; then
	echo "SKIP: no conformance runner at $runner (the shared/ checkout is missing)"
	exit 77
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: conformance cases load programs into the kernel: run as root"
	exit 77
fi
work=$(mktemp -d /tmp/bpftap-conf.XXXXXX)
trap 'rm -rf "$work"' EXIT
while read -r name; do
	case "$name" in ''|\#*) continue ;; esac
	cp "$cases/$name.stp" "$cases/$name.expected" "$work/" || exit 99
done < "$srcdir/tests/conformance.list"
BPFTAP="$tool" VERBOSE=1 "$runner" "$work"
