#!/bin/sh
# SPDX-License-Identifier: MIT
#
# One kernel suite test: build (or reuse from the cache) the patched 6.1
# kernel, boot it under QEMU, record a workload with swaptrace-record and
# check the trace with check-trace.py.
#
# usage: run-kernel-test.sh SRCDIR OUTDIR virtio|zram|cow|bug
#
# The cow and bug variants cost a second cold kernel build (bug) or a long
# guest run (cow); they run only when SWAPTRACE_KERNEL_EXTRA=1 or, for bug,
# when the buggy kernel is already in the cache, and are skipped (77)
# otherwise, to keep CI under its time budget.
set -eu
src=$1
out=$2
variant=$3
harness=$src/kernel/qemu/swaptrace-qemu
check=$src/tests/kernel/check-trace.py

if [ "$(id -u)" != 0 ]; then
	echo "kernel suite needs root (QEMU 9p export of /, apt-get download)"
	exit 77
fi
command -v qemu-system-x86_64 >/dev/null 2>&1 || {
	echo "qemu-system-x86_64 missing (scripts/deps.sh)"
	exit 77
}

extra=${SWAPTRACE_KERNEL_EXTRA:-0}
case $variant in
virtio) set -- --swap virtio ;;
zram) set -- --swap zram ;;
cow)
	[ "$extra" = 1 ] || { echo "cow: set SWAPTRACE_KERNEL_EXTRA=1"; exit 77; }
	set -- --swap virtio --workload cow ;;
bug)
	if [ "$extra" != 1 ] && [ ! -f "$("$harness" --bug --print-cache-dir)/bzImage" ]; then
		echo "bug: buggy kernel not cached; set SWAPTRACE_KERNEL_EXTRA=1"
		exit 77
	fi
	set -- --swap virtio --bug ;;
*) echo "usage: $0 SRCDIR OUTDIR virtio|zram|cow|bug" >&2; exit 2 ;;
esac

rm -rf "$out"
"$harness" --out "$out" "$@"

# lttng list -k in the guest showed the ten swap_* events.
grep -q 'swap events listed: 10' "$out/console.log" || {
	echo "lttng list -k did not show the 10 swap_* events"
	exit 1
}
for f in uname.txt swaps.txt kallsyms; do
	[ -s "$out/$f" ] || { echo "missing $out/$f"; exit 1; }
done
grep -q 'contents verified\|ok ' "$out/workload.log" || {
	echo "workload did not pass:"; tail -n 20 "$out/workload.log"; exit 1
}
case $variant in
bug)
	# Counts stay right; write faults never free the swap cache.
	python3 "$check" --expect-errors "$out/trace" | tee "$out/check.txt"
	grep -q '^write faults: [1-9][0-9]* freed 0$' "$out/check.txt" || {
		echo "the injected bug is not visible: write faults free the cache"
		exit 1
	} ;;
cow)
	python3 "$check" --require entry_alloc,entry_dup,entry_put,entry_free,cache_del,fault,device_on,device_off "$out/trace" ;;
*)
	python3 "$check" "$out/trace" ;;
esac
