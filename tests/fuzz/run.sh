#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang (ASan + UBSan + libFuzzer), seed
# their corpora, and run each for a bounded time.
#
#   tests/fuzz/run.sh [HARNESS...]      (default: frontend objread)
#
# Environment: FUZZ_SECONDS (per harness, default 60), FUZZ_BUILD (build
# and corpus directory, default /tmp/bpftap-fuzz), BPFTAP (a built bpftap
# to compile the .bo seeds; default: the one built here), FUZZ_ARGS (extra
# libFuzzer flags), FUZZ_TIMEOUT (seconds one input may take before it
# counts as a hang, default 30: this machine is shared, and an input that
# takes 0.3 s alone has taken 8 s under load), FUZZ_BUILD_ONLY=1 (build
# and seed, do not run).
# The project's libraries are built with gcc, so this
# configures its own clang build of the tree in $FUZZ_BUILD/obj (from a
# clean copy in $FUZZ_BUILD/src when the tree is configured in place:
# configure refuses a second build of such a tree).
# Exit status: 0 if no harness found a crash, hang or leak, else 1; the
# inputs that failed are in $FUZZ_BUILD/artifacts (add each to
# tests/fuzz/regressions/).
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tests/helpers/shared.sh" "$src"
build=${FUZZ_BUILD:-/tmp/bpftap-fuzz}
secs=${FUZZ_SECONDS:-60}
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(frontend objread)
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
san+=" -fno-omit-frame-pointer -g -O1"

command -v clang >/dev/null || { echo "fuzz: clang is required"; exit 1; }
mkdir -p "$build/obj" "$build/artifacts"
build=$(cd "$build" && pwd)

# The libraries, instrumented for coverage (fuzzer-no-link).
top=$src
if [ -f "$src/config.status" ]; then
	top=$build/src
	rm -rf "$top"
	make -C "$src" -s distdir distdir="$top" >/dev/null
fi
cd "$build/obj"
if ! grep -qF "srcdir='$top'" config.status 2>/dev/null; then
	rm -rf ./*
	CC=clang CFLAGS="$san -fsanitize=fuzzer-no-link" \
		"$top/configure" -q
fi
make -s -j"$(nproc)" parser/libparser.a stdlib/libstdlib.a \
	codegen/libcodegen.a bpftap >/dev/null
libs="codegen/libcodegen.a parser/libparser.a stdlib/libstdlib.a"
libs+=" $(pkg-config --libs libbpf libelf) -lz"
for h in "${harnesses[@]}"; do
	clang $san -fsanitize=fuzzer -D_GNU_SOURCE -I"$top" -I. \
		-o "$build/fuzz_$h" "$src/tests/fuzz/fuzz_$h.c" $libs
done

# Seeds: every script in the tree and the conformance cases; objects
# compiled from a few of them; and the inputs that once crashed.
tool=${BPFTAP:-$build/obj/bpftap}
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds/frontend" "$seeds/objread"
i=0
while IFS= read -r f; do
	i=$((i + 1))
	cp "$f" "$seeds/frontend/$i-$(basename "$f")"
done < <(find "$src/tests" "$src/examples" "$src/stdlib" \
	"$shared/conformance/cases" -name '*.stp' 2>/dev/null | sort)
for f in "$src"/examples/*.stp "$src"/tests/e2e/{arith,arrays_timer,stats_timer,foreach_timer,functions,strings}.stp \
	"$shared"/conformance/cases/{09_hist_log,11_strings,16_tracepoint_count}.stp; do
	[ -f "$f" ] || continue
	"$tool" -p4 -o "$seeds/objread/$(basename "$f" .stp).bo" "$f" \
		>/dev/null 2>&1 || echo "fuzz: note: no seed object from $f"
done
cp "$src"/tests/fuzz/regressions/*.bo "$seeds/objread/" 2>/dev/null || true
echo "fuzz: seeds: $(ls "$seeds/frontend" | wc -l) scripts, $(ls "$seeds/objread" | wc -l) objects"

[ "${FUZZ_BUILD_ONLY:-0}" = 0 ] || exit 0
rc=0
for h in "${harnesses[@]}"; do
	corpus=$build/corpus/$h
	mkdir -p "$corpus"
	dict=()
	[ -f "$src/tests/fuzz/$h.dict" ] && dict=(-dict="$src/tests/fuzz/$h.dict")
	echo "fuzz: $h for ${secs}s (log: $build/$h.log)"
	# -close_fd_mask=3: the diagnostics of bad inputs are noise here;
	# libFuzzer and the sanitizers still report on their own descriptor.
	if "$build/fuzz_$h" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-30}" \
		-rss_limit_mb=4096 -close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="$build/artifacts/$h-" "${dict[@]}" \
		${FUZZ_ARGS:-} "$corpus" "$seeds/$h" >"$build/$h.log" 2>&1; then
		echo "fuzz: $h: ok: $(grep -E '^stat::number_of_executed_units' "$build/$h.log" | awk '{print $2}') runs," \
			"corpus $(ls "$corpus" | wc -l) inputs"
	else
		rc=1
		echo "fuzz: $h: FAILED; see $build/$h.log and $build/artifacts:"
		grep -E 'ERROR: |SUMMARY: |runtime error|Test unit written' \
			"$build/$h.log" | head -20 | sed 's/^/    /'
	fi
done
exit $rc
