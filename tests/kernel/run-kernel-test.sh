#!/bin/sh
# SPDX-License-Identifier: MIT
#
# One kernel suite test: boot swaptrace's patched 6.1 kernel (built once
# and cached by kernel/qemu/swaptrace-qemu) under QEMU, record real
# workloads with LTTng, one recording each, and judge every recording:
#
#  - tests/kernel/check-trace.py, the independent model checker: the emit
#    points hold the abstract slot model, allocations and frees balance;
#  - swaptrace itself (tests/kernel/judge.py over the replay databases):
#    on the correct kernel 0 error findings and every warning attributed to
#    a cause, no retention_stale from the upstream cow selftest, the seed-003
#    lazyfree waste where the race is provoked and none where it is not;
#    two recordings of one workload are not a regression (swaptrace diff
#    exits 0); on the regression kernel, stale retention caused by the LRU
#    batch reference, and swaptrace diff against the correct kernel exits 1;
#    the regression run is recorded by LTTng and perf at once
#    (--perf-beside), and both traces give the same slots, lifetimes and
#    findings (compare-recorders.sh).
#
# usage: run-kernel-test.sh SRCDIR OUTDIR SWAPTRACE virtio|zram|zram-full|regression
#
# Prints one line per recording (events, errors, in-place keeps / write
# faults, unverified, warnings by cause) and leaves OUTDIR/table.txt.
. "$(dirname "$0")/lib.sh"

# perf records the regression run beside LTTng.
if [ "$variant" = regression ]; then
	need_tools qemu-system-x86_64 perf
else
	need_tools qemu-system-x86_64
fi

# The real workloads (workload/guest/); randwrite twice, for the noise diff.
# virtio runs them all; zram (SWP_SYNCHRONOUS_IO: swap-in that skips the
# swap cache, pinned with swapcache_prepare()) runs the ones that reach
# that path in different ways, which keeps the suite inside CI's budget;
# the regression kernel runs the workload it exists for.  zram-full (the
# opt-in suite kernel-full) runs every workload on zram too.
all="exerciser compaction thp randwrite stress-ng cow ksm madv-populate khugepaged transhuge-stress"
case $variant in
virtio) workloads="$all lazyfree lazyfree-clean"; set -- --swap virtio ;;
zram) workloads="exerciser compaction thp randwrite cow"; set -- --swap zram ;;
zram-full) workloads="$all"; set -- --swap zram ;;
regression) workloads="randwrite"; set -- --swap virtio --kernel regression --perf-beside ;;
*) echo "usage: $0 SRCDIR OUTDIR SWAPTRACE virtio|zram|zram-full|regression" >&2; exit 2 ;;
esac

rm -rf "$out"
mkdir -p "$out/scripts"
for w in $workloads; do
	set -- "$@" --workload "$w"
done
if [ "$variant" != regression ]; then
	cp "$src/workload/guest/randwrite.sh" "$out/scripts/randwrite-again.sh"
	set -- "$@" --script "$out/scripts/randwrite-again.sh"
	workloads="$workloads randwrite-again"
fi
t0=$(date +%s)
if [ "$variant" = regression ]; then
	# One workload: the harness records it in --out itself.
	"$harness" --out "$out/randwrite" "$@"
	cp "$out/randwrite/console.log" "$out/"
else
	"$harness" --out "$out" "$@"
fi
t1=$(date +%s)

