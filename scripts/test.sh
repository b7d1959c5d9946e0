#!/bin/sh
# The whole test suite, as README.md documents it and CI runs it:
# installs the packages, builds with -Werror under ASan+UBSan, runs every
# default suite, then the QEMU kernel suite (its kernel build is cached in
# $SWAPTRACE_CACHE, default /var/cache/swaptrace, between runs).
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
build=${BUILD_DIR:-build-test}
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
else
	meson configure "$build" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C "$build"
status=0
meson test -C "$build" --print-errorlogs --num-processes 2 || status=1
if [ "${SWAPTRACE_SKIP_KERNEL:-0}" != 1 ]; then
	meson test -C "$build" --suite kernel --print-errorlogs --num-processes 1 || status=1
fi
exit $status
