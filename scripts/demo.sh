#!/bin/sh
# The main job, as README.md documents it: installs the packages the demo
# needs (scripts/deps.sh demo: the build, no kernel toolchain, QEMU or
# browser), builds swaptrace, replays a recorded trace from traces/ into
# SQLite and prints the report.  Usage: scripts/demo.sh [FIXTURE] (default:
# kernel-regression-randwrite).
set -eu
cd "$(dirname "$0")/.."
fixture=${1:-kernel-regression-randwrite}
./scripts/deps.sh demo
build=${BUILD_DIR:-build}
[ -f "$build/build.ninja" ] || meson setup "$build" >/dev/null
meson compile -C "$build" >/dev/null
out=${OUT_DB:-$fixture.db}
"$build/swaptrace" replay --force --events "traces/$fixture" -o "$out"
"$build/swaptrace" report "$out"
echo
echo "database: $out (try: sqlite3 -box $out 'SELECT * FROM findings_rel'; or"
echo "  $build/swaptrace report $out --html ${out%.db}.html, $build/swaptrace export $out -o ${out%.db}.json)"