grep -q 'swap events listed: 15' "$out/console.log" || {
	echo "lttng list -k did not show the 15 swap_* events of schema v2"
	exit 1
}
status=0
# One recording: the model checker and the replay; a non-empty FAIL file
# says what went wrong.  Two at a time: CI has two cores and the guest is
# done with them.
judge_one() {
	w=$1
	d=$out/$w
	for f in uname.txt swaps.txt kallsyms; do
		[ -s "$d/$f" ] || echo "$w: missing $f" >>"$d/FAIL"
	done
	if ! python3 "$here/check-trace.py" "$d/trace" >"$d/check-trace.txt" 2>&1; then
		{ echo "$w: check-trace.py failed:"; tail -n 20 "$d/check-trace.txt"; } >>"$d/FAIL"
	fi
	rc=0
	# (DIR/trace, not DIR: perf's trace recorded beside LTTng's is in DIR/perf/.)
	"$swaptrace" replay --force "$d/trace" -o "$d/replay.db" >"$d/replay.txt" 2>&1 || rc=$?
	[ $rc = 0 ] || { echo "$w: swaptrace replay exit $rc:"; cat "$d/replay.txt"; } >>"$d/FAIL"
}
dbs=
pending=
for w in $workloads; do
	rm -f "$out/$w/FAIL"
	judge_one "$w" &
	pending="$pending $!"
	dbs="$dbs $w=$out/$w/replay.db"
	# shellcheck disable=SC2086
	set -- $pending
	if [ $# -ge 2 ]; then
		wait "$1" || true
		shift
		pending="$*"
	fi
done
wait
for w in $workloads; do
	if [ -s "$out/$w/FAIL" ]; then
		cat "$out/$w/FAIL"
		status=1
	fi
done

table_start
case $variant in
virtio | zram | zram-full)
	# shellcheck disable=SC2046
	judge --correct $(echo "$dbs" | tr ' ' '\n' | grep -v '^cow=\|^lazyfree')
	judge --correct --no-stale "cow=$out/cow/replay.db"
	if [ "$variant" = virtio ]; then
		judge --correct --expect lazyfree_swapped "lazyfree=$out/lazyfree/replay.db"
		judge --correct --forbid lazyfree_swapped \
			"lazyfree-clean=$out/lazyfree-clean/replay.db"
	fi
	# Two recordings of one workload on one kernel: noise, not a regression.
	rc=0
	"$swaptrace" diff "$out/randwrite/replay.db" "$out/randwrite-again/replay.db" \
		>"$out/diff-noise.txt" 2>&1 || rc=$?
	cat "$out/diff-noise.txt"
	[ $rc = 0 ] || { echo "diff of two correct randwrite recordings exited $rc, want 0"; status=1; }
	;;
regression)
	# The regression keeps the swap cache (warnings), it breaks no slot
	# invariant: still 0 errors and every warning attributed to its cause.
	judge --correct --expect retention_stale "randwrite=$out/randwrite/replay.db"
	"$swaptrace" report "$out/randwrite/replay.db" >"$out/report.txt"
	sed -n '/^Write faults that kept the swap cache/,/^$/p' "$out/report.txt"
	grep -q '^  lru_batch: LRU batch reference' "$out/report.txt" || {
		echo "the report does not name the LRU batch reference"
		status=1
	}
	# Against the correct kernel's recording of this suite, or the fixture.
	base=$(dirname "$out")/virtio/randwrite/replay.db
	[ -f "$base" ] || base=$src/traces/kernel-randwrite
	if [ -d "$base" ]; then
		"$swaptrace" replay --force "$base" -o "$out/base.db" >/dev/null
		base=$out/base.db
	fi
	rc=0
	"$swaptrace" diff "$base" "$out/randwrite/replay.db" >"$out/diff.txt" 2>&1 || rc=$?
	cat "$out/diff.txt"
	[ $rc = 1 ] || { echo "diff correct -> regression exited $rc, want 1"; status=1; }
	# Both recorders on this run: perf, attached to the same tracepoints as
	# LTTng (--perf-beside), gives the same slots, lifetimes and findings.
	echo "both recorders (LTTng, perf) on regression/randwrite:"
	t2=$(date +%s)
	sh "$here/compare-recorders.sh" "$swaptrace" "$out/randwrite" || {
		echo "LTTng's and perf's recordings of one run differ"
		status=1
	}
	echo "time: both-recorders comparison $(($(date +%s) - t2)) s"
	;;
esac
cat "$table"
# Where the suite's time goes (CI's budget): the guest's line per workload
# is in console.log ("guest: NAME: status N after S s").
grep -h '^guest: .*: status' "$out/console.log" || true
echo "time: harness $((t1 - t0)) s, judging $(($(date +%s) - t1)) s"
exit $status
