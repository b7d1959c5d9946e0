#!/bin/sh
# The long fuzzing campaign: CASES (default 5000) mutated copies of every
# traces/ fixture through `swaptrace replay` (tests/fuzz/ctf-mutate.py),
# then a longer fixed-seed run of the event-stream harness, both in a build
# with AddressSanitizer and UndefinedBehaviorSanitizer.  Prints the table:
# cases, crashes, hangs past the limit, leftover files, exit 0 on dropped
# data, rejections without the trace's name; exits 1 unless all are 0.
# Failing cases are kept in $BUILD_DIR/fuzz-failures/case-N (rerun one with
# ctf-mutate.py --only N).  Takes about an hour for 5000 cases on two cores.
#
# usage: scripts/fuzz-campaign.sh [CASES [SEED]]
# environment: BUILD_DIR (default build-test), JOBS (2), TIMEOUT (120 s per case),
#              EVENT_CASES (3000 harness inputs)
set -eu
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-test}
cases=${1:-5000}
seed=${2:-1}
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C "$build"
mkdir -p "$build/meson-logs"
status=0
python3 tests/fuzz/ctf-mutate.py --swaptrace "$build/swaptrace" --traces traces \
	--cases "$cases" --seed "$seed" --jobs "${JOBS:-2}" --timeout "${TIMEOUT:-120}" \
	--keep "$build/fuzz-failures" --log "$build/meson-logs/ctf-mutate.log" || status=1
echo
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
	"$build/tests/fuzz/fuzz-events" --cases "${EVENT_CASES:-3000}" --seed "$seed" \
	--save "$build/meson-logs/fuzz-events-last.bin" || status=1
exit $status
