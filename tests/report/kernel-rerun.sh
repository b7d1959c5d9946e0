#!/bin/sh
# Two recordings of the correct kernel compare equal: record the workload
# of traces/kernel-virtio again, live, with kernel/qemu/swaptrace-qemu, and
# `swaptrace diff` it against the fixture (exit 0); the buggy kernel's
# fixture against the fresh recording is still a regression (exit 1).
# QEMU-based: suite 'kernel', run on request (meson test --suite kernel).
. "$(dirname "$0")/lib.sh"

good=$SOURCE_ROOT/traces/kernel-virtio
qemu=$SOURCE_ROOT/kernel/qemu/swaptrace-qemu
[ -d "$good" ] || skip "no fixture $good"
[ -x "$qemu" ] || [ -f "$qemu" ] || skip "no $qemu"
command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64"
[ "$(id -u)" = 0 ] || skip "swaptrace-qemu needs root"

if ! sh "$qemu" --out "$tmp/rerun" --swap virtio >"$tmp/qemu.log" 2>&1; then
	tail -20 "$tmp/qemu.log" >&2
	fail "swaptrace-qemu --swap virtio"
fi
replay "$good/trace" "$tmp/good.db"
replay "$tmp/rerun/trace" "$tmp/rerun.db"
diff_status "$tmp/good.db" "$tmp/rerun.db"
expect_eq "$status" 0 "diff kernel-virtio -> a fresh recording of the same kernel"

bug=$SOURCE_ROOT/traces/kernel-bug
if [ -d "$bug" ]; then
	replay "$bug/trace" "$tmp/bug.db"
	diff_status "$tmp/rerun.db" "$tmp/bug.db"
	expect_eq "$status" 1 "diff fresh correct-kernel recording -> kernel-bug"
fi
echo "PASS"
