#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Both recorders on one 6.1 run of the correct kernel: boot the cached 6.1
# kernel, record the exerciser with LTTng and, attached to the same
# tracepoints at the same time, with perf (swaptrace-qemu --perf-beside),
# and require what compare-recorders.sh says.  The kernel suite does the
# same on its regression run (no boot of its own); this is the opt-in
# suite kernel-full's.
#
# usage: run-kernel-perf-test.sh SRCDIR OUTDIR SWAPTRACE virtio|zram
. "$(dirname "$0")/lib.sh"
need_tools qemu-system-x86_64 perf
case $variant in
virtio|zram) ;;
*) echo "usage: $0 SRCDIR OUTDIR SWAPTRACE virtio|zram" >&2; exit 2 ;;
esac

rm -rf "$out"
start=$(date +%s)
"$harness" --out "$out" --swap "$variant" --perf-beside --workload exerciser
echo "harness: $(($(date +%s) - start)) s"
exec sh "$here/compare-recorders.sh" "$swaptrace" "$out"
