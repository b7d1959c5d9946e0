#!/bin/sh
# Replay benchmark (tests/bench/bench.py): records the 1M-op and 3.5M-op
# emitter traces once into /var/tmp/swaptrace-bench (reused after), then
# prints the CPU time, events/s, throughput relative to babeltrace2's dummy
# sink and peak RSS of `check`, `replay` and `replay --events`.
#
# usage: scripts/bench.sh [BUILD_DIR] [bench.py options: --ops N[,N] --repeat R
#                         --decoder NAME --only check,replay,events --cache DIR]
#
# BUILD_DIR (default build-rel) should be an optimised build without
# sanitizers:  meson setup build-rel --buildtype=release
set -eu
cd "$(dirname "$0")/.."
build=build-rel
case ${1:-} in
-*|'') ;;
*) build=$1; shift ;;
esac
[ -x "$build/swaptrace" ] || { echo "bench.sh: no $build/swaptrace (meson setup $build --buildtype=release && ninja -C $build)" >&2; exit 2; }
exec python3 tests/bench/bench.py "$build/swaptrace" workload/emitter/swaptrace-record-ust \
	"$build/workload/emitter/swaptrace-emit" "$@"
