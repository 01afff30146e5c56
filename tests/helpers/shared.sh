# Sourced by the test scripts: sets $shared to the project's shared/
# checkout (conformance cases and runner, bench). It is normally next to
# the source tree; a clone made elsewhere (CI's, a worktree) falls back to
# $BPFTAP_SHARED and then to /work/shared, so the conformance cases are
# never skipped only because the tree was cloned to another place.
# Usage: . tests/helpers/shared.sh TOPDIR
shared=
for d in "${BPFTAP_SHARED:-}" "$1/../shared" /work/shared; do
	if [ -n "$d" ] && [ -d "$d/conformance/cases" ]; then
		shared=$(cd "$d" && pwd)
		break
	fi
done
: "${shared:=$1/../shared}"
