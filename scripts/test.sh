#!/bin/sh
# The whole test suite, as README.md documents it and CI runs it:
# installs the packages the suites need (scripts/deps.sh test kernel; test
# alone with SWAPTRACE_SKIP_KERNEL=1), builds with -Werror under
# ASan+UBSan, runs every default suite, then the QEMU kernel suite (its
# kernel build is cached in $SWAPTRACE_CACHE, default
# /var/cache/swaptrace, between runs).
set -eu
cd "$(dirname "$0")/.."
if [ "${SWAPTRACE_SKIP_KERNEL:-0}" = 1 ]; then
	./scripts/deps.sh test
else
	./scripts/deps.sh test kernel
fi
build=${BUILD_DIR:-build-test}
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
else
	meson configure "$build" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C "$build"
status=0
log=$build/meson-logs/suite-summary.txt
: >"$log"
# sh has no pipefail: keep meson's own status beside the tee.
run_tests() {
	rcfile=$(mktemp)
	{ meson test -C "$build" --print-errorlogs "$@"; echo $? >"$rcfile"; } | tee -a "$log"
	rc=$(cat "$rcfile")
	rm -f "$rcfile"
	return "$rc"
}
run_tests --num-processes 2 || status=1
if [ "${SWAPTRACE_SKIP_KERNEL:-0}" != 1 ]; then
	run_tests --suite kernel --num-processes 1 || status=1
fi
# One closing line over both runs, in the plain form CI reads.
awk '/^Ok:/ { ok += $2 } /^Fail:/ { fail += $2 } /^Timeout:/ { fail += $2 }
     /^Unexpected Pass:/ { fail += $3 } /^Skipped:/ { skip += $2 }
     END { printf "%d passed, %d failed, %d skipped\n", ok, fail, skip }' "$log"
exit $status
