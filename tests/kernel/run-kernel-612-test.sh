#!/bin/sh
# SPDX-License-Identifier: MIT
#
# One 6.12 kernel suite test: build (or reuse from the cache) the patched
# 6.12 kernel, boot it under QEMU with mTHP sizes enabled where a workload
# asks for them, record several real workloads of workload/guest/ in one
# boot with perf, and check every recording: the tracepoints are all there,
# check-trace.py's reference model finds 0 violations and every slot
# allocated is freed, perf lost no events, and `swaptrace check` replays
# the trace with 0 error findings.
#
# usage: run-kernel-612-test.sh SRCDIR OUTDIR SWAPTRACE virtio|zram|extra
#
#   virtio  exerciser, compaction, thp, mthp, randwrite, stress-ng on a
#           virtio-blk disk (thp and mthp mark it non-rotational)
#   zram    exerciser, mthp, randwrite on zram (synchronous swap-in,
#           large folios swapped in whole)
#   extra   cow, lazyfree, lazyfree-clean, madv-populate, khugepaged on
#           virtio-blk: only with SWAPTRACE_KERNEL_EXTRA=1 (skipped, 77,
#           otherwise), to keep the cached suite's 6.12 part near 6 minutes
set -eu
src=$1
out=$2
swaptrace=$3
variant=$4
harness=$src/kernel/qemu/swaptrace-qemu
check=$src/tests/kernel/check-trace.py

if [ "$(id -u)" != 0 ]; then
	echo "kernel suite needs root (QEMU 9p export of /)"
	exit 77
fi
for tool in qemu-system-x86_64 perf; do
	command -v $tool >/dev/null 2>&1 || {
		echo "$tool missing (scripts/deps.sh)"
		exit 77
	}
done

case $variant in
virtio) set -- --swap virtio; workloads="exerciser compaction thp mthp randwrite stress-ng" ;;
zram) set -- --swap zram; workloads="exerciser mthp randwrite" ;;
extra)
	[ "${SWAPTRACE_KERNEL_EXTRA:-0}" = 1 ] || {
		echo "extra: set SWAPTRACE_KERNEL_EXTRA=1"
		exit 77
	}
	set -- --swap virtio; workloads="cow lazyfree lazyfree-clean madv-populate khugepaged" ;;
*) echo "usage: $0 SRCDIR OUTDIR SWAPTRACE virtio|zram|extra" >&2; exit 2 ;;
esac
for w in $workloads; do
	set -- "$@" --workload "$w"
done

rm -rf "$out"
start=$(date +%s)
"$harness" --kernel-version 6.12 --out "$out" "$@"
echo "harness: $(($(date +%s) - start)) s for$(echo " $workloads")"

# All 17 swap_* tracepoints of schema v2 exist in the guest.
grep -q 'swap tracepoints: 17' "$out/console.log" || {
	echo "the guest did not list the 17 swap_* tracepoints:"
	grep 'swap tracepoints' "$out/console.log"
	exit 1
}
grep -q 'hugepages-64kB/enabled:\[always\]' "$out/console.log" || {
	echo "mTHP sizes were not enabled in the guest"
	exit 1
}

failed=0
for w in $workloads; do
	d=$out/$w
	echo "== $w"
	for f in trace/metadata uname.txt swaps.txt kallsyms perf-lost.tsv; do
		[ -s "$d/$f" ] || { echo "$w: missing $d/$f"; failed=1; continue 2; }
	done
	grep -q '6\.12\.' "$d/uname.txt" || { echo "$w: not a 6.12 kernel"; failed=1; }
	req=entry_alloc,entry_dup,entry_put,entry_free,cache_del,fault,device_on,device_off,state_begin,state_end
	large=
	case $w in
	mthp)
		# mTHP swapping: large folios allocated slots whole; on zram
		# they come back whole through the synchronous swap-in.
		large=entry_alloc,fault
		[ "$variant" = zram ] && large=$large,cache_add ;;
	thp) large=entry_alloc ;;
	compaction) req=$req,cache_move ;;
	lazyfree*) req=$req,lazyfree ;;
	esac
	python3 "$check" --require "$req" ${large:+--require-large "$large"} \
		"$d/trace" >"$d/check.txt" 2>&1 || {
		cat "$d/check.txt"
		echo "$w: check-trace.py failed"
		failed=1
		continue
	}
	grep -E '^(swap_entry_alloc|slots|large ranges|finding)' "$d/check.txt" | sed "s/^/$w: /"
	if "$swaptrace" check "$d" >"$d/swaptrace-check.txt" 2>&1; then
		echo "$w: swaptrace check: no error findings"
	else
		cat "$d/swaptrace-check.txt"
		echo "$w: swaptrace check failed"
		failed=1
	fi
done
exit $failed
