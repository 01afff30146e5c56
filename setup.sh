#!/usr/bin/env bash
# Install what a fresh Debian machine lacks, then configure and build
# bpftap in this directory. Run as root. Safe to run again: it installs only
# missing packages and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")"

pkgs=(gcc make autoconf automake pkg-config flex bison libbpf-dev
      libelf-dev zlib1g-dev check bpftool valgrind
      jq			# tests/json.sh parses --format=json output
      python3 llvm		# tests/obj.sh: JSON and BTF checks, llvm-objdump
      systemtap			# tests/stap_p1.sh: stap's parser reads -p1
      debhelper dpkg-dev	# .ci/packaging: dpkg-buildpackage of debian/
      clang libclang-rt-dev)	# make fuzz: clang, libFuzzer (-fsanitize=fuzzer)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The kernel interfaces bpftap uses (it mounts tracefs itself when needed;
# the tests also pin objects under bpffs).
mountpoint -q /sys/kernel/tracing 2>/dev/null ||
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
mountpoint -q /sys/fs/bpf 2>/dev/null ||
	mount -t bpf bpf /sys/fs/bpf 2>/dev/null || true

[ -x configure ] || autoreconf -fi
[ -f Makefile ] || ./configure -q
make -j"$(nproc)" >/dev/null
echo "setup: built ./bpftap"
